"""The credit ledger: entries, balances, the hash chain, seals and re-keying, and HR's ledger
pages under /officials/<code>/ledger."""
