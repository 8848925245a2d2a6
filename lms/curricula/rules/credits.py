"""Whether a course completion earns the course's credits (DESIGN.md §3: repeatable courses)."""

from collections.abc import Iterable
from datetime import date


def earns_credits(
    repeatable: bool, completed_on: date, credited: Iterable[tuple[date, date]]
) -> bool:
    """Whether a completion of a course on `completed_on` earns the course's credits.

    `credited` lists the cycles, as (first day, last day), in which the official already holds
    credits for the course (net: a reversed credit is not held). A course earns its credits
    once: any later completion — a retake, the renewal of an expiring certificate, a refresher
    in another cycle — earns nothing (it still meets the mandatory obligations it is valid
    for). A course marked repeatable earns them once in each cycle: a completion earns unless
    a credited cycle contains its day, so a second completion in the same cycle earns nothing.
    """
    cycles = list(credited)
    if not repeatable:
        return not cycles
    return not any(starts_on <= completed_on <= ends_on for starts_on, ends_on in cycles)
