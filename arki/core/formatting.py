"""Dates, URLs and CSRF fields as the template engine's ``|date`` filter, ``{% url %}`` and
``{% csrf_token %}`` write them, for markup built in Python (``open_discussion_rows``,
``open_meeting_rows``, ``child_links``, ``site_header``, the discussion page's fragments)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.timezone import is_aware, localtime
from django.utils.translation import get_language, gettext


@lru_cache(maxsize=4096)
def _date_text(language: str | None, value: date, fmt: str) -> str:
    return date_filter(value, fmt)


def date_text(value: date | datetime | None, fmt: str) -> str:
    """``{{ value|date:fmt }}``: "" for None; a datetime in the current time zone. A date's
    text depends only on the language, so it is kept (a home page repeats the same few dates
    on every request, and formatting one costs ~10 µs)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_filter(localtime(value) if is_aware(value) else value, fmt)
    return _date_text(get_language(), value, fmt)


def short_date(value: date | None) -> str:
    """``{{ value|date:"SHORT_DATE_FORMAT"|default:"–" }}``."""
    return date_text(value, "SHORT_DATE_FORMAT") or "–"


def url_for_ids(viewname: str, count: int) -> Callable[..., str]:
    """``reverse(viewname, args=ids)`` for a table's rows, whose arguments are ``count`` UUIDs:
    reversed once with placeholder ids, then each row's ids are put in their place (a
    ``reverse`` costs ~15 µs, a page's tables paid it per row). The ``uuid`` path converter
    writes an id as ``str(id)``, as this does."""
    placeholders = [str(UUID(int=n + 1)) for n in range(count)]
    url = reverse(viewname, args=placeholders)

    def build(*ids: Any) -> str:
        result = url
        for placeholder, value in zip(placeholders, ids, strict=True):
            result = result.replace(placeholder, str(value))
        return result

    return build


def csrf_input(csrf_token: Any) -> str:
    """``{% csrf_token %}`` for the request's token (the context's ``csrf_token``)."""
    if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 - Django's marker
        return ""
    value = conditional_escape(csrf_token)
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{value}">'


# The pieces of Django's date format strings that the four languages' SHORT_DATETIME_FORMAT
# use (fi "j.n.Y G.i", sv "Y-m-d H:i", en "m/d/Y P", da "d.m.Y H:i"), as in
# ``django.utils.dateformat``. A format with anything else goes through ``date_filter``.
_DATE_PIECES: dict[str, Callable[[datetime], str]] = {
    "j": lambda d: str(d.day),
    "d": lambda d: f"{d.day:02d}",
    "n": lambda d: str(d.month),
    "m": lambda d: f"{d.month:02d}",
    "Y": lambda d: f"{d.year:04d}",
    "G": lambda d: str(d.hour),
    "H": lambda d: f"{d.hour:02d}",
    "i": lambda d: f"{d.minute:02d}",
}


def _twelve_hour(midnight: str, noon: str, am: str, pm: str) -> Callable[[datetime], str]:
    """Django's "P": '1 a.m.', '1:30 p.m.', 'midnight', 'noon'."""

    def piece(d: datetime) -> str:
        if d.minute == 0 and d.hour in (0, 12):
            return midnight if d.hour == 0 else noon
        hour = d.hour % 12 or 12
        time = f"{hour}:{d.minute:02d}" if d.minute else str(hour)
        return f"{time} {pm if d.hour > 11 else am}"

    return piece


def short_datetime_formatter() -> Callable[[datetime], str]:
    """``date_filter(value, "SHORT_DATETIME_FORMAT")`` for local datetimes in the active
    language, without parsing the format string for every value (50 dates cost ~1.5 ms through
    ``date_filter``). Formats using other pieces fall back to ``date_filter``."""
    fmt = str(get_format("SHORT_DATETIME_FORMAT"))
    pieces: list[Callable[[datetime], str] | str] = []
    for char in fmt:
        if char in _DATE_PIECES:
            pieces.append(_DATE_PIECES[char])
        elif char == "P":
            pieces.append(
                _twelve_hour(gettext("midnight"), gettext("noon"), gettext("a.m."), gettext("p.m."))
            )
        elif not char.isalpha() and char != "\\":  # a letter may be a format character
            pieces.append(char)
        else:
            return lambda value: date_filter(value, fmt)
    return lambda value: "".join(p if isinstance(p, str) else p(value) for p in pieces)
