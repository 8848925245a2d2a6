"""The `courses/` content format (DESIGN.md §4): course folders ⇄ CourseBundle values.

Pure: no Flask, no database. `parse_tree` reads a mapping {relative path: bytes} (a directory or a
zip read by lms.catalog.archive), checks every file and key, and returns bundles and errors;
`course_files` writes a bundle back as the canonical files. The canonical form is stable: what
`course_files` writes, `parse_tree` reads back to an equal bundle, so export → import → export is
byte-identical, and `digest` (over the canonical files) tells whether an import changes anything.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import replace

from lms.catalog.bundles import (
    ASSET_SEGMENT,
    ASSET_TYPES,
    COURSE_FILE,
    LESSON_FILE,
    MAX_SLUG,
    MAX_TITLE,
    QUESTIONS_FILE,
    SIGNATURES,
    AssetFile,
    ContentError,
    CourseBundle,
    LessonFile,
    asset_type,
    clean_body,
    is_junk,
)
from lms.catalog.coursetoml import course_toml, read_course_toml
from lms.common import vntext
from lms.i18n import _

# Folders of a courses/ tree that hold other content than courses (lowercase: no course code
# can take these names), read by the domain that registers them (lms.catalog.cli.TREE_PARTS):
# programmes/<CODE>/programme.toml; surveys/<name>.toml (questionnaires, lms.surveys).
OTHER_FOLDERS = ("programmes", "surveys")


def parse_tree(files: Mapping[str, bytes]) -> tuple[list[CourseBundle], list[ContentError]]:
    """Read every course of a tree and check all of it.

    Args:
        files: {relative POSIX path: bytes}. Either one course (course.toml at the top) or one
            folder per course named by its code (files beside those folders are ignored, and
            so are the folders of other content, OTHER_FOLDERS).

    Returns:
        (bundles in code order, errors). Use the bundles only when errors is empty.
    """
    visible = {path: data for path, data in files.items() if not is_junk(path)}
    if COURSE_FILE in visible:
        groups = {"": visible}
    else:
        groups: dict[str, dict[str, bytes]] = {}
        for path, data in visible.items():
            if "/" in path:
                folder, rest = path.split("/", 1)
                if folder in OTHER_FOLDERS:
                    continue
                groups.setdefault(folder, {})[rest] = data
    bundles, errors = [], []
    if not groups:
        errors.append(ContentError(".", None, _("No course folder (with a course.toml) found.")))
    for folder in sorted(groups):
        bundle, problems = _parse_course(folder, groups[folder])
        errors.extend(problems)
        if bundle is not None:
            bundles.append(bundle)
    seen: dict[str, int] = {}
    for bundle in bundles:
        seen[bundle.code] = seen.get(bundle.code, 0) + 1
    for code, count in seen.items():
        if count > 1:
            errors.append(ContentError(code, "code", _("This course code appears twice.")))
    return sorted(bundles, key=lambda b: b.code), errors


def _decoded(data: bytes, name: str, errors: list[ContentError]) -> str | None:
    """The file as UTF-8 text, verbatim; None (and an error) when it is not UTF-8 or holds a
    NUL character."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        errors.append(
            ContentError(name, None, _("Not UTF-8 text (byte %(offset)d).", offset=error.start + 1))
        )
        return None
    if "\x00" in text:
        errors.append(ContentError(name, None, _("The file contains a NUL character.")))
        return None
    return text


def _text(data: bytes, name: str, errors: list[ContentError]) -> str | None:
    """UTF-8 text (a byte-order mark is dropped) with Unix line ends; None when unreadable."""
    text = _decoded(data, name, errors)
    if text is None:
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _parse_course(folder: str, files: dict[str, bytes]) -> tuple[CourseBundle | None, list]:
    def name(rel: str) -> str:
        return f"{folder}/{rel}" if folder else rel

    errors: list[ContentError] = []
    if COURSE_FILE not in files:
        errors.append(ContentError(name(COURSE_FILE), None, _("The course.toml file is missing.")))
        return None, errors
    text = _text(files[COURSE_FILE], name(COURSE_FILE), errors)
    meta = read_course_toml(text, name(COURSE_FILE), folder, errors) if text is not None else None
    lessons: list[tuple[int, LessonFile]] = []
    assets: list[AssetFile] = []
    question_bank = None
    for rel in sorted(files):
        data = files[rel]
        if rel == COURSE_FILE:
            continue
        if rel == QUESTIONS_FILE:
            question_bank = _question_bank(data, name(rel), errors)
        elif rel.startswith("lessons/"):
            lesson = _parse_lesson(rel.removeprefix("lessons/"), data, name(rel), errors)
            if lesson is not None:
                lessons.append(lesson)
        elif rel.startswith("assets/"):
            asset = _check_asset(rel.removeprefix("assets/"), data, name(rel), errors)
            if asset is not None:
                assets.append(asset)
        else:
            errors.append(
                ContentError(
                    name(rel),
                    None,
                    _(
                        "Unexpected file: a course folder holds course.toml, questions.gift, "
                        "lessons/NN-slug.md and assets/…"
                    ),
                )
            )
    _check_lesson_order(lessons, name("lessons/"), errors)
    if errors or meta is None:
        return None, errors
    bundle = CourseBundle(
        **meta,
        lessons=tuple(lesson for _number, lesson in sorted(lessons, key=lambda x: x[0])),
        question_bank=question_bank,
        assets=tuple(assets),
    )
    return bundle, errors


