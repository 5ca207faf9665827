from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(day: str, hm: str = "00:00") -> datetime:
    """A Helsinki time: at("2027-01-04", "9:30")."""
    return datetime.fromisoformat(f"{day}T{hm:0>5}").replace(tzinfo=HELSINKI)


@pytest.fixture
def ics():
    """An .ics calendar around the given VEVENT bodies."""

    def make(*events: str) -> str:
        body = "".join(
            f"BEGIN:VEVENT\r\nDTSTAMP:20261201T000000Z\r\n{e.strip()}\r\nEND:VEVENT\r\n"
            for e in events
        )
        return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//FI\r\n{body}END:VCALENDAR\r\n"

    return make
