"""The coordinator answers a client's subject access request (Client Data Act 703/2023)."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from arki.accounts.models import Role
from arki.audit.models import AuditEvent, SubjectAccessRequest
from arki.core.tests.factories import (
    AreaFactory,
    ChildFactory,
    MembershipFactory,
    TenantFactory,
    UnitFactory,
    UserFactory,
)

PAGE = "/audit/access-requests/"
WHY = {"requester": "Lapsen äiti, kirje 2.12.", "reason": "Äidin tietopyyntö käyttölokista"}


@pytest.fixture
def seen(world):
    """The child's page opened by the own worker: an event the report must show."""
    world.child.national_id = "140321A998L"
    world.child.save()
    world.client_for(world.worker).get(f"/children/{world.child.pk}/")
    return world


def _search(client, text, **extra):
    return client.post(PAGE, {"text": text, **WHY, **extra})


def _answer(world, client=None):
    client = client or world.client_for(world.coordinator)
    response = client.post(f"{PAGE}new/", {"child": world.child.pk, **WHY})
    assert response.status_code == 302
    return SubjectAccessRequest.objects.get(child=world.child), client


@pytest.mark.django_db
def test_coordinator_finds_the_child_by_name_and_the_search_is_logged_with_the_reason(seen):
    world = seen
    response = _search(world.client_for(world.coordinator), "eetu esimerkki")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Eetu Esimerkki" in page and "140321*****" in page and "140321A998L" not in page
    event = AuditEvent.objects.get(action="audit.subject_access.searched")
    assert event.actor == world.coordinator
    assert event.basis == "subject_access_request"
    assert event.detail["reason"] == WHY["reason"]
    assert [s.subject_id for s in event.subjects.all()] == [world.child.pk]


@pytest.mark.django_db
def test_coordinator_finds_the_child_by_identity_code(seen):
    response = _search(seen.client_for(seen.coordinator), "140321a998l")
    assert "Eetu Esimerkki" in response.content.decode()


@pytest.mark.django_db
def test_a_search_without_a_reason_is_a_form_error_and_finds_nothing(seen):
    client = seen.client_for(seen.coordinator)
    response = client.post(PAGE, {"text": "Eetu", "requester": "äiti", "reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_reason_error"' in page or "errorlist" in page
    assert "Eetu Esimerkki" not in page
    assert not AuditEvent.objects.filter(action="audit.subject_access.searched").exists()


@pytest.mark.django_db
def test_another_tenants_child_of_the_same_name_is_not_found(seen):
    other = TenantFactory(slug="muu", name="Muu hyvinvointialue")
    foreign = ChildFactory(
        tenant=other, first_name="Eetu", last_name="Esimerkki", national_id="010101A123N"
    )
    client = seen.client_for(seen.coordinator)
    page = _search(client, "Esimerkki").content.decode()
    assert page.count('name="child"') == 1
    assert str(foreign.pk) not in page
    by_code = _search(client, "010101A123N").content.decode()
    assert 'name="child"' not in by_code and "Esimerkki" not in by_code
    # Nor can its report be made by posting its id.
    response = client.post(f"{PAGE}new/", {"child": foreign.pk, **WHY})
    assert response.status_code == 404
    assert not SubjectAccessRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["worker", "colleague", "outsider", "manager"])
def test_staff_without_the_coordinators_right_get_403(seen, persona):
    client = seen.client_for(getattr(seen, persona))
    assert client.get(PAGE).status_code == 403
    assert _search(client, "Eetu").status_code == 403
    response = client.post(f"{PAGE}new/", {"child": seen.child.pk, **WHY})
    assert response.status_code == 403
    assert not SubjectAccessRequest.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_of_another_tenant_gets_404_for_the_request(seen):
    access_request, _ = _answer(seen)
    other = UserFactory(username="othercoord")
    unit = UnitFactory(area=AreaFactory(tenant=TenantFactory(slug="muu2")))
    MembershipFactory(user=other, unit=unit, role=Role.COORDINATOR)
    client = seen.client_for(other)
    for suffix in ("", "report.csv", "report.pdf"):
        assert client.get(f"{PAGE}{access_request.pk}/{suffix}").status_code == 404
    assert "Eetu" not in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_the_request_is_recorded_and_the_report_shows_labels_not_codes(seen):
    world = seen
    access_request, client = _answer(world)
    assert access_request.handled_by == world.coordinator
    assert (access_request.requester, access_request.reason) == (
        WHY["requester"],
        WHY["reason"],
    )
    page = client.get(f"{PAGE}{access_request.pk}/").content.decode()
    assert "Aino Työntekijä" in page
    assert "viewed the child's page" in page or "katsoi lapsen sivua" in page
    assert "people.child.viewed" not in page and "relationship:" not in page
    assert WHY["reason"] in page
    listing = client.get(PAGE).content.decode()
    assert WHY["requester"] in listing and "Eetu Esimerkki" in listing
    actions = set(
        AuditEvent.objects.filter(subjects__subject_id=world.child.pk).values_list(
            "action", flat=True
        )
    )
    assert {"audit.subject_access.requested", "audit.subject_access.viewed"} <= actions


@pytest.mark.django_db
def test_the_report_as_csv_lists_each_event_with_labels(seen, settings):
    access_request, client = _answer(seen)
    response = client.get(f"{PAGE}{access_request.pk}/report.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Time", "Who", "Role", "Unit", "What", "Basis", "Disclosure to"]
    viewed = [r for r in rows if r[4] == "viewed the child's page"]
    assert viewed and viewed[0][1] == "Aino Työntekijä"
    assert viewed[0][2] == "worker" and viewed[0][3] == "Päiväkoti Satakieli"
    assert viewed[0][5] == "responsible worker"
    assert not any("." in r[4] and " " not in r[4] for r in rows[1:])  # no dotted codes
    event = AuditEvent.objects.get(action="audit.subject_access.exported")
    assert event.is_disclosure and event.recipient == WHY["requester"]
    assert event.detail["format"] == "csv"


@pytest.mark.django_db
def test_the_report_as_pdf(seen):
    access_request, client = _answer(seen)
    response = client.get(f"{PAGE}{access_request.pk}/report.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Access report: Eetu Esimerkki" in text
    assert "Aino Työntekijä" in text and "viewed the child's page" in text
    assert "people.child.viewed" not in text
    assert AuditEvent.objects.filter(
        action="audit.subject_access.exported", detail__format="pdf", is_disclosure=True
    ).exists()
