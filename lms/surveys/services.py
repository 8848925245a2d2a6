"""Survey services: importing questionnaire files as versions, and recording a response to a
version (checked against its items, free text masked). They flush; callers commit."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select

from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _
from lms.surveys import rules, spec
from lms.surveys.models import (
    Questionnaire,
    QuestionnaireVersion,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveySection,
)


@dataclass(frozen=True)
class ImportResult:
    """What an import did per questionnaire code: "new", "new version N" or "unchanged"."""

    outcomes: dict[str, str]
    errors: list[str]


def files_of(paths: list[Path]) -> dict[str, bytes]:
    """{file name: bytes} of the questionnaire files named (folders: their *.toml files)."""
    files: dict[str, bytes] = {}
    for path in paths:
        for file in sorted(path.glob("*.toml")) if path.is_dir() else [path]:
            files[file.name] = file.read_bytes()
    return files


def read_files(files: dict[str, bytes]) -> tuple[list[spec.QuestionnaireSpec], list[str]]:
    """Read and check every file ({name: bytes}); the specs, and every problem of every file
    (a code given by two files is one)."""
    specs, errors = [], []
    for name, data in sorted(files.items()):
        try:
            specs.append(spec.parse(data.decode("utf-8"), name))
        except UnicodeDecodeError as error:
            errors.append(_("%(name)s: cannot be read (%(error)s).", name=name, error=error))
        except spec.SpecError as error:
            errors.extend(error.reasons)
    codes = [s.code for s in specs]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(_("Questionnaire %(code)s is given by two files.", code=code))
    if not files:
        errors.append(_("No questionnaire file (*.toml) found."))
    return specs, errors


def latest_version(code: str) -> QuestionnaireVersion | None:
    """The newest version of the questionnaire `code` (None if there is none)."""
    return db.session.scalar(
        select(QuestionnaireVersion)
        .join(Questionnaire)
        .where(Questionnaire.code == code.upper())
        .order_by(QuestionnaireVersion.number.desc())
        .limit(1)
    )


def save_spec(item: spec.QuestionnaireSpec) -> str:
    """Store `item` as a new version of its questionnaire unless its newest version has the same
    content; returns the outcome ("new", "new version N", "unchanged"). Flushed."""
    digest = item.digest()
    current = latest_version(item.code)
    if current is not None and current.digest == digest:
        return "unchanged"
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.code == item.code))
    if questionnaire is None:
        questionnaire = Questionnaire(code=item.code, subject=item.subject)
        db.session.add(questionnaire)
    questionnaire.subject = item.subject
    number = (current.number + 1) if current is not None else 1
    version = QuestionnaireVersion(
        questionnaire=questionnaire,
        number=number,
        title_vi=item.title_vi,
        title_en=item.title_en,
        intro_vi=item.intro_vi,
        intro_en=item.intro_en,
        digest=digest,
    )
    db.session.add(version)
    db.session.flush()
    position = 0
    for s, section_spec in enumerate(item.sections, 1):
        section = SurveySection(
            version=version,
            position=s,
            title_vi=section_spec.title_vi,
            title_en=section_spec.title_en,
        )
        db.session.add(section)
        for item_spec in section_spec.items:
            position += 1
            db.session.add(
                SurveyItem(
                    section=section,
                    version_id=version.id,
                    position=position,
                    code=item_spec.code,
                    kind=item_spec.kind,
                    text_vi=item_spec.text_vi,
                    text_en=item_spec.text_en,
                    options=item_spec.options,
                    weight=item_spec.weight,
                    is_required=item_spec.required,
                )
            )
    db.session.flush()
    return "new" if number == 1 else f"new version {number}"


def import_paths(paths: list[Path], dry_run: bool = False) -> ImportResult:
    """Import questionnaire files (folders: their *.toml files): `import_files`."""
    return import_files(files_of(paths), dry_run)


def import_files(files: dict[str, bytes], dry_run: bool = False) -> ImportResult:
    """Import questionnaire files ({name: bytes}): all of them or, if any file is bad, none
    (every problem is reported); `dry_run` checks and says what would happen without writing.
    Flushed."""
    specs, errors = read_files(files)
    if errors:
        return ImportResult({}, errors)
    outcomes = {}
    with db.session.begin_nested() as savepoint:
        for item in specs:
            outcomes[item.code] = save_spec(item)
        if dry_run:
            savepoint.rollback()
    return ImportResult(outcomes, [])


def items_of(version: QuestionnaireVersion) -> list[SurveyItem]:
    """The items of a version in order."""
    return list(
        db.session.scalars(
            select(SurveyItem)
            .where(SurveyItem.version_id == version.id)
            .order_by(SurveyItem.position)
        )
    )


def _answer(item: SurveyItem, raw: list[str]) -> dict | None:
    """The answer to `item` from the submitted values (strings), as the columns of its
    SurveyAnswer row ({"item_id", and "value", "choices" or "text"}), or None when left blank;
    ValueError when it is not a possible answer."""
    values = [v.strip() for v in raw if v and v.strip()]
    if not values:
        return None
    if item.kind == rules.MULTIPLE:
        chosen = sorted({int(v) for v in values})
        if any(not 0 <= c < len(item.options) for c in chosen):
            raise ValueError(item.code)
        return {"item_id": item.id, "choices": chosen}
    value = values[0]
    if item.kind == rules.TEXT:
        text = rules.mask_personal_numbers(value[: rules.TEXT_MAX])
        return {"item_id": item.id, "text": text}
    number = float(value.replace(",", "."))
    if item.kind == rules.LIKERT:
        ok = number in (1, 2, 3, 4, 5)
    elif item.kind == rules.SINGLE:
        ok = number.is_integer() and 0 <= number < len(item.options)
    else:
        ok = item.options.get("min", 0) <= number <= item.options.get("max", 1e9)
    if not ok:
        raise ValueError(item.code)
    return {"item_id": item.id, "value": number}


def record_response(
    version: QuestionnaireVersion,
    answers: dict[str, list[str]],
    channel: str,
    on: date,
    unit_id: int | None = None,
    course_id: int | None = None,
    items: list[SurveyItem] | None = None,
) -> SurveyResponse:
    """Record one response to `version`: `answers` maps item codes to the submitted strings;
    `items` are the version's (items_of), when the caller has them already. Raises
    ValidationFailed naming the items that are required and blank or not a possible answer.
    Free text is masked before it is stored. Flushed: the response row, then its answers in one
    statement per kind of answer (the burst of citizen submissions, docs/performance.md)."""
    stored, reasons = [], []
    for item in items if items is not None else items_of(version):
        try:
            answer = _answer(item, answers.get(item.code, []))
        except ValueError:
            reasons.append((item.code, _("This is not a possible answer.")))
            continue
        if answer is None and item.is_required:
            reasons.append((item.code, _("Please answer this question.")))
        elif answer is not None:
            stored.append(answer)
    if reasons:
        raise ValidationFailed(reasons)
    response = SurveyResponse(
        version_id=version.id,
        channel=channel,
        unit_id=unit_id,
        course_id=course_id,
        submitted_on=on,
        year=on.year,
        month=on.month,
    )
    db.session.add(response)
    db.session.flush()
    by_columns: dict[tuple, list[dict]] = {}  # a Core executemany per set of columns
    for row in stored:
        row["response_id"] = response.id
        by_columns.setdefault(tuple(row), []).append(row)
    for rows in by_columns.values():  # not the ORM's bulk insert: a third of its cost
        db.session.execute(insert(SurveyAnswer.__table__), rows)
    return response
