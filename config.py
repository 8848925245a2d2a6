"""Configuration classes. Values come from the environment, with safe defaults for development.

No application imports here: this module is read before the app exists.
"""

import json
import math
import os
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_bool(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


# Keys that have been published (this project's development and test keys, examples from
# documentation): refused in production however long they are.
KNOWN_SECRET_KEYS = frozenset(
    {
        "dev-only-not-secret",
        "test-secret",
        "changeme",
        "change-me",
        "secret",
        "secret-key",
        "super-secret",
        "supersecretkey",
        "your-secret-key",
        "dev",
        "development",
    }
)
SECRET_KEY_MIN_LENGTH = 32
# Estimated from the characters' spread, which undercounts a short random key: a 32-character
# hex key (128 random bits) is estimated at 100 to 135.
SECRET_KEY_MIN_BITS = 96


def base_url(environ) -> str:
    """The address links in mail point to: LMS_BASE_URL when set, else this machine at the port
    the server is reached at — PORT (`make run`, gunicorn), else FLASK_RUN_PORT (`flask run`),
    else 5000 — so that `PORT=8000 make run` mails links to http://127.0.0.1:8000."""
    configured = (environ.get("LMS_BASE_URL") or "").strip()
    if configured:
        return configured.rstrip("/")
    port = (environ.get("PORT") or environ.get("FLASK_RUN_PORT") or "").strip()
    return f"http://127.0.0.1:{port if port.isdigit() else 5000}"


def secret_key_problems(key: str | bytes | None) -> list[str]:
    """Why `key` cannot sign sessions in production ([] when it can): missing, a published
    default, shorter than SECRET_KEY_MIN_LENGTH characters, visibly not random (a repeated
    pattern, a run like "abcdef…"), or under SECRET_KEY_MIN_BITS of estimated randomness.

    The entropy estimate is the characters' Shannon entropy times the length: about 6 bits per
    character for `secrets.token_urlsafe`, 4 for hex, far less for repeated text. It cannot
    tell a memorable sentence from a random key: the docs ask for `secrets.token_urlsafe(48)`.
    """
    if not key:
        return ["SECRET_KEY is not set."]
    text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
    if text.strip().lower() in KNOWN_SECRET_KEYS:
        return ["SECRET_KEY is a published example or development key."]
    if len(text) < SECRET_KEY_MIN_LENGTH:
        return [f"SECRET_KEY has {len(text)} characters; at least {SECRET_KEY_MIN_LENGTH} needed."]
    counts = Counter(text)
    # Shannon entropy of the characters, with the Miller–Madow correction for a short sample
    # (a 32-character random key shows only part of its alphabet).
    bits_per_char = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    bits_per_char += (len(counts) - 1) / (2 * len(text) * math.log(2))
    steps = [ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)]
    periodic = (text + text).find(text, 1) < len(text)
    sequential = sum(1 for step in steps if abs(step) == 1) > len(steps) / 2  # "abcd…", "9876…"
    if periodic or sequential:
        return ["SECRET_KEY does not look random (repeated or sequential characters)."]
    bits = int(bits_per_char * len(text))
    if bits < SECRET_KEY_MIN_BITS:
        return [
            f"SECRET_KEY is too predictable: about {bits} bits of randomness, at least "
            f"{SECRET_KEY_MIN_BITS} needed (use more characters, or more kinds of them)."
        ]
    return []


SIGNING_SETTINGS = (
    "LMS_SIGNING_P12",
    "LMS_SIGNING_P12_PASSWORD",
    "LMS_SIGNING_DIR",
    "LMS_SIGNING_CREDENTIAL_KEY",
    "LMS_SIGNING_PREVIOUS_CREDENTIAL_KEYS",
    "LMS_SIGNING_TSA_URL",
)


