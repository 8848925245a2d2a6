"""Imports every model module so SQLAlchemy metadata (and Alembic) see all tables."""

from lms.audit.models import AuditEntry  # noqa: F401
from lms.auth.models import LoginFailure, RoleGrant, User  # noqa: F401
from lms.catalog.models import (  # noqa: F401
    Course,
    CourseAsset,
    CoursePosition,
    Enrolment,
    Lesson,
    LessonProgress,
)
from lms.organisation.models import (  # noqa: F401
    Official,
    OrgUnit,
    Position,
    PositionAssignment,
    Rank,
)
