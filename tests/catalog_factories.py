"""Moved to tests/factories.py (course folders, import_tree, PNG, PDF, GIFT) and tests/conftest.py
(the `assets_dir` fixture). Kept only for the access matrix's imports (tests/web/routes/), which
its owner moves to tests.factories; import from tests.factories instead."""

from tests.factories import (  # noqa: F401
    GIFT,
    LESSON_SLUGS,
    LESSON_TITLES,
    PDF,
    PNG,
    course_toml,
    course_tree,
    import_tree,
)
