"""Gunicorn settings for Tín chỉ: `gunicorn -c gunicorn.conf.py` (see docs/operations.md).

Every value can be changed from the environment without editing this file. The app servers are
stateless: run as many as needed behind a load balancer, all with the same SECRET_KEY,
DATABASE_URL, LMS_QUEUE_URL and LMS_RATELIMIT_STORAGE_URL (a shared store: the production
configuration refuses memory://), and LMS_TRUSTED_PROXIES / FORWARDED_ALLOW_IPS for the proxy.
"""

import multiprocessing
import os

wsgi_app = os.environ.get("GUNICORN_APP", 'lms:create_app("production")')
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: the pages are short database reads; long work goes to the job queue.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(
    os.environ.get("GUNICORN_TIMEOUT", "60")
)  # PDF exports and imports finish well within
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak can never take a server down. A new worker
# loads the app again (about 1.5 s of CPU): at a test wave's 250 requests a second, 2,000
# requests per worker meant a reload every 8 s somewhere, a tenth of a core (bench/).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "2000"))
# Behind a reverse proxy or load balancer (docs/operations.md), two settings go together:
# LMS_TRUSTED_PROXIES, the number of proxies in front of the app, makes the app take the
# client's address from the X-Forwarded-For entries they append (Werkzeug's ProxyFix); and
# forwarded_allow_ips, the addresses of those proxies, whose X-Forwarded-Proto gunicorn believes.
# Without a proxy (LMS_TRUSTED_PROXIES=0) nobody's forwarded headers are believed.
_trusted_proxies = int(os.environ.get("LMS_TRUSTED_PROXIES") or 0)
forwarded_allow_ips = os.environ.get(
    "FORWARDED_ALLOW_IPS", "127.0.0.1,::1" if _trusted_proxies else ""
)
# The body limit is the app's (MAX_CONTENT_LENGTH); these only bound the request line/headers.
limit_request_line = 8190
limit_request_fields = 100

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# The combined format plus the time the request took in the app server (milliseconds), so that
# slow answers can be told apart from a slow network or client (bench/loadtest.py reads it).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)s'
errorlog = "-"
# Query strings are personal data (a registry search for a name, an email in a filter): this
# logger cuts them from the request line, the Referer and gunicorn's own messages.
logger_class = "lms.common.logredact.GunicornLogger"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

if os.environ.get("LMS_LOG_JSON", "").strip().lower() in {"1", "true", "yes", "on"}:
    # One JSON object per line for gunicorn's own messages, the access log and the app (the
    # app's records use the same formatter, lms.jobs.logs, switched on by the same setting).
    # Access lines stay gunicorn's text inside "message", so client-sent text (path, user
    # agent) is always escaped by the JSON encoder.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "lms.jobs.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json"},
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
    }
