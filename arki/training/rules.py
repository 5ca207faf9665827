"""The qualification rules of the LT training model, as pure functions (no database).

MIELI's model: the 12 h discussion course (preparatory tasks, theory, supervised practice)
qualifies for the LT discussion; the 6 h network-meeting module on top of it (in the same or a
later training) qualifies for network meetings too; the six-day trainer training on top of both
qualifies as a trainer. A step's modules count only when completed on or after the day the
step it builds on began (the network-meeting module taken before the basic course does not
count). Refresher training recurs; the refresher falls due a set number of months
after the latest of the qualification date and the last refresher attended.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

DISCUSSION = "discussion"
NETWORK_MEETING = "network_meeting"
TRAINER = "trainer"

# Each qualification needs the previous ones (in this order) plus its own modules.
QUALIFICATION_CHAIN = (DISCUSSION, NETWORK_MEETING, TRAINER)

DUE_SOON_DAYS = 60


def _dates(value: date | Iterable[date]) -> list[date]:
    return [value] if isinstance(value, date) else list(value)


def qualifications_earned(
    *,
    completed: Mapping[str, date | Iterable[date]],
    requirements: Mapping[str, Iterable[str]],
    held: Mapping[str, date] | None = None,
) -> dict[str, date]:
    """The qualifications a person holds after the modules ``completed`` (module key → the
    date, or every date, it was completed).

    ``requirements`` maps each qualification to the module keys it needs on top of the previous
    qualification in the chain; a qualification with no required modules cannot be earned by
    training (only imported). ``held`` are qualifications the person already has (imported or
    earned earlier): they count as the base for the next step and keep their own dates. An
    earned qualification is dated on the day its last required step was completed.
    """
    held = dict(held or {})
    result: dict[str, date] = {}
    previous: date | None = None  # when the previous step was earned
    began: date | None = None  # when the previous step began (its first module, or held)
    for index, kind in enumerate(QUALIFICATION_CHAIN):
        if kind in held:
            result[kind] = held[kind]
            previous = began = held[kind]
            continue
        needed = set(requirements.get(kind, ()))
        base_ok = index == 0 or previous is not None
        # A module completed before the step it builds on began (the network-meeting module
        # before the basic course) does not count; a later completion of it does.
        counted = {
            key: [day for day in _dates(completed[key]) if began is None or day >= began]
            for key in needed & completed.keys()
        }
        if not needed or not base_ok or not all(counted.get(key) for key in needed):
            # A later step cannot be earned without this one (unless it is held already).
            previous = None
            continue
        dates = [min(counted[key]) for key in needed]
        earned_on = max(dates)
        if previous is not None:
            earned_on = max(earned_on, previous)
        result[kind] = earned_on
        previous, began = earned_on, min(dates)
    return result


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def refresher_due_on(
    *, qualified_on: Iterable[date], refreshers: Iterable[date], interval_months: int
) -> date | None:
    """When the next refresher falls due: ``interval_months`` after the latest of the
    qualification dates and the refreshers attended. ``None`` for someone not qualified."""
    qualified = list(qualified_on)
    if not qualified:
        return None
    latest = max([*qualified, *refreshers])
    return add_months(latest, interval_months)


def refresher_status(due_on: date | None, today: date) -> str:
    """ "none" (not qualified), "ok", "due_soon" (within DUE_SOON_DAYS) or "due"."""
    if due_on is None:
        return "none"
    if today >= due_on:
        return "due"
    if today >= due_on - timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "ok"
