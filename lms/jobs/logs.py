"""Structured logs: with LMS_LOG_JSON=1 every log line (app, worker, gunicorn) is one JSON object
with the time, level, logger, message and, inside a request, its method, path and user."""

import contextlib
import json
import logging
import os
import sys
from datetime import UTC, datetime

from flask import Flask, has_request_context, request

TRUE = {"1", "true", "yes", "on"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record (UTF-8, no ASCII escaping of Vietnamese)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if has_request_context():
            entry["method"] = request.method
            entry["path"] = request.path
            entry["remote_addr"] = request.remote_addr
            with contextlib.suppress(Exception):  # logging must never fail the request
                from flask_login import current_user

                if current_user and current_user.is_authenticated:
                    entry["user_id"] = current_user.id
        if record.exc_info:
            # SafeTracebacks (lms.common.errortext) may have written it without database values
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_enabled(app: Flask | None = None) -> bool:
    """Whether LMS_LOG_JSON is on (app.config first, then the environment)."""
    value = app.config.get("LMS_LOG_JSON") if app is not None else None
    if value is None:
        value = os.environ.get("LMS_LOG_JSON", "")
    return str(value).strip().lower() in TRUE


def install_logging(app: Flask) -> None:
    """With LMS_LOG_JSON on, send the root logger's records as JSON to standard error (once)."""
    if not json_enabled(app):
        return
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
