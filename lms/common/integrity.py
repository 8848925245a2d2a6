"""The key that makes the ledger's hash chains and seals unforgeable from the database alone.

Every ledger entry's hash is an HMAC-SHA256 keyed by this key, which the database does not hold:
whoever can only write SQL can compute neither an entry that `ledger verify` accepts nor a
re-hashed chain, nor a seal. The key is `LMS_LEDGER_KEY` when set, else derived from
`SECRET_KEY`; `LMS_LEDGER_PREVIOUS_KEY` holds the key being replaced while `flask ledger rekey`
runs (docs/operations.md, *The ledger key*). The seals and, through `flask integrity verify`,
the frozen statements and the audit log use the same key.
"""

import hashlib
import hmac

from flask import current_app


def _derive(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), b"lms.integrity\x1f" + purpose, hashlib.sha256).digest()


def ledger_key() -> bytes:
    """The current key: from LMS_LEDGER_KEY, else derived from SECRET_KEY."""
    own = current_app.config.get("LMS_LEDGER_KEY") or ""
    if own:
        return _derive(own, b"ledger")
    return _derive(current_app.secret_key or "", b"ledger-from-secret-key")


def previous_keys() -> tuple[bytes, ...]:
    """The keys `ledger rekey` also accepts, being rotated out: LMS_LEDGER_PREVIOUS_KEY, and,
    once LMS_LEDGER_KEY is set, the key derived from SECRET_KEY that served before it."""
    config = current_app.config
    keys = []
    old = config.get("LMS_LEDGER_PREVIOUS_KEY") or ""
    if old:
        keys.append(_derive(old, b"ledger"))
    if config.get("LMS_LEDGER_KEY"):
        keys.append(_derive(current_app.secret_key or "", b"ledger-from-secret-key"))
    return tuple(keys)


def key_id(key: bytes) -> str:
    """A short fingerprint of a key (safe to print): which key signed what."""
    return hmac.new(key, b"key-id", hashlib.sha256).hexdigest()[:12]


def mac(key: bytes, parts) -> str:
    """HMAC-SHA256 (hex) of the parts joined by the unit separator."""
    message = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