def signing_problems(settings, environ) -> list[str]:
    """Why the app cannot sign in production ([] when it can): no agency key (LMS_SIGNING_P12 or
    LMS_SIGNING_DIR with key.pem and cert.pem) or no credential key (LMS_SIGNING_CREDENTIAL_KEY
    or LMS_SIGNING_DIR/credential-ed25519.pem), or a named file that does not exist. A setting
    is read from `settings`, else from `environ` (lms/signing/keys.py reads them the same way).
    """

    def get(name: str) -> str:
        return str(settings.get(name) or environ.get(name) or "").strip()

    p12, folder, credential = (
        get("LMS_SIGNING_P12"),
        get("LMS_SIGNING_DIR"),
        get("LMS_SIGNING_CREDENTIAL_KEY"),
    )
    problems = []
    if not p12 and not folder:
        problems.append(
            "No signing key: set LMS_SIGNING_P12 (and LMS_SIGNING_P12_PASSWORD) to the agency's "
            "PKCS#12 file, or LMS_SIGNING_DIR to a folder with key.pem, cert.pem and chain.pem; "
            "the demo's keys are never used in production (docs/signing.md)."
        )
    elif p12 and not Path(p12).is_file():
        problems.append(f"LMS_SIGNING_P12 names {p12}, which does not exist.")
    elif not p12:
        missing = [n for n in ("key.pem", "cert.pem") if not (Path(folder) / n).is_file()]
        if missing:
            problems.append(f"LMS_SIGNING_DIR {folder} lacks {', '.join(missing)}.")
    if credential and not Path(credential).is_file():
        problems.append(f"LMS_SIGNING_CREDENTIAL_KEY names {credential}, which does not exist.")
    elif not credential and not (folder and (Path(folder) / "credential-ed25519.pem").is_file()):
        problems.append(
            "No credential key: set LMS_SIGNING_CREDENTIAL_KEY to an Ed25519 private key (PEM), "
            "or put credential-ed25519.pem in LMS_SIGNING_DIR (docs/signing.md)."
        )
    return problems


