"""The question bank of a course: import parsed GIFT/Aiken questions (keyed, so importing again
updates instead of duplicating), sync from the course's questions.gift, edit one question,
export as GIFT. Services flush and raise domain errors; callers commit."""

import re
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from lms.assessments import aiken, gift, gift_export, moodle_xml, moodle_xml_export
from lms.assessments.categories import course_path
from lms.assessments.models import BankQuestion, QuestionCategory
from lms.assessments.questions import (
    CLOZE,
    FileEncodingError,
    ParseResult,
    Question,
    decode_utf8,
)
from lms.assessments.scoring import answers_from_json, answers_to_json
from lms.audit import services as audit
from lms.catalog.models import Course
from lms.common import clock
from lms.common.vntext import search_key
from lms.errors import ValidationFailed
from lms.extensions import db
from lms.i18n import _

FORMATS = ("gift", "aiken", "xml")
ROOT = ""  # path of the root category of a bank


@dataclass
class ImportReport:
    """What an import did (or would do, on a dry run): keys created, updated, unchanged, retired."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)  # updated questions: regrade candidates


def nul_position(data: bytes) -> tuple[int, int] | None:
    """Line and column (1-based, in characters) of the first NUL character of a file, or None.
    No question may hold one (PostgreSQL cannot store it, and no form can send it back)."""
    index = data.find(b"\x00")
    if index < 0:
        return None
    start = max(data.rfind(b"\n", 0, index), data.rfind(b"\r", 0, index)) + 1
    line = len(re.findall(rb"\r\n|\r|\n", data[:start])) + 1
    return line, len(data[start:index].decode("utf-8", errors="replace")) + 1


def nul_message(data: bytes) -> str | None:
    """The form's message for a file holding a NUL character (None when it holds none)."""
    position = nul_position(data)
    if position is None:
        return None
    return _(
        "Line %(line)d, column %(column)d: the file holds a NUL character, which no text may "
        "contain. Save the file again as plain UTF-8 text.",
        line=position[0],
        column=position[1],
    )


def parse_upload(data: bytes, file_format: str) -> ParseResult:
    """Decode and parse an uploaded file; an encoding problem becomes an error on line 1, a NUL
    character an error on its line (nothing else is parsed)."""
    module = {"gift": gift, "aiken": aiken, "xml": moodle_xml}[file_format]
    try:
        text = module.decode(data)
    except FileEncodingError as error:
        result = ParseResult()
        result.errors.append(gift.GiftError(1, str(error)))
        return result
    position = nul_position(data)
    if position is not None:
        result = ParseResult()
        message = _("a NUL character at column %(column)d", column=position[1])
        result.errors.append(gift.GiftError(position[0], message))
        return result
    return module.parse(text)


# The file names a question file may have, by format (Moodle exports GIFT as .txt or .gift).
SUFFIXES = {"gift": (".txt", ".gift"), "aiken": (".txt",), "xml": (".xml",)}
# Files that are plainly not text: PDF, zip-based (docx, xlsx, odt), old Office, images.
_BINARY_STARTS = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff")


