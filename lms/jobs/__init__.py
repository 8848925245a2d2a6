"""Background jobs and notifications: the queue (embedded or Redis), reminders, the in-app
inbox and email, and the operations commands (worker, backup).

Public API for other domains:
- `enqueue(name, actor=None, key=None, **params)` → JobRun (lms.jobs.queue);
- `job(name, label)` decorator registering a job function (lms.jobs.registry);
- `notify(user_id, kind, key, context)` and `notify_official(official_id, kind, key, context)`
  (lms.jobs.notifications);
- `nightly_step(order, name, label)` decorator adding a step to the nightly run
  (lms.jobs.registry);
- `LeaseLost`, raised in a job that another worker took over (lms.jobs.lease): a job that
  catches exceptions to record a failure lets this one through, untouched.
Templates get `unread_notifications()` (the current user's unread count; lms.jobs.blueprint).
"""

from lms.jobs.lease import LeaseLost  # noqa: F401  (public: see above)


def enqueue(name: str, *, actor=None, key: str | None = None, **params):
    """Queue a registered job; see lms.jobs.queue.enqueue."""
    from lms.jobs.queue import enqueue as _enqueue

    return _enqueue(name, actor=actor, key=key, **params)


def notify(user_id: int, kind: str, key: str, context: dict | None = None):
    """Notify a user once per (kind, key); see lms.jobs.notifications.notify."""
    from lms.jobs.notifications import notify as _notify

    return _notify(user_id, kind, key, context)


def notify_official(official_id: int, kind: str, key: str, context: dict | None = None):
    """Notify the official's user account once per (kind, key); nothing when they have none.
    See lms.jobs.notifications.notify_official."""
    from lms.jobs.notifications import notify_official as _notify_official

    return _notify_official(official_id, kind, key, context)


def nightly_step(order: int, name: str, label=None, **failure):
    """Register a step of the nightly run; see lms.jobs.registry.nightly_step."""
    from lms.jobs.registry import nightly_step as _nightly_step

    return _nightly_step(order, name, label, **failure)


def job(name: str, label=None):
    """Register a job function by name with its label; see lms.jobs.registry.job."""
    from lms.jobs.registry import job as _job

    return _job(name, label)
