"""Pure rules of a test: drawing questions, deadlines, the attempt's score and pass decision,
and the quiz statistics (facility and discrimination as Moodle's quiz statistics report).
No Flask, no database."""

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from lms.assessments.questions import Answer, Question

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# --- Stored answers ------------------------------------------------------------------------
def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def answers_to_json(answers: Iterable[Answer]) -> list[dict]:
    """Answers as JSON-safe dicts (decimals as strings), in their order."""
    out = []
    for a in answers:
        row = {"text": a.text, "fraction": str(a.fraction), "feedback": a.feedback}
        row |= {"text_format": a.text_format, "feedback_format": a.feedback_format}
        for key in ("tolerance", "min", "max"):
            if getattr(a, key) is not None:
                row[key] = str(getattr(a, key))
        if a.match_text is not None:
            row["match_text"] = a.match_text
        out.append(row)
    return out


def answers_from_json(rows: Iterable[dict]) -> tuple[Answer, ...]:
    """The inverse of answers_to_json."""
    return tuple(
        Answer(
            text=row["text"],
            fraction=Decimal(row["fraction"]),
            feedback=row.get("feedback", ""),
            text_format=row.get("text_format", "moodle"),
            feedback_format=row.get("feedback_format", "moodle"),
            tolerance=_dec(row.get("tolerance")),
            min=_dec(row.get("min")),
            max=_dec(row.get("max")),
            match_text=row.get("match_text"),
        )
        for row in rows
    )


# --- Drawing -------------------------------------------------------------------------------
def draw(
    by_category: dict[str, Sequence[int]],
    draws: dict[str, int],
    count: int,
    rng: random.Random,
    shuffle: bool,
) -> list[int]:
    """The question ids of a new attempt.

    With `draws` ({category path: n}) n questions are drawn at random from each category (all of
    it when it holds fewer); otherwise `count` from the whole bank (0 or more than the bank: all).
    Questions keep bank order unless `shuffle`; ids from `by_category` are in bank order.
    """
    chosen: list[int] = []
    if draws:
        for path, n in draws.items():
            pool = list(by_category.get(path, ()))
            chosen += pool if n >= len(pool) else rng.sample(pool, n)
    else:
        pool = [qid for ids in by_category.values() for qid in ids]
        chosen = pool if not count or count >= len(pool) else rng.sample(pool, count)
    order = {qid: i for i, qid in enumerate(q for ids in by_category.values() for q in ids)}
    chosen.sort(key=lambda qid: order.get(qid, 0))
    if shuffle:
        rng.shuffle(chosen)
    return chosen


def deadline(
    started_at: datetime, limit_minutes: int, extra_minutes: int, closes_at: datetime | None
) -> datetime | None:
    """When an attempt must end: start + time limit + extra time, and never after the test
    closes (Moodle does the same). None: untimed and never closing."""
    ends = None
    if limit_minutes:
        ends = started_at + timedelta(minutes=limit_minutes + max(extra_minutes, 0))
    if closes_at is not None and (ends is None or closes_at < ends):
        ends = closes_at
    return ends


def seconds_left(deadline_at: datetime | None, now: datetime) -> int | None:
    """Whole seconds until the deadline (0 when past; None when untimed)."""
    if deadline_at is None:
        return None
    return max(0, math.floor((deadline_at - now).total_seconds()))


# --- Score ---------------------------------------------------------------------------------
def percent(marks: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """The attempt's score in percent (2 decimals, half up) from (mark, fraction) per question;
    None while any graded question has no fraction yet (an essay waiting for a grader)."""
    earned = total = Decimal(0)
    for mark, fraction in marks:
        if mark == 0:
            continue
        if fraction is None:
            return None
        earned += mark * fraction
        total += mark
    if total == 0:
        return HUNDRED.quantize(CENT)
    return (earned * HUNDRED / total).quantize(CENT, ROUND_HALF_UP)


def passed(score: Decimal | None, pass_mark: Decimal) -> bool | None:
    """Whether a score reaches the pass mark (None while not fully graded)."""
    return None if score is None else score >= pass_mark


def mark_of(question: Question) -> Decimal:
    """Weight of a question in an attempt: 1, 0 for a description."""
    return Decimal(1) if question.is_graded else Decimal(0)


# --- Statistics ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemStats:
    """Facility (mean score, %) and discrimination index (%, Moodle's: correlation of the
    question's score with the rest of the test), over `count` attempts."""

    count: int
    facility: float | None
    discrimination: float | None


def stats_from_sums(n, sx, sxx, sr, srr, sxr) -> ItemStats:
    """Item statistics from sums over attempts of x (the question's fraction), r (the marks
    of the rest of the test), x², r² and x·r, so SQL can aggregate them.

    Discrimination is 100 × covariance(x, r) / √(var(x) var(r)) with sample (n − 1) variances,
    as Moodle's question/classes/statistics calculator; None with fewer than two attempts or
    when either does not vary.
    """
    n = int(n or 0)
    if n == 0:
        return ItemStats(0, None, None)
    sx, sxx, sr, srr, sxr = (float(v or 0) for v in (sx, sxx, sr, srr, sxr))
    facility = 100 * sx / n
    if n < 2:
        return ItemStats(n, facility, None)
    covariance = (sxr - sx * sr / n) / (n - 1)
    var_x = (sxx - sx * sx / n) / (n - 1)
    var_r = (srr - sr * sr / n) / (n - 1)
    if var_x <= 1e-12 or var_r <= 1e-12:
        return ItemStats(n, facility, None)
    return ItemStats(n, facility, 100 * covariance / math.sqrt(var_x * var_r))


def item_stats(rows: Sequence[tuple[float, float]]) -> ItemStats:
    """Statistics of one question from (its fraction, the attempt's other marks) per attempt."""
    return stats_from_sums(
        len(rows),
        sum(x for x, _ in rows),
        sum(x * x for x, _ in rows),
        sum(r for _, r in rows),
        sum(r * r for _, r in rows),
        sum(x * r for x, r in rows),
    )


def histogram(scores: Iterable[Decimal], bins: int = 10) -> list[int]:
    """Counts of scores in bins of equal width over 0–100 % (100 falls in the last bin)."""
    counts = [0] * bins
    for score in scores:
        index = min(int(Decimal(score) * bins // HUNDRED), bins - 1)
        counts[max(index, 0)] += 1
    return counts
