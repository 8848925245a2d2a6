"""Signing machinery (issue 27): the agency's key and certificate for PAdES signatures on the PDFs
the app issues, the Ed25519 issuer key of Verifiable Credentials and the ledger export
(`keys`), the demo CA made on first run outside production (`demo`), signing PDFs (`pdf`) and
verifying them (`verify`). Knows no domain: the certificates domain maps a signed PDF to its
record. Operators' guide: docs/signing.md."""
