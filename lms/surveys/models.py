"""Surveys: questionnaires in numbered versions (sections of items), and the anonymous responses
given to one version (a citizen's at a one-stop counter, a learner's after a course)."""

from datetime import date, datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.extensions import db


class Questionnaire(db.Model):
    """A questionnaire named by its code (e.g. TT10-COURSE, CITIZEN), about one object of
    Circular 10/2017 or the citizen's view of a one-stop counter.

    Invariants: `code` is unique for all time; its content lives in versions, never edited in
    place, so each answer keeps the wording it was given."""

    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(32))  # rules.SUBJECTS
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    versions: Mapped[list["QuestionnaireVersion"]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.number"
    )


class QuestionnaireVersion(db.Model):
    """One wording of a questionnaire: numbered 1, 2, … per questionnaire; `digest` is the
    SHA-256 of its canonical content, so importing the same file again adds nothing.

    Invariants: (questionnaire, number) unique; a version's sections and items never change."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    number: Mapped[int]
    title_vi: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255))
    intro_vi: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
    sections: Mapped[list["SurveySection"]] = relationship(
        back_populates="version", order_by="SurveySection.position"
    )


class SurveySection(db.Model):
    """A titled group of items in a version, shown in `position` order."""

    __tablename__ = "survey_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    position: Mapped[int]
    title_vi: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255))

    version: Mapped[QuestionnaireVersion] = relationship(back_populates="sections")
    items: Mapped[list["SurveyItem"]] = relationship(
        back_populates="section", order_by="SurveyItem.position"
    )


class SurveyItem(db.Model):
    """One question: `kind` is one of rules.KINDS; `options` the choices ([{vi, en}]) of a
    single or multiple choice, or {"min", "max"} of a number; `weight` its share in the
    satisfaction index (Likert items only).

    Invariants: `code` unique within its version; positions count from 1 through the version."""

    __tablename__ = "survey_items"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("survey_sections.id"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    text_vi: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    options: Mapped[dict | list] = mapped_column(JSON, default=list)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    is_required: Mapped[bool] = mapped_column(default=False)

    section: Mapped[SurveySection] = relationship(back_populates="items")


class SurveyResponse(db.Model):
    """One filled-in questionnaire. Holds no personal data: no name, address, device or
    account — only the version, what it was about (a unit for citizens, a course for learners),
    the day, and the year and month the reports group by.

    Invariants: `year`/`month` are those of `submitted_on` (Vietnam's date)."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_unit_year", "unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # rules.CHANNELS
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    submitted_on: Mapped[date]
    year: Mapped[int]
    month: Mapped[int]

    answers: Mapped[list["SurveyAnswer"]] = relationship(back_populates="response")


class SurveyAnswer(db.Model):
    """The answer to one item: `value` the Likert score, the number, or the chosen option's
    index (single choice); `choices` the chosen indexes of a multiple choice; `text` the free
    text with phone and ID numbers already masked (rules.mask_personal_numbers)."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("survey_items.id"), index=True)
    value: Mapped[float | None] = mapped_column(Float)
    choices: Mapped[list | None] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