def upload_problem(filename: str | None, data: bytes, file_format: str, limit: int) -> str | None:
    """Why an uploaded question file is refused before it is parsed (said at the file field):
    too large, a name or content that is not a text file of the format, empty, not UTF-8, or
    holding a NUL character; None when it can be parsed. `data` is the file read up to
    `limit` + 1 bytes."""
    if len(data) > limit:
        return _("The file is larger than %(mb)d MB.", mb=max(1, limit // (1024 * 1024)))
    suffixes = SUFFIXES.get(file_format, (".txt",))
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if filename and "." in filename else ""
    if suffix == ".xml" and file_format != "xml" and not data.startswith(_BINARY_STARTS):
        return _("This is a Moodle XML file: choose “Moodle XML” under Format and preview again.")
    if suffix not in suffixes or data.startswith(_BINARY_STARTS) or b"\x00" in data[:4096]:
        return _(
            "Only text files (%(suffixes)s) are accepted for this format: export the questions "
            "from Moodle, or save them as plain text.",
            suffixes=", ".join(suffixes),
        )
    if not data.strip().strip(b"\xef\xbb\xbf").strip():
        return _("The file is empty.")
    try:
        decode_utf8(data, file_format, FileEncodingError)
    except FileEncodingError:
        return _(
            "The file is not UTF-8. Save it again as UTF-8 text (in Notepad: Save as, Encoding "
            "UTF-8) and upload it again."
        )
    return nul_message(data)  # a stray NUL further in: named by line and column


def problems(result: ParseResult) -> list[str]:
    """Every error of a parse as "line N: message" (translated where a message is known)."""
    return _by_line(result.errors)


def notices(result: ParseResult) -> list[str]:
    """Every warning of a parse (attachments left out…) as "line N: message", like errors."""
    return _by_line(result.warnings)


def _by_line(found) -> list[str]:
    return [
        str(e.message)
        if "line" in dict(e.params)  # Aiken's messages name their line already
        else _("line %(line)d: %(message)s", line=e.line, message=e.message)
        for e in found
    ]


def to_question(row: BankQuestion) -> Question:
    """A stored question as the pure Question the kinds, scoring and GIFT export use."""
    return Question(
        kind=row.kind,
        name=row.name,
        text=row.text,
        text_format=row.text_format,
        general_feedback=row.general_feedback,
        general_feedback_format=row.general_feedback_format,
        answers=answers_from_json(row.answers or []),
        category=row.category.path if row.category and row.category.path else None,
        idnumber=row.idnumber,
        tags=tuple(row.tags or ()),
    )


def keys_of(questions: list[Question]) -> list[str]:
    """Each question's key in the bank: its idnumber, else its name; a key met again in the
    same file gets "#2", "#3"… so every question of a file has its own row."""
    seen: dict[str, int] = {}
    keys = []
    for q in questions:
        base = (q.idnumber or q.name)[:280]
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return keys


def category(course: Course, path: str | None) -> QuestionCategory:
    """The bank category with that path (created when new); a Moodle path loses its context
    placeholder and ``top`` level (``$course$/top/A/B`` is ``A/B``)."""
    path = (course_path(path) or ROOT)[:255]
    found = db.session.scalar(
        select(QuestionCategory).where(
            QuestionCategory.course_id == course.id, QuestionCategory.path == path
        )
    )
    if found is None:
        found = QuestionCategory(course_id=course.id, path=path)
        db.session.add(found)
        db.session.flush()
    return found


def question_fields(question: Question, category_id: int, position: int) -> dict:
    """A bank row's columns for `question` (in `category_id`, at `position`)."""
    return {
        "category_id": category_id,
        "kind": question.kind,
        "name": question.name[:255],
        "idnumber": question.idnumber[:100] if question.idnumber else None,
        "text": question.text,
        "text_format": question.text_format,
        "general_feedback": question.general_feedback,
        "general_feedback_format": question.general_feedback_format,
        "answers": answers_to_json(question.answers),
        "tags": list(question.tags),
        "position": position,
    }


def questions_of(course: Course, active_only: bool = True) -> list[BankQuestion]:
    """The bank in order: category path, then position."""
    stmt = (
        select(BankQuestion)
        .join(QuestionCategory, QuestionCategory.id == BankQuestion.category_id)
        .where(BankQuestion.course_id == course.id)
        .order_by(QuestionCategory.path, BankQuestion.position, BankQuestion.id)
    )
    if active_only:
        stmt = stmt.where(BankQuestion.retired_at.is_(None))
    return list(db.session.scalars(stmt))


def import_questions(
    course: Course, result: ParseResult, actor=None, retire_missing: bool = False
) -> ImportReport:
    """Write parsed questions into the course's bank (flushed).

    A question whose key exists is updated in place (its version grows when its content
    changed; a retired one comes back); a new key adds a question. With `retire_missing`, bank
    questions absent from the file are retired (the course file is the bank's source).

    Raises ValidationFailed when the parse has errors: nothing is written.
    """
    if result.errors:
        raise ValidationFailed([("file", message) for message in problems(result)])
    report = ImportReport()
    existing = {row.key: row for row in questions_of(course, active_only=False)}
    base = max((row.position for row in existing.values()), default=0)
    keyed = zip(keys_of(result.questions), result.questions, strict=True)
    for index, (key, question) in enumerate(keyed, 1):
        values = question_fields(question, category(course, question.category).id, base + index)
        row = existing.pop(key, None)
        if row is None:
            db.session.add(BankQuestion(course_id=course.id, key=key, **values))
            report.created.append(key)
            continue
        values["position"] = row.position if not retire_missing else index
        content = {k: v for k, v in values.items() if k != "position"}
        if all(getattr(row, k) == v for k, v in content.items()) and row.retired_at is None:
            report.unchanged.append(key)
            row.position = values["position"]
            continue
        if any(getattr(row, k) != v for k, v in content.items()):
            row.version += 1
            report.changed_ids.append(row.id)
        for name, value in values.items():
            setattr(row, name, value)
        row.retired_at = None
        report.updated.append(key)
    if retire_missing:
        for key, row in existing.items():
            if row.retired_at is None:
                row.retired_at = clock.now()
                report.retired.append(key)
    db.session.flush()
    if report.created or report.updated or report.retired:
        audit.record(
            actor,
            "questions.import",
            "course",
            course.id,
            after={k: len(getattr(report, k)) for k in ("created", "updated", "retired")},
        )
    return report


def sync_bank_from_course(course: Course, actor=None) -> ImportReport:
    """Bring the bank in line with the course's questions.gift (`question_bank_source`), and
    its test with [test]. Idempotent: a second run changes nothing.

    Raises ValidationFailed (with line numbers) when the GIFT text has errors.
    """
    from lms.assessments.quizzes import sync_quiz

    report = ImportReport()
    if course.question_bank_source:
        parsed = gift.parse(course.question_bank_source)
        report = import_questions(course, parsed, actor, retire_missing=True)
    sync_quiz(course)
    return report


def edit_question(row: BankQuestion, source: str, options: dict, actor) -> bool:
    """Replace one question by the single GIFT question in `source` (its key stays) and set
    its grading options; returns whether anything changed (the version then grows).

    Raises ValidationFailed when the text is not exactly one valid question.
    """
    parsed = gift.parse(source)
    if parsed.errors:
        raise ValidationFailed([("source", message) for message in problems(parsed)])
    if len(parsed.questions) != 1:
        raise ValidationFailed([("source", _("Write exactly one question."))])
    question = parsed.questions[0]
    course = db.session.get(Course, row.course_id)
    path = question.category if question.category is not None else row.category.path
    values = question_fields(question, category(course, path).id, row.position)
    values["options"] = {k: bool(v) for k, v in options.items()}
    return new_version(row, values, actor)


def new_version(row: BankQuestion, values: dict, actor) -> bool:
    """Write `values` over the row as its next version, audited (`question.edit`); returns
    whether anything changed (nothing is written when nothing did)."""
    before = {k: getattr(row, k) for k in values}
    if before == values:
        return False
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    db.session.flush()
    audit.record(actor, "question.edit", "bank_question", row.id, *audit.diff(before, values))
    return True


def retire_question(row: BankQuestion, actor) -> None:
    """Take a question out of the bank (kept for the attempts that drew it)."""
    if row.retired_at is None:
        row.retired_at = clock.now()
        db.session.flush()
        audit.record(actor, "question.retire", "bank_question", row.id)


def move_questions(course: Course, rows: list[BankQuestion], path: str, actor) -> int:
    """Move questions of the course's bank to the category `path` (made when new; audited per
    question). Returns how many moved."""
    target = category(course, path.strip())
    moved = 0
    for row in rows:
        if row.course_id != course.id or row.category_id == target.id:
            continue
        before = row.category.path if row.category else ""
        row.category_id = target.id
        moved += 1
        audit.record(
            actor,
            "question.move",
            "bank_question",
            row.id,
            {"category": before},
            {"category": target.path},
        )
    db.session.flush()
    return moved


def matches(row: BankQuestion, words: str, kind: str = "", path: str | None = None) -> bool:
    """Whether a bank question matches a search (name, text and tags, with or without
    diacritics), a kind and a category path (None: any)."""
    if kind and row.kind != kind:
        return False
    if path is not None and (row.category.path if row.category else "") != path:
        return False
    if not words.strip():
        return True
    haystack = search_key(" ".join([row.name, row.text, *(row.tags or ())]))
    return all(word in haystack for word in search_key(words).split())


def not_in_gift(course: Course) -> list[str]:
    """Names of the active questions GIFT cannot carry (Cloze: export them as Moodle XML)."""
    return [row.name for row in questions_of(course) if row.kind == CLOZE]


def export_gift(course: Course) -> str:
    """The course's active questions as GIFT, categories included (lossless: importing it
    gives the same questions). Cloze questions are left out, named in a comment at the top
    (GIFT has no embedded answers)."""
    questions = [to_question(row) for row in questions_of(course) if row.kind != CLOZE]
    uncategorised = [q for q in questions if q.category is None]
    skipped = not_in_gift(course)
    head = ""
    if skipped:
        note = _(
            "%(count)d Cloze question(s) left out: GIFT cannot carry embedded answers; export "
            "the bank as Moodle XML to keep them: %(names)s",
            count=len(skipped),
            names="; ".join(skipped),
        )
        head = "// " + " ".join(note.split()) + "\n\n"
    return head + gift_export.export(
        uncategorised + [q for q in questions if q.category is not None]
    )


def export_xml(course: Course) -> str:
    """The course's active questions as Moodle XML, categories included."""
    questions = [to_question(row) for row in questions_of(course)]
    uncategorised = [q for q in questions if q.category is None]
    return moodle_xml_export.export(
        uncategorised + [q for q in questions if q.category is not None]
    )


def question_gift(row: BankQuestion) -> str:
    """One question as GIFT, for the edit form (without its category line)."""
    question = to_question(row)
    return gift_export.export([replace(question, category=None)], comments=False)
