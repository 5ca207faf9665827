"""Reading a worker's own calendar file (.ics, RFC 5545) into busy times.

Only what the finder needs is kept: when each busy event starts and ends, and a hash of its UID
(so that importing the same file again replaces the event's occurrences instead of adding them
twice). Titles, descriptions, places and attendees are never read into Arki. Recurring events
(RRULE, RDATE, EXDATE and moved or cancelled occurrences) are expanded with
``recurring-ical-events`` (docs/decisions/0011-ics-recurrence-expansion.md). Free
(``TRANSP:TRANSPARENT``) and cancelled events are not busy time.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from arki.core.exceptions import DomainError

logger = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 10_000
MAX_OCCURRENCES = 10_000
# Rules that repeat within the hour cannot be a person's busy time, and would make a small file
# expand into millions of occurrences.
TOO_FREQUENT = {"SECONDLY", "MINUTELY", "HOURLY"}
MAX_TIMES_A_DAY = 24
# Properties that decide when an event is busy: a broken one makes the whole file unreadable.
TIME_PROPERTIES = {
    "DTSTART",
    "DTEND",
    "DURATION",
    "RRULE",
    "RDATE",
    "EXDATE",
    "RECURRENCE-ID",
    "STATUS",
    "TRANSP",
}


class CalendarFileError(DomainError):
    default_message = _(
        "The file is not a calendar file (.ics) that Arki can read. Nothing was imported."
    )


@dataclass(frozen=True)
class Occurrence:
    uid_hash: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class CalendarFile:
    uid_hashes: frozenset[str]  # every event in the file, busy or not, in the horizon or not
    occurrences: list[Occurrence]  # the busy ones in the horizon, earliest first


def uid_hash(uid: str) -> str:
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()


def _text(content: bytes | str) -> str:
    if isinstance(content, str):
        if len(content.encode("utf-8")) > MAX_BYTES:
            raise CalendarFileError(_("The calendar is too large (at most 2 MB)."))
        return content
    if len(content) > MAX_BYTES:
        raise CalendarFileError(_("The calendar is too large (at most 2 MB)."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CalendarFileError(
            _("The file is not UTF-8 text. Export the calendar as an .ics file and try again.")
        ) from exc


def _aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return datetime.combine(value, time(0), tzinfo=zone)


def _event_uid(event: Any) -> str:
    uid = event.get("UID")
    if uid:
        return str(uid)
    # RFC 5545 requires a UID; without one, the event's own times identify it.
    return "no-uid:" + "|".join(
        event[name].to_ical().decode() for name in ("DTSTART", "DTEND", "RRULE") if name in event
    )


def _is_busy(event: Any) -> bool:
    transp = str(event.get("TRANSP", "OPAQUE")).upper()
    status = str(event.get("STATUS", "")).upper()
    return transp != "TRANSPARENT" and status != "CANCELLED"


def _parse(text: str) -> Any:
    if "BEGIN:VCALENDAR" not in text.upper():
        raise CalendarFileError()
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise CalendarFileError() from exc
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise CalendarFileError()
    for event in calendar.walk("VEVENT"):
        if "DTSTART" not in event:
            raise CalendarFileError(
                _("An event in the file has no start time. Nothing was imported.")
            )
        broken = sorted({name for name, _error in event.errors if name in TIME_PROPERTIES})
        if broken:
            raise CalendarFileError(
                _(
                    "An event in the file has a time Arki cannot read (%(property)s). "
                    "Nothing was imported."
                )
                % {"property": ", ".join(broken)}
            )
        _check_rules(event)
    if len(calendar.walk("VEVENT")) > MAX_EVENTS:
        raise CalendarFileError(_("The calendar has too many events to import."))
    return calendar


def _check_rules(event: Any) -> None:
    rules = event.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules else []:
        times_a_day = 1
        for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            times_a_day *= len(rule.get(part, [0]))
        frequency = {str(f).upper() for f in rule.get("FREQ", [])}
        if frequency & TOO_FREQUENT or times_a_day > MAX_TIMES_A_DAY:
            raise CalendarFileError(
                _(
                    "An event in the file repeats more often than Arki can import "
                    "(every hour or more often). Nothing was imported."
                )
            )


def _busy_occurrence(
    event: Any, zone: ZoneInfo, start: datetime, end: datetime
) -> Occurrence | None:
    """The occurrence ``event`` as busy time in start..end, or None (free, cancelled, no
    length, outside)."""
    if not _is_busy(event):
        return None
    begins = _aware(event["DTSTART"].dt, zone)
    if "DTEND" in event:
        ends = _aware(event["DTEND"].dt, zone)
    elif "DURATION" in event:
        ends = begins + event["DURATION"].dt
    elif type(event["DTSTART"].dt) is date:  # RFC 5545: a day event lasts the day
        ends = begins + timedelta(days=1)
    else:  # and a timed event without an end takes no time
        return None
    if ends <= begins or ends <= start or begins >= end:
        return None
    return Occurrence(uid_hash(_event_uid(event)), begins, ends)


def read_calendar(content: bytes | str, *, start: datetime, end: datetime) -> CalendarFile:
    """The busy occurrences in ``start``..``end`` of the calendar in ``content``; raises
    ``CalendarFileError`` (nothing read) for anything that is not a readable calendar."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = _parse(_text(content))
    uids = frozenset(uid_hash(_event_uid(event)) for event in calendar.walk("VEVENT"))
    found: dict[tuple[str, datetime], Occurrence] = {}
    try:
        # Series by series, so that the count stops a runaway file early.
        for series in recurring_ical_events.of(calendar).series:
            for occurrence in series.between(start, end):
                event = occurrence.as_component(False)
                found_one = _busy_occurrence(event, zone, start, end)
                if found_one is None:
                    continue
                key = (found_one.uid_hash, found_one.starts_at)
                if key not in found or found[key].ends_at < found_one.ends_at:
                    found[key] = found_one
                if len(found) > MAX_OCCURRENCES:
                    raise CalendarFileError(
                        _("The calendar has too many events in the next six months to import.")
                    )
    except CalendarFileError:
        raise
    except Exception as exc:  # a malformed rule or time deep in the file: never a 500
        logger.info("calendar file could not be expanded: %s", exc)
        raise CalendarFileError() from exc
    occurrences = sorted(found.values(), key=lambda o: (o.starts_at, o.ends_at))
    return CalendarFile(uid_hashes=uids, occurrences=occurrences)
