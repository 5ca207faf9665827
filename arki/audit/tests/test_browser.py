"""The coordinator answers a subject access request in the browser (Finnish interface)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from arki.audit.models import AuditEvent, SubjectAccessRequest
from arki.browser_tests.fixtures import log_in

pytestmark = pytest.mark.browser


def test_coordinator_finds_the_child_and_downloads_the_access_report(page, world, axe):
    world.child.national_id = "140321A998L"
    world.child.save()
    world.client_for(world.worker).get(f"/children/{world.child.pk}/")  # an event to report

    log_in(page, "coordinator")
    page.get_by_role("link", name="Tietopyynnöt lokitiedoista").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tietopyynnöt lokitiedoista")
    axe(page)

    # The reason is required: without it the search is not made.
    page.get_by_label("Lapsen nimi tai henkilötunnus").fill("140321A998L")
    page.get_by_label("Kuka pyysi").fill("Lapsen äiti, kirje 2.12.")
    page.get_by_role("button", name="Etsi lapsi").click()
    assert page.get_by_label("Haun syy").evaluate("field => field.validity.valueMissing")
    assert not AuditEvent.objects.filter(action="audit.subject_access.searched").exists()

    page.get_by_label("Haun syy").fill("Äidin kirjallinen tietopyyntö")
    page.get_by_role("button", name="Etsi lapsi").click()
    expect(page.get_by_role("cell", name="Eetu Esimerkki", exact=True)).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Tee lokitietoraportti: Eetu Esimerkki").click()

    expect(page).to_have_url(re.compile(r"/audit/access-requests/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokitietoraportti: Eetu Esimerkki")
    report = page.get_by_role("table")
    expect(report).to_contain_text("Aino Työntekijä")
    expect(report).to_contain_text("katsoi lapsen sivua")
    expect(report).not_to_contain_text("people.child.viewed")
    axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa CSV-tiedostona").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Aika", "Kuka"]
    assert any(r[1] == "Aino Työntekijä" and r[4] == "katsoi lapsen sivua" for r in rows)

    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa PDF-tiedostona").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    answered = SubjectAccessRequest.objects.get()
    assert answered.child == world.child and answered.handled_by == world.coordinator
    assert answered.reason == "Äidin kirjallinen tietopyyntö"
    assert (
        AuditEvent.objects.filter(
            action="audit.subject_access.exported", is_disclosure=True
        ).count()
        == 2
    )
