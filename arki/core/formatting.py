"""Dates as the template engine's ``|date`` filter writes them, for table rows built in Python
(``open_discussion_rows``, ``open_meeting_rows``)."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.template.defaultfilters import date as date_filter
from django.utils.timezone import is_aware, localtime
from django.utils.translation import get_language


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