class Config:
    """Settings shared by every environment; each can be overridden from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    # The key of the ledger's hash chains and seals (lms/common/integrity.py), kept out of the
    # database: unset, it is derived from SECRET_KEY. Set it on its own in production, so that
    # SECRET_KEY can be rotated without touching the ledger. Rotation of this key: set the old
    # one as LMS_LEDGER_PREVIOUS_KEY and run `flask ledger rekey` (docs/operations.md).
    LMS_LEDGER_KEY = os.environ.get("LMS_LEDGER_KEY", "")
    LMS_LEDGER_PREVIOUS_KEY = os.environ.get("LMS_LEDGER_PREVIOUS_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tinchi.sqlite3'}"
    )
    # Pooled connections are pinged before reuse only after sitting idle this long (seconds;
    # lms/common/dbpool.py): a ping on every checkout is one more round trip per request.
    LMS_DB_PING_IDLE_SECONDS = _env_int("LMS_DB_PING_IDLE_SECONDS", 10)
    SQLALCHEMY_RECORD_QUERIES = False
    # An error's text never carries the statement's parameters (names, emails of officials):
    # not in logs, job runs or pages (docs/security.md).
    SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}

    # Jobs: "" = Huey on SQLite in instance/jobs.sqlite3; redis://host:6379/0 for workers on
    # other machines; immediate:// runs each job at once (tests).
    LMS_QUEUE_URL = os.environ.get("LMS_QUEUE_URL", "")
    LMS_JOB_STALE_SECONDS = _env_int("LMS_JOB_STALE_SECONDS", 300)
    # Days an upload (imports) or a generated bulk .zip is kept; the nightly job deletes older
    # ones. 0 keeps them for good.
    LMS_FILE_RETENTION_DAYS = _env_int("LMS_FILE_RETENTION_DAYS", 30)
    LMS_LOG_JSON = _env_bool("LMS_LOG_JSON")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "tinchi@localhost")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 10)
    MAIL_SUPPRESS_SEND = _env_bool("MAIL_SUPPRESS_SEND")
    # Absolute links in mail (LMS_BASE_URL) and on certificates' QR codes (LMS_PUBLIC_BASE_URL,
    # "" = the address of the request).
    LMS_BASE_URL = base_url(os.environ)
    LMS_PUBLIC_BASE_URL = os.environ.get("LMS_PUBLIC_BASE_URL", "")

    # Certificates (issue 7).
    LMS_VERIFY_RATE_LIMIT = os.environ.get("LMS_VERIFY_RATE_LIMIT", "30 per minute")
    # The largest PDF the public /verify upload checks (issue 27; a certificate is about 60 KB).
    LMS_VERIFY_FILE_MAX_BYTES = _env_int("LMS_VERIFY_FILE_MAX_BYTES", 5 * 1024 * 1024)
    LMS_CERTIFICATE_PLACE = os.environ.get("LMS_CERTIFICATE_PLACE", "Đà Nẵng")
    LMS_CERTIFICATE_SIGNER_TITLE = os.environ.get(
        "LMS_CERTIFICATE_SIGNER_TITLE", "GIÁM ĐỐC SỞ NỘI VỤ"
    )
    LMS_CERTIFICATE_SIGNER_NAME = os.environ.get("LMS_CERTIFICATE_SIGNER_NAME", "")
    LMS_CERTIFICATE_BULK_INLINE = _env_int("LMS_CERTIFICATE_BULK_INLINE", 10)
    LMS_CERTIFICATE_BULK_MAX = _env_int("LMS_CERTIFICATE_BULK_MAX", 5000)

    # Citizen satisfaction at the one-stop counters (issue 26, docs/surveys.md).
    LMS_SATISFACTION_QUESTIONNAIRE = os.environ.get("LMS_SATISFACTION_QUESTIONNAIRE", "CITIZEN")
    LMS_SATISFACTION_TOKEN_DAYS = _env_int("LMS_SATISFACTION_TOKEN_DAYS", 31)
    LMS_SATISFACTION_DEVICE_LIMIT = os.environ.get(
        "LMS_SATISFACTION_DEVICE_LIMIT", "3 per hour;6 per day"
    )
    LMS_SATISFACTION_ADDRESS_LIMIT = os.environ.get(
        "LMS_SATISFACTION_ADDRESS_LIMIT", "120 per hour"
    )
    LMS_SATISFACTION_MIN_SECONDS = _env_int("LMS_SATISFACTION_MIN_SECONDS", 4)
    LMS_SATISFACTION_MAX_SECONDS = _env_int("LMS_SATISFACTION_MAX_SECONDS", 7200)
    LMS_ONE_STOP_POSITIONS = os.environ.get("LMS_ONE_STOP_POSITIONS", "XA-MC,HT-VT")
    LMS_ONE_STOP_COURSES = os.environ.get("LMS_ONE_STOP_COURSES", "VT02,VT03")
    # Training evaluation (docs/surveys.md): the certificate's PDF waits for the course
    # evaluation; the effectiveness survey's delay (3–6 months); the smallest group reported.
    LMS_EVALUATION_REQUIRED_FOR_CERTIFICATE = _env_bool("LMS_EVALUATION_REQUIRED_FOR_CERTIFICATE")
    LMS_EFFECTIVENESS_AFTER_MONTHS = _env_int("LMS_EFFECTIVENESS_AFTER_MONTHS", 3)
    LMS_SURVEY_MIN_GROUP = _env_int("LMS_SURVEY_MIN_GROUP", 5)

    # Signing (issue 27, docs/signing.md): the agency's PKCS#12 file and its password, or a folder
    # with key.pem, cert.pem, chain.pem (and credential-ed25519.pem); the Ed25519 key of
    # credentials on its own; a timestamping authority (RFC 3161) for the PDF signatures.
    # Nothing set outside production: demo keys made once in instance/signing-demo/.
    LMS_SIGNING_P12 = os.environ.get("LMS_SIGNING_P12", "")
    LMS_SIGNING_P12_PASSWORD = os.environ.get("LMS_SIGNING_P12_PASSWORD", "")
    LMS_SIGNING_DIR = os.environ.get("LMS_SIGNING_DIR", "")
    LMS_SIGNING_CREDENTIAL_KEY = os.environ.get("LMS_SIGNING_CREDENTIAL_KEY", "")
    # Earlier credential keys (PEM files, comma-separated) still published after a rotation.
    LMS_SIGNING_PREVIOUS_CREDENTIAL_KEYS = os.environ.get(
        "LMS_SIGNING_PREVIOUS_CREDENTIAL_KEYS", ""
    )
    LMS_SIGNING_TSA_URL = os.environ.get("LMS_SIGNING_TSA_URL", "")

    # Credit sources and reviews (issues 5 and 8).
    LMS_EVIDENCE_MAX_BYTES = _env_int("LMS_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
    # One scanned handwritten recruitment paper (issue 28, lms.recruitment.marking.scans).
    LMS_RECRUITMENT_SCAN_MAX_BYTES = _env_int("LMS_RECRUITMENT_SCAN_MAX_BYTES", 10 * 1024 * 1024)
    LMS_REVIEW_FLAG_NOT_MET = os.environ.get("LMS_REVIEW_FLAG_NOT_MET", "1") != "0"
    # The first day (dd/mm, in the cycle's last year) a review snapshot may be taken as of.
    LMS_REVIEW_FROM = os.environ.get("LMS_REVIEW_FROM", "01/12")
    # The signer of the statement PDFs (Decree 30/2020 layout; the place is
    # LMS_CERTIFICATE_PLACE).
    LMS_STATEMENT_SIGNER_TITLE = os.environ.get("LMS_STATEMENT_SIGNER_TITLE", "THỦ TRƯỞNG CƠ QUAN")
    LMS_STATEMENT_SIGNER_NAME = os.environ.get("LMS_STATEMENT_SIGNER_NAME", "")

    # Leave (issue 21, docs/compliance.md): the leave kinds that exempt an official from
    # training — a month whose 15th falls in such a leave does not count towards the target,
    # due dates move later by its length, no reminders. Secondment is not exempting by default:
    # a seconded official works (elsewhere) and keeps training. Fewer months worked in the
    # year than LMS_NOT_RATED_MONTHS flags the statement "not rated" (Decree 90/2020: 6).
    LMS_LEAVE_EXEMPTING_KINDS = tuple(
        kind.strip()
        for kind in os.environ.get(
            "LMS_LEAVE_EXEMPTING_KINDS", "maternity,sick,study,unpaid,suspension"
        ).split(",")
        if kind.strip()
    )
    LMS_NOT_RATED_MONTHS = _env_int("LMS_NOT_RATED_MONTHS", 6)
    # The course a weak content area of the annual rating assigns for the next cycle
    # (docs/compliance.md "Ratings"); None: that area assigns nothing. A JSON object.
    LMS_RATING_AREA_COURSES = json.loads(
        os.environ.get(
            "LMS_RATING_AREA_COURSES",
            '{"ND1": null, "ND2": null, "ND3": "LD02", "ND4": "VT01", "ND5": "BB03"}',
        )
    )

    # Officials per class when the annual plan proposes how many classes a course needs in a
    # quarter (docs/operators.md "Training needs and the annual plan").
    LMS_PLAN_CLASS_SIZE = _env_int("LMS_PLAN_CLASS_SIZE", 40)

    # Job positions whose holder heads the unit of the post (lms/teams; docs/operators.md).
    LMS_HEAD_POSITIONS = os.environ.get("LMS_HEAD_POSITIONS", "LD-GD,LD-TP")

    LMS_DEFAULT_LOCALE = os.environ.get("LMS_DEFAULT_LOCALE", "vi")
    LMS_LOCALES = ("vi", "en")
    BABEL_DEFAULT_LOCALE = LMS_DEFAULT_LOCALE
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "lms" / "translations")

    # Login throttling (lms/auth/throttle.py, docs/security.md). From this many failures of
    # clients without a device cookie, an account makes such clients wait after each failure:
    # LMS_LOGIN_DELAY_SECONDS at first, doubling each time, at most LMS_LOGIN_LOCK_MINUTES.
    LMS_LOGIN_MAX_FAILURES_PER_ACCOUNT = _env_int("LMS_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    LMS_LOGIN_DELAY_SECONDS = _env_int("LMS_LOGIN_DELAY_SECONDS", 30)
    # An address with this many failures (without device cookies) in LMS_LOGIN_LOCK_MINUTES is
    # refused for the rest of that window; so is a device cookie with LMS_DEVICE_MAX_FAILURES.
    LMS_LOGIN_MAX_FAILURES_PER_ADDRESS = _env_int("LMS_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
    LMS_LOGIN_LOCK_MINUTES = _env_int("LMS_LOGIN_LOCK_MINUTES", 15)
    LMS_DEVICE_MAX_FAILURES = _env_int("LMS_DEVICE_MAX_FAILURES", 10)
    LMS_DEVICE_COOKIE_DAYS = _env_int("LMS_DEVICE_COOKIE_DAYS", 180)
    # Wrong two-factor codes an account may receive within LMS_LOGIN_LOCK_MINUTES.
    LMS_2FA_MAX_FAILURES = _env_int("LMS_2FA_MAX_FAILURES", 5)
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none,
    # the address is the TCP peer's). See docs/operations.md.
    LMS_TRUSTED_PROXIES = _env_int("LMS_TRUSTED_PROXIES", 0)
    # Strict-Transport-Security max-age in seconds (0: not sent; production: a year).
    LMS_HSTS_SECONDS = _env_int("LMS_HSTS_SECONDS", 0)
    LMS_PASSWORD_MIN_LENGTH = 8
    # Accounts created for officials (`users provision`): their one-time activation link works
    # this many days after the day it is issued; opening links is rate-limited per address; one
    # PDF of activation letters holds at most this many letters (made while the browser waits:
    # about 20 s for 300 on one core; beyond it, letters are printed unit by unit).
    LMS_ACTIVATION_VALID_DAYS = _env_int("LMS_ACTIVATION_VALID_DAYS", 14)
    LMS_ACTIVATION_RATE_LIMIT = os.environ.get("LMS_ACTIVATION_RATE_LIMIT", "30 per minute")
    LMS_ACCOUNT_LETTERS_MAX = _env_int("LMS_ACCOUNT_LETTERS_MAX", 300)
    LMS_PAGE_SIZE = 50
    # In-person classes (docs/operators.md "In-person classes"): a session's QR code is accepted
    # from this many minutes before its start until its end; checking in more than
    # LMS_CLASS_LATE_MINUTES after the start is recorded as late.
    LMS_CLASS_CHECKIN_MARGIN_MINUTES = _env_int("LMS_CLASS_CHECKIN_MARGIN_MINUTES", 30)
    LMS_CLASS_LATE_MINUTES = _env_int("LMS_CLASS_LATE_MINUTES", 15)

    # Personal data (Law 91/2025/QH15, docs/security.md "Personal data"). Who answers
    # officials' questions about their data, named in the privacy notice (empty: the personnel
    # office of the official's unit).
    LMS_PRIVACY_CONTACT = os.environ.get("LMS_PRIVACY_CONTACT", "")
    # Days HR has to answer a request to correct, restrict or delete personal data.
    LMS_PRIVACY_RESPONSE_DAYS = _env_int("LMS_PRIVACY_RESPONSE_DAYS", 3)
    # How long each kind of data is kept (days; 0: kept forever), applied by the nightly run
    # (lms/privacy/retention.py; uploads and bulk downloads: LMS_FILE_RETENTION_DAYS). The
    # credit ledger and frozen statements are records: never.
    LMS_RETENTION_ATTEMPT_DAYS = _env_int("LMS_RETENTION_ATTEMPT_DAYS", 5 * 365)
    LMS_RETENTION_EVIDENCE_DAYS = _env_int("LMS_RETENTION_EVIDENCE_DAYS", 5 * 365)
    LMS_RETENTION_LOGIN_DAYS = _env_int("LMS_RETENTION_LOGIN_DAYS", 365)
    LMS_RETENTION_NOTIFICATION_DAYS = _env_int("LMS_RETENTION_NOTIFICATION_DAYS", 365)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch still submits
    LMS_IMPORT_MAX_BYTES = _env_int("LMS_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
    # Read while the file is streamed, so a small file holding millions of rows (a 430 KB XLSX
    # can hold 3 million) is refused within a second or two: lines (header and empty ones
    # included), values, and characters in one cell (docs/imports.md).
    LMS_IMPORT_MAX_ROWS = _env_int("LMS_IMPORT_MAX_ROWS", 100_000)
    LMS_IMPORT_MAX_CELLS = _env_int("LMS_IMPORT_MAX_CELLS", 2_000_000)
    LMS_IMPORT_MAX_CELL_CHARS = _env_int("LMS_IMPORT_MAX_CELL_CHARS", 1_000)
    # Files with more rows than this are checked and imported in the background.
    LMS_IMPORT_INLINE_ROWS = _env_int("LMS_IMPORT_INLINE_ROWS", 2000)
    MAX_CONTENT_LENGTH = LMS_IMPORT_MAX_BYTES + 1024 * 1024  # the form around the file

    LMS_DEMO_ALLOWED = True

    # Sessions: logged out after this long without a request, and this long after the login.
    LMS_SESSION_IDLE_MINUTES = _env_int("LMS_SESSION_IDLE_MINUTES", 60)
    LMS_SESSION_ABSOLUTE_HOURS = _env_int("LMS_SESSION_ABSOLUTE_HOURS", 12)
    PERMANENT_SESSION_LIFETIME = LMS_SESSION_ABSOLUTE_HOURS * 3600
    # The cookie is written when the session changes (the last-seen time, once a minute), not
    # re-signed on every request: its lifetime is the absolute limit, counted from the login.
    SESSION_REFRESH_EACH_REQUEST = False
    # Roles that must use two-factor authentication (comma-separated role names).
    LMS_2FA_REQUIRED_ROLES = tuple(
        r for r in os.environ.get("LMS_2FA_REQUIRED_ROLES", "").split(",") if r.strip()
    )
    # Rate limits (Flask-Limiter): memory:// counts per process; use redis://… with several.
    RATELIMIT_STORAGE_URI = os.environ.get("LMS_RATELIMIT_STORAGE_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LMS_LOGIN_RATE_LIMIT = os.environ.get("LMS_LOGIN_RATE_LIMIT", "20 per minute")
    LMS_API_RATE_LIMIT = os.environ.get("LMS_API_RATE_LIMIT", "300 per minute")
    # Requests with an unknown, revoked or expired API token, per address.
    LMS_API_BAD_TOKEN_RATE_LIMIT = os.environ.get("LMS_API_BAD_TOKEN_RATE_LIMIT", "10 per minute")

    # Course content (courses/ trees and uploaded .zip files). Assets default to
    # instance/course_assets; point it at shared storage when several app servers run.
    LMS_COURSE_ASSETS_DIR = os.environ.get("LMS_COURSE_ASSETS_DIR", "")
    LMS_COURSE_UPLOAD_MAX_BYTES = _env_int("LMS_COURSE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
    LMS_COURSE_FILE_MAX_BYTES = _env_int("LMS_COURSE_FILE_MAX_BYTES", 10 * 1024 * 1024)
    LMS_COURSE_TREE_MAX_BYTES = _env_int("LMS_COURSE_TREE_MAX_BYTES", 100 * 1024 * 1024)
    LMS_COURSE_TREE_MAX_FILES = _env_int("LMS_COURSE_TREE_MAX_FILES", 2000)


class DevelopmentConfig(Config):
    """`make run`: SQLite in instance/, a fixed development secret."""

    DEBUG = False
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")  # noqa: S105


class TestingConfig(Config):
    """Tests: a throw-away database chosen by TEST_DATABASE_URL, CSRF checked as in production."""

    TESTING = True
    LMS_LOGIN_RATE_LIMIT = "10000 per minute"  # the rate-limit test sets the real one
    LMS_VERIFY_RATE_LIMIT = "10000 per minute"
    LMS_API_BAD_TOKEN_RATE_LIMIT = "10000 per minute"  # noqa: S105 (not a secret)
    LMS_ACTIVATION_RATE_LIMIT = "10000 per minute"
    LMS_SATISFACTION_DEVICE_LIMIT = "10000 per minute"  # test_surveys_citizen sets the real ones
    LMS_SATISFACTION_ADDRESS_LIMIT = "10000 per minute"
    MAIL_SUPPRESS_SEND = True  # mail tests start an SMTP server and turn sending on
    SECRET_KEY = "test-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SQLALCHEMY_RECORD_QUERIES = True
    WTF_CSRF_ENABLED = True
    # Fast hashes in tests; every other config uses the default (scrypt).
    LMS_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105


class ProductionConfig(Config):
    """Production: SECRET_KEY must come from the environment; no demo data."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    LMS_DEMO_ALLOWED = False
    LMS_2FA_REQUIRED_ROLES = Config.LMS_2FA_REQUIRED_ROLES or ("administrator", "hr_officer")

    LMS_HSTS_SECONDS = _env_int("LMS_HSTS_SECONDS", 365 * 24 * 3600)

    @classmethod
    def validate(cls, settings) -> None:
        """Refuse to start with a weak or missing SECRET_KEY, with rate-limit counters that
        each worker keeps for itself, or without signing keys; the message says what to set."""
        problems = secret_key_problems(settings.get("SECRET_KEY"))
        if problems:
            problems.append(
                "Set SECRET_KEY in the environment to a long random value, e.g. the output of "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )
        storage = str(settings.get("RATELIMIT_STORAGE_URI") or "memory://")
        if storage.startswith("memory://"):
            problems.append(
                "LMS_RATELIMIT_STORAGE_URL is memory://: every worker would count rate limits "
                "on its own. Set it to a store all workers share, e.g. redis://127.0.0.1:6379/1."
            )
        problems.extend(signing_problems(settings, os.environ))
        if problems:
            raise RuntimeError("Refusing to start in production: " + " ".join(problems))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
