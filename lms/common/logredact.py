"""Server logs without personal data: query strings (a registry search for "Nguyễn Văn An", an
email typed in a filter) are cut from the access-log lines of gunicorn and of Werkzeug's
development server, colour codes or not, and from the Referer they record."""

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "…"
# A "?" and what follows it, up to the end of the request line's target: before " HTTP/1.1",
# before the colour code the development server closes the line with, or at the end of the text
# (a Referer). Spaces inside are taken too (a request line Werkzeug found malformed keeps them),
# so no part of the query is left behind.
_QUERY = re.compile(r"\?.*?(?=\s+HTTP/\d|\x1b\[|$)", re.DOTALL)
# Environment entries and atoms that hold nothing but a query string.
_QUERY_ONLY = {"q", "{query_string}e"}


def redact_query(value):
    """`value` with every query string replaced by "?…" (other values are returned as they are).

    >>> redact_query("GET /officials/?q=Nguy%E1%BB%85n HTTP/1.1")
    'GET /officials/?… HTTP/1.1'
    """
    if not isinstance(value, str) or "?" not in value:
        return value
    return _QUERY.sub("?" + REDACTED, value)


class RedactQueryStrings(logging.Filter):
    """A logging filter: the record's message and every text argument lose their query strings
    (Werkzeug's request lines, plain or coloured, and its "Bad request syntax" errors)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_query(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact_query(arg) for key, arg in record.args.items()}
        if isinstance(record.msg, str):
            record.msg = redact_query(record.msg)
        return True


class _GunicornMessages(RedactQueryStrings):
    """gunicorn's own messages: besides query strings, the part of a malformed request that an
    "Invalid request" warning quotes (the rest of a request line broken by a name's spaces)."""

    INVALID = re.compile(r"^(Invalid request from ip=\S*: [^'\"]*?)[:\s]*['\"].*$", re.DOTALL)

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        if isinstance(record.msg, str) and record.msg.startswith("Invalid request from"):
            record.msg = self.INVALID.sub(r"\1: " + REDACTED, record.msg)
        return True


class GunicornLogger(Logger):
    """gunicorn's logger (gunicorn.conf.py `logger_class`): the access log's request line,
    query, Referer and any header or environment value lose their query strings, and so do
    gunicorn's own messages (an invalid request line is quoted in a warning)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        if not any(isinstance(f, _GunicornMessages) for f in self.error_log.filters):
            self.error_log.addFilter(_GunicornMessages())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if key in _QUERY_ONLY:
                atoms[key] = REDACTED if value else value
            else:
                atoms[key] = redact_query(value)
        return atoms
