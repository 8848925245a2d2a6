"""Catalog: courses, lessons, the `courses/` content tree, enrolment and lesson progress."""
