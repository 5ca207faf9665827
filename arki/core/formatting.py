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
from django.utils.html import conditional_escape
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
