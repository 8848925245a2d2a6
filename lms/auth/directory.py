"""What the account screens need from the organisation, which comes after auth and so is not
imported here: the units a role can be granted in, and the official an employee code names.
lms.organisation supplies both when its blueprint is registered (`provide`); until then there
are no units and no officials."""

from collections.abc import Callable


def _no_official(_employee_code: str) -> int | None:
    return None


_unit_choices: Callable[[], list[tuple[str, str]]] = list
_official_id: Callable[[str], int | None] = _no_official


def provide(
    unit_choices: Callable[[], list[tuple[str, str]]],
    official_id: Callable[[str], int | None],
) -> None:
    """Install the organisation's answers: `unit_choices()` → [(id, "code — name")] in tree
    order, `official_id(employee_code)` → the official's id or None."""
    global _unit_choices, _official_id
    _unit_choices, _official_id = unit_choices, official_id


def unit_choices() -> list[tuple[str, str]]:
    """The units a role can be granted in, as (id, "code — name") choices in tree order."""
    return _unit_choices()


def official_id(employee_code: str) -> int | None:
    """The id of the official with this employee code (trimmed, upper case), or None."""
    return _official_id(employee_code.strip().upper())
