"""Pure rules of recruitment exams (no Flask, no database): priority categories and their
points, the citizen identity number, candidate numbers, when a candidate may start, allowed
networks, and drawing a paper by blueprint."""

import ipaddress
import random
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from lms.common.labels import Labelled
from lms.i18n import _l


class Priority(Labelled):
    """Priority categories in the recruitment of civil servants (đối tượng ưu tiên, Decree
    138/2020/NĐ-CP art. 5; points in `PRIORITY_POINTS`): only the highest one counts."""

    NONE = "", _l("None")
    HERO_WOUNDED = "UT1", _l("Hero of the armed forces or of labour, war invalid (7.5 points)")
    ETHNIC_VETERAN = (
        "UT2",
        _l(
            "Ethnic minority, demobilised officer or soldier, child of a martyr or war invalid "
            "(5 points)"
        ),
    )
    SERVICE_DONE = "UT3", _l("Completed military or police service, youth volunteer (2.5 points)")


PRIORITY_POINTS = {
    Priority.NONE: Decimal("0"),
    Priority.HERO_WOUNDED: Decimal("7.5"),
    Priority.ETHNIC_VETERAN: Decimal("5"),
    Priority.SERVICE_DONE: Decimal("2.5"),
}

# Question difficulty: the bank has no difficulty field, so a question's difficulty is one of
# its tags ([tag:easy] in GIFT, or the Vietnamese de / trung-binh / kho).
DIFFICULTY_TAGS = {
    "easy": ("easy", "de"),
    "medium": ("medium", "trung-binh"),
    "hard": ("hard", "kho"),
}

ID_NUMBER = re.compile(r"\d{12}")
# A person's name: letters (any script), spaces, apostrophes, hyphens and dots — so no formula
# (=, +, @…) and no digits reach the register.
PERSON_NAME = re.compile(r"[^\W\d_]+(?:[ .'\-]+[^\W\d_]+)*\.?")
# Letters and digits that cannot be misread on paper (no 0/O, 1/l/I).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def priority_points(code: str | None) -> Decimal:
    """The points of a priority category code ("" or None: 0). Raises ValueError when unknown."""
    return PRIORITY_POINTS[Priority(code or "")]


def is_id_number(value: str) -> bool:
    """Whether `value` is a 12-digit citizen identity number (CCCD; Law on Identification 2023)."""
    return bool(ID_NUMBER.fullmatch(value or ""))


def is_person_name(value: str) -> bool:
    """Whether `value` reads as a person's name (letters, with spaces, hyphens, apostrophes)."""
    return bool(PERSON_NAME.fullmatch(value or ""))


def candidate_number(code: str, n: int) -> str:
    """The n-th candidate number of a recruitment: its code and four digits (TD2026-0007)."""
    return f"{code}-{n:04d}"


def new_code(length: int = 6, rng=secrets) -> str:
    """A code read aloud or printed (session code, admission card password): letters and
    digits, at least one of each."""
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
            return code


def parse_networks(text: str) -> list:
    """The IP ranges of a session ("10.0.0.0/24, 192.168.1.5"): raises ValueError on a bad one."""
    parts = [p.strip() for p in re.split(r"[,\s]+", text or "") if p.strip()]
    return [ipaddress.ip_network(p, strict=False) for p in parts]


def address_allowed(address: str | None, networks_text: str) -> bool:
    """Whether `address` lies in one of the ranges (no ranges: any address)."""
    networks = parse_networks(networks_text)
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in networks)


# Why a candidate may not start (None: they may).
NOT_SEATED, NOT_YET, OVER, BAD_CODE, BAD_NETWORK, DONE = (
    "not_seated",
    "not_yet",
    "over",
    "bad_code",
    "bad_network",
    "done",
)


def why_not_start(
    now: datetime,
    starts_at: datetime,
    ends_at: datetime,
    code_given: str,
    code: str,
    address_ok: bool,
    submitted: bool = False,
) -> str | None:
    """Whether a seated candidate may start (or resume) the paper: inside [starts_at, ends_at),
    with the session code (compared without case or spaces) and from an allowed address."""
    if submitted:
        return DONE
    if now < starts_at:
        return NOT_YET
    if now >= ends_at:
        return OVER
    if (code_given or "").strip().upper() != (code or "").strip().upper():
        return BAD_CODE
    if not address_ok:
        return BAD_NETWORK
    return None


