"""Assessments: question banks, tests, attempts and grading."""
