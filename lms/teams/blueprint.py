"""The teams blueprint (`bp`) and what its registration installs: the session hooks that keep
the `head` grants in step with the registry, and its answer to organisation's signal.
The app factory imports the domain's route modules (routes*.py, *_routes.py) and registers
it."""

from flask import Blueprint

bp = Blueprint("teams", __name__)


def _connect(_state) -> None:
    """Posts written in bulk by an import may make or unmake heads; an external-training
    submission may wait for the head (curricula's signal and STAGES); /me lists the official's
    nominations (compliance's ME_NOTES); the team page counts what awaits the head."""
    from lms.compliance.routes_learner import ME_NOTES
    from lms.curricula.external.stages import STAGES, submitted
    from lms.organisation.imports import posts_written
    from lms.teams import approvals, nominations, places, team
    from lms.teams.hooks import install_session_hooks, note_posts_written

    posts_written.connect(note_posts_written)
    submitted.connect(approvals.on_submitted)
    STAGES["teams.head_review"] = approvals.stage_of_records
    team.AWAITING["external"] = approvals.awaiting_by_official
    team.AWAITING["places"] = places.awaiting_by_official
    note = ("teams/_nominations.html", nominations.open_nominations_of)
    if note not in ME_NOTES:
        ME_NOTES.append(note)
    install_session_hooks()


bp.record_once(_connect)