def paper_deadline(
    started_at: datetime, duration_minutes: int, ends_at: datetime, extra_minutes: int
) -> datetime:
    """When the paper ends: start + duration + added time, but never after the session's end
    plus the added time (a candidate given ten minutes for an incident keeps them)."""
    extra = timedelta(minutes=max(extra_minutes, 0))
    return min(started_at + timedelta(minutes=duration_minutes) + extra, ends_at + extra)


@dataclass(frozen=True)
class BankItem:
    """A question of the bank as the blueprint sees it: id, category path, tags."""

    id: int
    category: str
    tags: tuple[str, ...]


def difficulty_of(tags: Sequence[str]) -> str:
    """The difficulty a question's tags give ("easy", "medium", "hard"; "" when none)."""
    lowered = {t.strip().lower() for t in tags}
    for level, names in DIFFICULTY_TAGS.items():
        if lowered & set(names):
            return level
    return ""


def _matches(item: BankItem, category: str, difficulty: str) -> bool:
    in_topic = (
        not category
        or item.category == category
        or item.category.startswith(category.rstrip("/") + "/")
    )
    return in_topic and (not difficulty or difficulty_of(item.tags) == difficulty)


def shortfalls(items: Sequence[BankItem], blueprint: Sequence[dict]) -> list[tuple[dict, int]]:
    """The blueprint rows the bank cannot fill: (row, questions available)."""
    short = []
    for row in blueprint:
        found = sum(
            1 for i in items if _matches(i, row.get("category", ""), row.get("difficulty", ""))
        )
        if found < int(row.get("count", 0)):
            short.append((row, found))
    return short


def draw_paper(
    items: Sequence[BankItem], blueprint: Sequence[dict], rng: random.Random
) -> list[int]:
    """The question ids of one candidate's paper: for each blueprint row (topic × difficulty ×
    count) that many questions drawn at random among those not drawn yet, all in an order of the
    candidate's own. A row the bank cannot fill gives what it has."""
    chosen: list[int] = []
    taken: set[int] = set()
    for row in blueprint:
        pool = [
            i.id
            for i in items
            if i.id not in taken and _matches(i, row.get("category", ""), row.get("difficulty", ""))
        ]
        n = min(int(row.get("count", 0)), len(pool))
        picked = rng.sample(pool, n)
        chosen += picked
        taken.update(picked)
    rng.shuffle(chosen)
    return chosen


def in_window(day: date, opens_on: date | None, closes_on: date | None) -> bool:
    """Whether online applications are taken on `day` (both ends inclusive; no dates: never)."""
    if opens_on is None or closes_on is None:
        return False
    return opens_on <= day <= closes_on


SESSION_CODE = re.compile(r"[A-Za-z0-9]{4,16}")
# A recruitment's or a position's code: letters, digits, hyphens, dots, underscores.
PLAIN_CODE = re.compile(r"[A-Z0-9][A-Z0-9._\-]*")


def is_session_code(value: str) -> bool:
    """Whether `value` can be a session code (4 to 16 letters and digits)."""
    return bool(SESSION_CODE.fullmatch((value or "").strip()))


def is_plain_code(value: str, longest: int) -> bool:
    """Whether `value` (upper case) is a code of at most `longest` characters: letters, digits,
    and inside it hyphens, dots or underscores."""
    return len(value or "") <= longest and bool(PLAIN_CODE.fullmatch(value or ""))


def parse_blueprint(text: str) -> list[dict]:
    """Blueprint rows written "TOPIC:DIFFICULTY:COUNT", separated by ";" or new lines (TOPIC a
    category path or empty; DIFFICULTY easy, medium, hard or empty; COUNT 1–500). Raises
    ValueError on a row that is not so."""
    rows = []
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text or ""))):
        topic, _sep, count = part.rpartition(":")
        topic, _sep2, difficulty = topic.rpartition(":") if ":" in topic else ("", "", topic)
        difficulty = difficulty.strip().lower()
        count = count.strip()
        if not (count.isascii() and count.isdigit() and len(count) <= 3 and 1 <= int(count) <= 500):
            raise ValueError(part)
        if difficulty not in ("", *DIFFICULTY_TAGS):
            raise ValueError(part)
        rows.append({"category": topic.strip(), "difficulty": difficulty, "count": int(count)})
    return rows


def blueprint_text(rows) -> str:
    """The blueprint as parse_blueprint reads it, one row a line."""
    return "\n".join(
        f"{row.get('category', '')}:{row.get('difficulty', '')}:{row.get('count', 0)}"
        for row in rows or ()
    )
