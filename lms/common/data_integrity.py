"""W3C Data Integrity proofs with Ed25519 (vc-di-eddsa): `eddsa-rdfc-2022` for JSON-LD
credentials (RDF Dataset Canonicalization by pyld, contexts read from local copies, never
fetched) and `eddsa-jcs-2022` for plain JSON documents (RFC 8785 canonical JSON); Multikey
public keys and did:web identifiers. Pure functions: the key is always a parameter."""

import hashlib
import json
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# The contexts we sign with, served from local copies (lms/common/jsonld/): a credential never
# makes the server fetch anything, and a context changed upstream cannot change our proofs.
CONTEXT_FILES = {VC_V2: "credentials-v2.jsonld", OB_V3: "ob-v3p0-3.0.3.json"}
CONTEXT_DIR = Path(__file__).parent / "jsonld"
RDFC, JCS = "eddsa-rdfc-2022", "eddsa-jcs-2022"
ED25519_MULTICODEC = b"\xed\x01"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class ProofError(ValueError):
    """A proof that is missing, malformed, of another suite, or does not verify."""


# --- encodings -----------------------------------------------------------------------------------


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = B58.find(char)
        if index < 0:
            raise ProofError("not base58")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multikey(public_key: Ed25519PublicKey) -> str:
    """The Multikey `publicKeyMultibase` of an Ed25519 key ("z6Mk…")."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + b58encode(ED25519_MULTICODEC + raw)


def public_key_of(multibase: str) -> Ed25519PublicKey:
    """The Ed25519 key of a Multikey value; ProofError when it is not one."""
    if not isinstance(multibase, str) or not multibase.startswith("z"):
        raise ProofError("not a base58btc multibase key")
    raw = b58decode(multibase[1:])
    if len(raw) != 34 or raw[:2] != ED25519_MULTICODEC:
        raise ProofError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def did_web(base_url: str) -> str:
    """The did:web identifier of a site (its host, a port percent-encoded), whose DID document
    is served at /.well-known/did.json."""
    parts = urlsplit(base_url)
    return "did:web:" + quote(parts.netloc or "localhost", safe="")


def xsd_datetime(moment: datetime) -> str:
    """A naive UTC timestamp as XML Schema dateTime ("2026-12-05T10:00:00Z")."""
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


# --- canonical forms -----------------------------------------------------------------------------


@cache
def _context(url: str) -> dict:
    return json.loads((CONTEXT_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def document_loader(url: str, _options=None) -> dict:
    """pyld's loader: only the local contexts; anything else is refused (no network)."""
    if url not in CONTEXT_FILES:
        raise ProofError(f"unknown JSON-LD context: {url}")
    return {"contextUrl": None, "documentUrl": url, "document": _context(url)}


def rdfc(document: dict) -> bytes:
    """RDF Dataset Canonicalization (RDFC-1.0, as pyld's URDNA2015) as N-Quads."""
    from pyld import jsonld

    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
        "safe": True,  # a term no context defines is an error, not silently left unsigned
    }
    try:
        return jsonld.normalize(document, options).encode()
    except jsonld.JsonLdError as error:
        raise ProofError(f"JSON-LD: {error}") from error


def jcs(document: dict) -> bytes:
    """RFC 8785 JSON Canonicalization Scheme."""
    return rfc8785.dumps(document)


def _hash_data(document: dict, config: dict, suite: str) -> bytes:
    canon = rdfc if suite == RDFC else jcs
    return hashlib.sha256(canon(config)).digest() + hashlib.sha256(canon(document)).digest()


# --- proofs --------------------------------------------------------------------------------------


def sign(
    document: dict, key: Ed25519PrivateKey, method: str, created: datetime, suite: str = RDFC
) -> dict:
    """`document` with a DataIntegrityProof (assertionMethod) by `key`, whose verification
    method is `method` (e.g. "did:web:host#key-1"); deterministic for a given `created`."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    config = {
        "type": "DataIntegrityProof",
        "cryptosuite": suite,
        "created": xsd_datetime(created),
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in unsigned:
        config["@context"] = unsigned["@context"]
    signature = key.sign(_hash_data(unsigned, config, suite))
    proof = {k: v for k, v in config.items() if k != "@context"}
    proof["proofValue"] = "z" + b58encode(signature)
    return {**unsigned, "proof": proof}


def verify(document: dict, public_key: Ed25519PublicKey) -> dict:
    """Check the document's one DataIntegrityProof (either suite) against `public_key`;
    returns the proof, raises ProofError when it does not verify."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(proof, dict) or proof.get("type") != "DataIntegrityProof":
        raise ProofError("no DataIntegrityProof")
    suite = proof.get("cryptosuite")
    if suite not in (RDFC, JCS) or not isinstance(proof.get("proofValue"), str):
        raise ProofError("unsupported proof")
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in unsigned:
        config["@context"] = unsigned["@context"]
    value = proof["proofValue"]
    try:
        signature = b58decode(value[1:]) if value.startswith("z") else b""
        public_key.verify(signature, _hash_data(unsigned, config, suite))
    except (InvalidSignature, ValueError) as error:
        raise ProofError("the signature does not match the document") from error
    return proof
