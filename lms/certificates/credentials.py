"""A certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential 2.0, JSON-LD,
signed with a Data Integrity proof `eddsa-rdfc-2022` by the issuer key), the issuer's DID
document and Profile, and the Bitstring Status List that publishes revocations.

The issuer is this installation: `did:web:<host of LMS_PUBLIC_BASE_URL>`, its DID document at
/.well-known/did.json lists the key. Each certificate's place in the status list follows from
its id, which is never reused (certificates are never deleted): list n holds ids
(n-1)·LIST_SIZE+1 … n·LIST_SIZE, and the list is built from `revoked_at` when asked for, so a
revocation (services.mark_revoked) shows in the list at once, whatever path revoked it.
docs/signing.md "Credentials (Open Badges 3.0)"."""

import base64
import gzip
import hashlib
from datetime import datetime, time
from urllib.parse import quote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import g
from flask_babel import force_locale
from sqlalchemy import select

from lms.certificates.models import CHUNG_CHI, Certificate
from lms.common import clock
from lms.common import data_integrity as di
from lms.extensions import db
from lms.i18n import _

LIST_SIZE = 131072  # bits per status list: 16 KB, the minimum the specification asks for
MEDIA_TYPE = "application/vc+ld+json"


def issuer_did(base_url: str) -> str:
    return di.did_web(base_url)


def key_id(public_key: Ed25519PublicKey) -> str:
    """The key's name in the DID document, from its fingerprint: a rotated key gets a new name,
    so the proofs made with the old one still name the old key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "key-" + hashlib.sha256(raw).hexdigest()[:16]


def method_of(base_url: str, public_key: Ed25519PublicKey) -> str:
    """The verification method the proofs name: the key in the DID document."""
    return f"{issuer_did(base_url)}#{key_id(public_key)}"


def did_document(
    base_url: str, key: Ed25519PrivateKey, previous: list[Ed25519PublicKey] | tuple = ()
) -> dict:
    """The did:web document: the issuer key as a Multikey, for assertions (credentials), and the
    earlier keys still published (`previous`), so that credentials signed before a rotation keep
    verifying; new proofs are made with the current key only."""
    did = issuer_did(base_url)
    methods = []
    for public_key in (key.public_key(), *previous):
        method_id = method_of(base_url, public_key)
        if any(m["id"] == method_id for m in methods):
            continue
        methods.append(
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": di.multikey(public_key),
            }
        )
    ids = [m["id"] for m in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids[:1],
    }


def issuer_profile(base_url: str, name: str) -> dict:
    """The Open Badges issuer Profile of this installation (/.well-known/openbadges-issuer.json)."""
    return {
        "@context": [di.VC_V2, di.OB_V3],
        "id": issuer_did(base_url),
        "type": ["Profile"],
        "name": name,
        "url": base_url,
    }


# --- the certificate's credential ----------------------------------------------------------------


def status_place(certificate_id: int) -> tuple[int, int]:
    """(list number, index in it) of a certificate."""
    return (certificate_id - 1) // LIST_SIZE + 1, (certificate_id - 1) % LIST_SIZE


def status_list_url(base_url: str, number: int) -> str:
    return f"{base_url}/credentials/status/{number}"


def _texts(certificate: Certificate) -> tuple[str, str]:
    g.setdefault("_credentials", True)  # flask-babel ignores force_locale while g is empty
    with force_locale(certificate.language or "vi"):
        if certificate.kind == CHUNG_CHI:
            what = _(
                "Certificate (chứng chỉ) for the course %(title)s", title=certificate.course_title
            )
        else:
            what = _(
                "Certificate of completion of the course %(title)s", title=certificate.course_title
            )
        how = _(
            "Completed the course %(code)s and met its requirements; issued by %(issuer)s.",
            code=certificate.course_code,
            issuer=certificate.issuer_name,
        )
    return str(what), str(how)


def unsigned_credential(certificate: Certificate, base_url: str) -> dict:
    """The credential without its proof: what the certificate says, nothing more (no birth
    date, no unit), in the certificate's language."""
    description, narrative = _texts(certificate)
    number, index = status_place(certificate.id)
    list_url = status_list_url(base_url, number)
    achievement = {
        "id": f"{base_url}/courses/{quote(certificate.course_code, safe='')}",
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": certificate.course_title,
        "description": description,
        "criteria": {"narrative": narrative},
        "humanCode": certificate.course_code,
        "creditsAvailable": float(certificate.credits),
        "inLanguage": certificate.language or "vi",
    }
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": certificate.holder_name,
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": achievement,
        "creditsEarned": float(certificate.credits),
        "activityEndDate": certificate.completed_on.isoformat(),
        "licenseNumber": certificate.serial,
    }
    credential = {
        "@context": [di.VC_V2, di.OB_V3],
        "id": f"{base_url}/verify/{quote(certificate.verification_code, safe='')}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "description": description,
        "issuer": {
            "id": issuer_did(base_url),
            "type": ["Profile"],
            "name": certificate.issuer_name,
            "url": base_url,
        },
        "validFrom": di.xsd_datetime(_issued_at(certificate)),
        "awardedDate": di.xsd_datetime(_issued_at(certificate)),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{list_url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": list_url,
        },
    }
    if certificate.expires_on is not None:
        end = datetime.combine(certificate.expires_on, time(23, 59, 59))
        credential["validUntil"] = di.xsd_datetime(end)
    return credential


def _issued_at(certificate: Certificate) -> datetime:
    return certificate.created_at or datetime.combine(certificate.issued_on, time())


def credential(certificate: Certificate, base_url: str, key: Ed25519PrivateKey) -> dict:
    """The signed credential. The proof is dated at the certificate's issue, so the same
    certificate gives the same bytes each time (Ed25519 is deterministic) until the key
    changes."""
    unsigned = unsigned_credential(certificate, base_url)
    return di.sign(unsigned, key, method_of(base_url, key.public_key()), _issued_at(certificate))


# --- the status list -----------------------------------------------------------------------------


def revoked_indexes(number: int) -> list[int]:
    """Indexes of the revoked certificates in status list `number`."""
    first = (number - 1) * LIST_SIZE + 1
    ids = db.session.scalars(
        select(Certificate.id).where(
            Certificate.id >= first,
            Certificate.id < first + LIST_SIZE,
            Certificate.revoked_at.is_not(None),
        )
    )
    return [status_place(i)[1] for i in ids]


def encode_bits(indexes: list[int], size: int = LIST_SIZE) -> str:
    """The spec's encodedList: bit i (the first bit being the most significant of the first
    byte) set for each index, GZIP-compressed, multibase base64url without padding ("u…")."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def status_list_credential(
    number: int, base_url: str, key: Ed25519PrivateKey, now: datetime | None = None
) -> dict:
    """The signed BitstringStatusListCredential of list `number`, as of now."""
    url = status_list_url(base_url, number)
    moment = now or clock.now()
    document = {
        "@context": [di.VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(base_url),
        "validFrom": di.xsd_datetime(moment),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked_indexes(number)),
        },
    }
    return di.sign(document, key, method_of(base_url, key.public_key()), moment)


def list_count() -> int:
    """How many status lists exist (at least one)."""
    last = db.session.scalar(select(db.func.max(Certificate.id))) or 1
    return status_place(last)[0]
