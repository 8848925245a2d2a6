"""The one import point for translation and locale formatting.

Every module takes `_`, `_l` and `ngettext` from here; templates get the same through Jinja.
Locale order: the user's saved preference → the session → the browser → the default (vi).
"""

from functools import lru_cache

from babel.numbers import format_decimal as babel_format_decimal
from flask import current_app, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    lazy_gettext,
    ngettext,
)
from flask_babel import gettext as _
from flask_login import current_user

_l = lazy_gettext

__all__ = [
    "_",
    "_l",
    "ngettext",
    "format_date",
    "format_datetime",
    "format_moment",
    "format_decimal",
    "select_locale",
    "LOCALE_NAMES",
    "format_day",
    "format_number",
]

# Each language named in itself, as a language switcher shows it.
LOCALE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def select_locale() -> str:
    """Choose the request's locale: user preference, session, Accept-Language, default."""
    supported = current_app.config["LMS_LOCALES"]
    if not has_request_context():  # CLI and background jobs speak the default language
        return current_app.config["LMS_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in supported:
        return user_locale
    if session.get("locale") in supported:
        return session["locale"]
    browser = request.accept_languages.best_match(supported)
    return browser or current_app.config["LMS_DEFAULT_LOCALE"]


# Vietnamese forms and documents write dates dd/mm/yyyy; English gets Babel's medium format.
_DAY_PATTERNS = {"vi": "dd/MM/yyyy"}


def format_day(value) -> str:
    """A date as this locale writes it (vi: 02/09/2025; en: Sep 2, 2025); '' for None."""
    if value is None:
        return ""
    return format_date(value, _DAY_PATTERNS.get(str(get_locale()), "medium"))


# A moment: Vietnamese forms write "14:05 02/09/2025" (Babel's short vi form is "14:05 2/9/25").
_MOMENT_PATTERNS = {"vi": "HH:mm dd/MM/yyyy"}


def format_moment(value) -> str:
    """A date and time (naive UTC, shown in the viewer's time zone) as this locale writes it
    (vi: 14:05 02/09/2025; en: Babel's short form, 9/2/25, 2:05 PM); '' for None."""
    if value is None:
        return ""
    return format_datetime(value, _MOMENT_PATTERNS.get(str(get_locale()), "short"))


# A moment someone must wait for (when a test opens again): date first, "02/09/2025 14:05".
_EXACT_PATTERNS = {"vi": "dd/MM/yyyy HH:mm"}


def format_exact(value) -> str:
    """A date and time to wait for (naive UTC, shown in the viewer's time zone), date first
    (vi: 02/09/2025 14:05; en: Babel's short form); '' for None."""
    if value is None:
        return ""
    return format_datetime(value, _EXACT_PATTERNS.get(str(get_locale()), "short"))


def format_number(value) -> str:
    """A number with the locale's separators (vi: 1.234,5)."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        # Dashboards print thousands of small counts: Babel's formatting is the page's main
        # cost there (bench/run.py), and a count formats the same way every time.
        return _format_count(value, str(get_locale()))
    return format_decimal(value)


@lru_cache(maxsize=4096)
def _format_count(value: int, locale: str) -> str:
    return babel_format_decimal(value, locale=locale)
