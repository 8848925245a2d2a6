"""Users made by tests count as having acknowledged the current privacy notice, so a login
lands where it did before the notice existed. A test of the first login asks for the
`notice_unacknowledged` fixture (the browser journeys do: a real first login shows the notice).

A module of its own, imported once whichever way conftest is imported, so the listener is
registered once."""

from sqlalchemy import event

from lms.auth.models import User
from lms.privacy import notice
from lms.privacy.models import NoticeAcknowledgement

ACKNOWLEDGE_NEW_USERS = {"on": True}


@event.listens_for(User, "after_insert")
def _acknowledged_by_default(_mapper, connection, user):
    if ACKNOWLEDGE_NEW_USERS["on"]:
        connection.execute(
            NoticeAcknowledgement.__table__.insert().values(
                user_id=user.id, version=notice.VERSION, acknowledged_at=user.created_at
            )
        )
