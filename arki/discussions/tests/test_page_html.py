"""The whole discussion page, byte for byte, as it was before its forms were cached.

``pages/`` holds the page as the code rendered it before ``arki.core.blank_forms`` (an offered,
an accepted and a closed discussion in each language, on a fixed day), with the CSRF tokens,
CSP nonces and record ids masked. Each page is requested twice, so the second answer shows
the forms from the cache. ``ARKI_WRITE_PAGE_FIXTURES=1`` writes the files instead.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings

from arki.core.tests.clock import freeze_now

from .conftest import url
from .test_page_fragments import LANGUAGES, _fill, _masked, _put_in_state

PAGES = Path(__file__).parent / "pages"
# 12:30 in Helsinki: the date fields' initial value is 2026-12-02.
INSTANT = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _normalised(html: str) -> str:
    """The masked page with each record id replaced by its order of first appearance."""
    seen: dict[str, str] = {}
    return UUID.sub(lambda m: seen.setdefault(m.group(), f"uuid-{len(seen) + 1}"), _masked(html))


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", ["offered", "accepted", "closed"])
def test_the_page_is_the_html_it_was(world, discussion, monkeypatch, language, state):
    _fill(world, discussion)
    discussion = _put_in_state(discussion, state)
    freeze_now(monkeypatch, INSTANT)
    client = world.client_for(world.worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = [client.get(url(discussion)) for _ in range(2)]
    assert [p.status_code for p in pages] == [200, 200]
    first, second = (_normalised(p.content.decode()) for p in pages)
    path = PAGES / f"{state}.{language}.html"
    if os.environ.get("ARKI_WRITE_PAGE_FIXTURES"):
        path.write_text(first)
    assert first == second == path.read_text()


POSTS = {
    # the page again with the bound form and its errors (400)
    "close-invalid": (
        "close/",
        {"close-version": "1", "close-outcome": "x", "close-closed_on": "z"},
    ),
    "summary-invalid": ("summary/", {"summary-agreed_summary": "<b>kept</b> & typed"}),
    # HTMX fragments that show the blank session and action forms under the error
    "session-invalid": ("sessions/", {"held_on": "not a date"}),
    "action-invalid": ("actions/", {"what": "", "owner_kind": "nobody"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("post", list(POSTS))
def test_the_answers_to_refused_posts_are_the_html_they_were(
    world, discussion, monkeypatch, language, post
):
    _fill(world, discussion)
    freeze_now(monkeypatch, INSTANT)
    client = world.client_for(world.worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    suffix, data = POSTS[post]
    htmx = {"HTTP_HX_REQUEST": "true"} if post in ("session-invalid", "action-invalid") else {}
    answers = [client.post(url(discussion, suffix), data, **htmx) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200] if htmx else [400, 400]
    first, second = (_normalised(a.content.decode()) for a in answers)
    path = PAGES / f"post-{post}.{language}.html"
    if os.environ.get("ARKI_WRITE_PAGE_FIXTURES"):
        path.write_text(first)
    assert first == second == path.read_text()


@pytest.mark.django_db
def test_one_process_serves_each_language_its_own_forms(world, discussion, monkeypatch):
    """The cached blank forms are kept per language: the languages one after another, twice,
    in the same process, each get their own page."""
    _fill(world, discussion)
    freeze_now(monkeypatch, INSTANT)
    client = world.client_for(world.worker)
    for language in LANGUAGES * 2:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(url(discussion))
        assert (
            _normalised(page.content.decode()) == (PAGES / f"accepted.{language}.html").read_text()
        )