def _parse_lesson(rel: str, data: bytes, name: str, errors: list) -> tuple[int, LessonFile] | None:
    match = LESSON_FILE.fullmatch(rel)
    if match is None or len(match.group(2)) > MAX_SLUG:
        errors.append(
            ContentError(name, None, _("A lesson file is named NN-slug.md, e.g. 01-gioi-thieu.md."))
        )
        return None
    text = _text(data, name, errors)
    if text is None:
        return None
    first, _newline, rest = text.partition("\n")
    title = vntext.normalize(first[2:]) if first.startswith("# ") else ""
    if not title:
        errors.append(ContentError(name, "# title", _("The first line must be '# <title>'.")))
        return None
    if len(title) > MAX_TITLE:
        errors.append(
            ContentError(name, "# title", _("At most %(max)d characters.", max=MAX_TITLE))
        )
        return None
    return int(match.group(1)), LessonFile(match.group(2), title, clean_body(rest))


def _check_lesson_order(lessons: list, folder: str, errors: list) -> None:
    numbers: dict[int, str] = {}
    slugs: set[str] = set()
    for number, lesson in lessons:
        if number in numbers:
            errors.append(
                ContentError(folder, None, _("Two lessons are numbered %(n)02d.", n=number))
            )
        if lesson.slug in slugs:
            errors.append(
                ContentError(folder, None, _("Two lessons are named %(slug)s.", slug=lesson.slug))
            )
        numbers[number] = lesson.slug
        slugs.add(lesson.slug)


def _question_bank(data: bytes, name: str, errors: list) -> str | None:
    """The GIFT file verbatim (only checked to be UTF-8: the tests module parses it)."""
    return _decoded(data, name, errors)


def _check_asset(rel: str, data: bytes, name: str, errors: list) -> AssetFile | None:
    parts = rel.split("/")
    if len(rel) > 200 or not all(ASSET_SEGMENT.fullmatch(part) for part in parts):
        errors.append(
            ContentError(name, None, _("Asset names use letters, digits, '.', '-' and '_' only."))
        )
        return None
    extension = rel.rsplit(".", 1)[-1].lower()
    if asset_type(rel) is None:
        errors.append(
            ContentError(
                name,
                None,
                _("This type of file is not allowed: %(types)s.", types=", ".join(ASSET_TYPES)),
            )
        )
        return None
    signatures = SIGNATURES.get(extension)
    if signatures and not data.startswith(signatures):
        errors.append(ContentError(name, None, _("The file's content does not match its type.")))
        return None
    return AssetFile.of(rel, data)


def lesson_file_name(number: int, slug: str) -> str:
    """lessons/NN-slug.md (three digits from lesson 100 on)."""
    return f"lessons/{number:02d}-{slug}.md"


def lesson_text(lesson: LessonFile) -> str:
    """A lesson file's text: the title heading, a blank line, the body."""
    return f"# {lesson.title}\n\n{lesson.body}\n" if lesson.body else f"# {lesson.title}\n"


def course_files(bundle: CourseBundle) -> dict[str, bytes]:
    """The canonical files of a course folder, {path relative to the folder: bytes}.

    Lessons are numbered 01, 02, … in order; assets must carry their data.
    """
    files = {COURSE_FILE: course_toml(bundle).encode("utf-8")}
    for number, lesson in enumerate(bundle.lessons, start=1):
        files[lesson_file_name(number, lesson.slug)] = lesson_text(lesson).encode("utf-8")
    if bundle.question_bank is not None:
        files[QUESTIONS_FILE] = bundle.question_bank.encode("utf-8")
    for asset in bundle.assets:
        if asset.data is None:
            raise ValueError(f"asset {asset.path} has no data")
        files[f"assets/{asset.path}"] = asset.data
    return files


def digest(bundle: CourseBundle) -> str:
    """SHA-256 of the canonical files (assets by their hash): equal digests, equal content."""
    lines = []
    for path, data in sorted(course_files(replace(bundle, assets=())).items()):
        lines.append(f"{path}\t{hashlib.sha256(data).hexdigest()}")
    lines += [f"assets/{a.path}\t{a.sha256}" for a in sorted(bundle.assets, key=lambda a: a.path)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
