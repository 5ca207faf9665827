"""Bad input of any kind gets a clear answer, never a 500 (SECURITY.md 25): every form on every
page (found by walking the URL patterns with the demo county's ids as the personas who may
open them) is posted with random values (text, huge numbers, dates out of range, unicode,
empty), and every page is opened with random query strings."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arki.core.tests.html import Element, parse
from arki.core.tests.test_every_page_i18n import (
    SKIPPED_PREFIXES,
    Persona,
    fill,
    is_page,
    personas,
    url_patterns,
)

# Forms that end the visitor's own session or only switch the language: posting them stops
# the walk, not the page.
NOT_FUZZED = ("/logout/", "/language/", "/i18n/", "/revoke/", "/end/", "/membership/")
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "9" * 40,
    "-" + "9" * 40,
    "1e308",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "0000-00-00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "31.12.9999",
    "\x00",
    "ä" * 3000,
    "x" * 20_001,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "😀👨‍👩‍👧",
    "../../etc/passwd",
    str(uuid.UUID(int=0)),
    "not-a-uuid",
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
)
QUERY_KEYS = ["page", "before", "since", "until", "q", "unit", "area", "year", "month",
              "sort", "period", "sector", "setting", "phenomenon", "status", "previous",
              "discussion"]  # fmt: skip
FUZZ = settings(
    max_examples=4,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class FoundForm:
    page: str
    method: str
    action: str
    fields: dict[str, list[str]]  # name → the values the page offers (first: as rendered)
    htmx: bool = False  # the page posts it over HTMX too


def forms_on(page: str, document: Element) -> list[FoundForm]:
    found = []
    for form in document.find_all("form"):
        fields: dict[str, list[str]] = {}
        for element in form.find_all():
            name = element.get("name")
            if not name or element.tag not in ("input", "select", "textarea", "button"):
                continue
            if element.tag == "select":
                values = [o.get("value") or o.text() for o in element.find_all("option")]
            elif element.tag == "textarea":
                values = [element.text()]
            else:
                values = [element.get("value") or ""]
            fields.setdefault(name, []).extend(values)
        method = (form.get("method") or "get").lower()
        htmx = any(name.startswith("hx-") for name in form.attrs)
        found.append(FoundForm(page, method, form.get("action") or page, fields, htmx))
    return found


def field_values(form: FoundForm) -> st.SearchStrategy[dict[str, Any]]:
    strategies = {}
    for name, offered in form.fields.items():
        choices = [v for v in offered if v is not None] or [""]
        strategies[name] = st.one_of(st.sampled_from(choices), VALUES, st.just([*choices, "x"]))
    return st.fixed_dictionaries(strategies)


def assert_no_server_error(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{response.status_code} on {what}"


def fuzz_form(client: Client, form: FoundForm) -> None:
    @FUZZ
    @given(data=field_values(form))
    def post(data: dict[str, Any]) -> None:
        for htmx in (False, True) if form.htmx else (False,):
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = client.post(form.action, data, **headers)
            assert_no_server_error(response, f"POST {form.action} from {form.page}: {data!r:.300}")

    post()


def fuzz_query(client: Client, page: str, keys: list[str]) -> None:
    @settings(FUZZ, max_examples=3)
    @given(query=st.dictionaries(st.sampled_from(keys), VALUES, max_size=4))
    def get(query: dict[str, str]) -> None:
        response = client.get(page, query)
        assert_no_server_error(response, f"GET {page}?{query!r:.300}")

    get()


def pages(people: list[Persona]) -> list[tuple[Persona, str]]:
    """Each page that some persona can open, with the first persona who can; the family's
    portal pages first (a worker's forms may end the family's session)."""
    routes = sorted(
        (r for r, _p in url_patterns() if not r.startswith(SKIPPED_PREFIXES)),
        key=lambda r: not r.startswith("portal/"),
    )
    found = []
    for route in routes:
        for persona in people:
            if (persona.name == "guardian") != route.startswith("portal/"):
                continue
            for case in persona.cases:
                path = fill(route, case)
                if path is not None and is_page(persona.client.get(path)):
                    found.append((persona, path))
                    break
            else:
                continue
            break
    return found


@pytest.mark.django_db
def test_no_form_and_no_query_string_gives_a_server_error():
    call_command("load_demo", children=12, stdout=io.StringIO())
    people = personas()
    fuzzed = 0
    for persona, path in pages(people):
        response = persona.client.get(path)
        if not is_page(response):
            continue  # a form posted earlier changed what this persona may see
        forms = forms_on(path, parse(response.content))
        keys = QUERY_KEYS + [n for f in forms if f.method == "get" for n in f.fields]
        fuzz_query(persona.client, path, keys)
        for form in forms:
            if form.method == "post" and not any(p in form.action for p in NOT_FUZZED):
                fuzz_form(persona.client, form)
                fuzzed += 1
    assert fuzzed > 40, f"only {fuzzed} forms fuzzed"


@pytest.mark.django_db
@pytest.mark.parametrize("before", ["2026-02-30T10:00", "0001-01-01T00:00", "9999-12-31T23:59"])
def test_the_family_access_log_takes_any_before_value(world, before):
    from arki.portal.tests.conftest import issue, open_portal

    client = open_portal(issue(world).token)
    response = client.get(f"/portal/children/{world.child.pk}/log/", {"before": before})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["invitee", "consent", "proposal"])
def test_a_meeting_action_with_a_malformed_id_is_404(world, field):
    from arki.accounts.models import QualificationKind
    from arki.core.tests.factories import QualificationFactory
    from arki.meetings import services

    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = services.meeting_plan(actor=world.worker, child=world.child, reason="Arki")
    action = {"invitee": "approve", "consent": "withdraw", "proposal": "decide"}[field]
    response = world.client_for(world.worker).post(
        f"/meetings/children/{world.child.pk}/{meeting.pk}/{action}/", {field: "not-an-id"}
    )
    assert response.status_code == 404
