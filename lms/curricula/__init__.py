"""Curricula: training cycles and position curricula (`cycles`), obligations and targets
(`obligations`), the credit ledger (`ledger`), course completions and their import
(`completions`), in-person classes (`classes`) and external training (`external`); the pure
rules shared by them in `rules`. The blueprint and its hooks are in `blueprint`."""
