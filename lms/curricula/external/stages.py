"""The stages an external-training request passes before HR decides it, kept by later domains
that curricula cannot import (lms.teams: the head of the official's unit approves first when the
unit asks for it). Curricula sends `submitted` when an official submits a request; a later
domain answers by keeping its own stage of the record and registers, in `STAGES`, a function
that tells for a list of records where each stands. HR's queue and the official's page show
the stages' words; HR cannot decide a record while a stage is `waiting`."""

from collections.abc import Callable
from dataclasses import dataclass

from blinker import Namespace

# Sent (sender: the ExternalRecord, keyword actor) in the submission's transaction, flushed.
submitted = Namespace().signal("external-submitted")


@dataclass(frozen=True)
class Stage:
    """Where a record stands with a later domain: its words (read by HR and the official) and
    whether HR must wait for it."""

    text: str
    waiting: bool


# name → function(record ids) → {record id: Stage}; filled by later domains at registration.
STAGES: dict[str, Callable[[list[int]], dict[int, Stage]]] = {}


def stages_of(record_ids: list[int]) -> dict[int, list[Stage]]:
    """Each record's stages (one query per registered domain)."""
    found: dict[int, list[Stage]] = {}
    if not record_ids:
        return found
    for provider in STAGES.values():
        for record_id, stage in provider(list(record_ids)).items():
            found.setdefault(record_id, []).append(stage)
    return found


def is_waiting(record_id: int) -> bool:
    """Whether a stage holds the record back from HR's decision."""
    return any(stage.waiting for stage in stages_of([record_id]).get(record_id, []))
