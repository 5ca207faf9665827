from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from arki.discussions import services
from arki.discussions.models import LogbookTemplate

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def templates(db) -> dict[str, LogbookTemplate]:
    loaded = {}
    for path in sorted(FIXTURES.glob("*.json")):
        template, _ = services.logbook_import(data=json.loads(path.read_text()))
        loaded[path.stem] = template
    return loaded


@pytest.fixture
def discussion(world, templates):
    d = services.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=date(2026, 9, 1),
    )
    services.discussion_accept(actor=world.worker, discussion=d, responded_on=date(2026, 9, 3))
    d.refresh_from_db()
    return d


def url(d, suffix=""):
    return f"/discussions/children/{d.child_id}/{d.pk}/{suffix}"
