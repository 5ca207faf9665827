from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from arki.accounts.models import Role
from arki.audit.models import AuditEvent
from arki.core.exceptions import DomainError
from arki.core.tests.factories import MembershipFactory, UserFactory
from arki.discussions import services
from arki.discussions.models import Discussion, Observation

from .conftest import url

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,expected",
    [
        ("worker", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("other_area_worker", 404),
        ("coordinator", 404),
        ("manager", 404),
        (None, 302),
    ],
)
def test_discussion_urls_by_persona(world, discussion, persona, expected):
    client = world.client_for(getattr(world, persona) if persona else None)
    for suffix in ("", "logbook/", "plan.pdf"):
        assert client.get(url(discussion, suffix)).status_code == expected, (persona, suffix)
    assert client.get(f"/discussions/children/{world.child.pk}/new/").status_code == expected
    if expected != 200:
        response = client.post(
            url(discussion, "observations/"),
            {
                "section": str(discussion.template.sections.first().pk),
                "kind": "strength",
                "text": "x",
            },
        )
        assert response.status_code in (302, 404)
        assert not Observation.objects.exists()


@pytest.mark.django_db
def test_discussion_of_another_child_is_404(world, discussion):
    from arki.core.tests.factories import ChildFactory, RelationshipFactory

    other = ChildFactory(tenant=world.tenant)
    RelationshipFactory(child=other, user=world.worker)
    client = world.client_for(world.worker)
    assert client.get(f"/discussions/children/{other.pk}/{discussion.pk}/").status_code == 404


@pytest.mark.django_db
def test_offer_through_the_page(world, templates):
    client = world.client_for(world.worker)
    page = client.get(f"/discussions/children/{world.child.pk}/new/")
    assert page.status_code == 200
    assert page.context["form"].initial["template"] == templates["test-ecec.fi"].pk
    response = client.post(
        f"/discussions/children/{world.child.pk}/new/",
        {"offered_on": "2026-09-01", "template": templates["test-ecec.fi"].pk},
    )
    assert response.status_code == 302
    d = Discussion.objects.get()
    assert d.lead == world.worker and d.status == "offered"
    response = client.post(url(d, "respond/"), {"answer": "accept", "responded_on": "2026-09-02"})
    d.refresh_from_db()
    assert d.status == "accepted"


@pytest.mark.django_db
def test_unqualified_worker_sees_a_clear_error(world, templates):
    world.worker.qualifications.all().delete()
    client = world.client_for(world.worker)
    response = client.post(
        f"/discussions/children/{world.child.pk}/new/",
        {"offered_on": "2026-09-01", "template": templates["test-ecec.fi"].pk},
    )
    assert response.status_code == 200
    assert "LP-keskusteluun koulutettu" in response.content.decode()
    assert not Discussion.objects.exists()


@pytest.mark.django_db
def test_htmx_add_returns_only_the_section_fragment(world, discussion):
    client = world.client_for(world.worker)
    section = discussion.template.sections.first()
    response = client.post(
        url(discussion, "observations/"),
        {"section": str(section.pk), "kind": "strength", "text": XSS},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<section id="section-{section.pk}"')
    assert "<html" not in body
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert Observation.objects.get().text == XSS


@pytest.mark.django_db
def test_without_js_the_add_redirects_back(world, discussion):
    client = world.client_for(world.worker)
    section = discussion.template.sections.first()
    response = client.post(
        url(discussion, "observations/"),
        {"section": str(section.pk), "kind": "vulnerability", "text": "Väsymys"},
    )
    assert response.status_code == 302 and f"#section-{section.pk}" in response["Location"]


@pytest.mark.django_db
def test_each_view_leaves_exactly_the_right_audit_event(world, discussion):
    client = world.client_for(world.worker)
    before = AuditEvent.objects.count()
    client.get(url(discussion))
    event = AuditEvent.objects.order_by("-occurred_at").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "discussions.discussion.viewed"
    assert {s.subject_id for s in event.subjects.all()} == {world.child.pk}
    client.get(url(discussion, "plan.pdf"))
    assert AuditEvent.objects.order_by("-occurred_at").first().action == "discussions.plan.printed"
    client.get(url(discussion, "logbook/"))
    assert (
        AuditEvent.objects.order_by("-occurred_at").first().action == "discussions.logbook.printed"
    )


@pytest.mark.django_db
def test_action_plan_pdf_in_the_guardians_language(world, discussion):
    world.guardian.preferred_language = "sv"
    world.guardian.save()
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 4))
    section = discussion.template.sections.first()
    strength = services.observation_add(
        actor=world.worker, discussion=discussion, section_id=section.pk, kind="strength", text=XSS
    )
    services.action_add(
        actor=world.worker,
        discussion=discussion,
        what="Läser saga varje kväll",
        owner_kind="parent",
        serves=strength,
        due_on=date(2026, 10, 1),
    )
    response = world.client_for(world.worker).get(url(discussion, "plan.pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Läser saga varje kväll" in text
    assert "Vår handlingsplan" in text
    assert "Eetu" in text and "Esimerkki" not in text  # first name only
    assert "<script>" in text  # shown as text, never run
    english = pdf_text(
        world.client_for(world.worker).get(url(discussion, "plan.pdf?language=en")).content
    )
    assert "What we will do" in english


@pytest.mark.django_db
def test_coordinator_exports_dates_without_personal_data(world, discussion):
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 4))
    assert world.client_for(world.worker).get("/discussions/export/dates.csv").status_code == 403
    response = world.client_for(world.coordinator).get("/discussions/export/dates.csv")
    text = response.content.decode("utf-8-sig")
    assert "2026-09-01;2026-09-04" in text
    assert world.child.last_name not in text and world.child.first_name not in text
    assert AuditEvent.objects.filter(action="discussions.dates.exported").count() == 1


@pytest.mark.django_db
def test_leadership_sees_aggregates_only_not_the_row_level_dates(world, discussion):
    leader = UserFactory(username="leader")
    MembershipFactory(user=leader, unit=None, tenant=world.tenant, role=Role.LEADERSHIP)
    client = world.client_for(leader)
    assert client.get("/discussions/export/dates.csv").status_code == 403
    dashboard = client.get("/indicators/").content.decode()
    assert "/discussions/export/dates.csv" not in dashboard
    assert "/discussions/export/dates.csv" in (
        world.client_for(world.coordinator).get("/indicators/").content.decode()
    )


@pytest.mark.django_db
def test_a_closing_date_before_the_last_session_is_an_error_under_that_field(world, discussion):
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 10))
    client = world.client_for(world.worker)
    response = client.post(
        url(discussion, "close/"),
        {
            "close-version": discussion.version,
            "close-outcome": "no_further_action",
            "close-agreed_summary": "Sovittu yhdessä",
            "close-closed_on": "2020-01-01",
        },
    )
    assert response.status_code == 400
    form = response.context["close_form"]
    assert form.errors["closed_on"] and not form.non_field_errors()
    assert "Sovittu yhdessä" in response.content.decode()
    discussion.refresh_from_db()
    assert discussion.status == "accepted" and discussion.closed_on is None


@pytest.mark.django_db
def test_a_second_open_discussion_is_offered_only_when_confirmed(world, discussion, templates):
    client = world.client_for(world.worker)
    offer = f"/discussions/children/{world.child.pk}/new/"
    page = client.get(offer).content.decode()
    assert 'id="open-discussions"' in page and url(discussion) in page
    data = {"offered_on": "2026-10-01", "template": templates["test-ecec.fi"].pk}
    refused = client.post(offer, data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["alongside_open"]
    assert Discussion.objects.filter(child=world.child).count() == 1
    confirmed = client.post(offer, {**data, "alongside_open": "on"})
    assert confirmed.status_code == 302
    assert Discussion.objects.filter(child=world.child).count() == 2


@pytest.mark.django_db
def test_without_an_open_discussion_nothing_is_asked(world, templates):
    page = world.client_for(world.worker).get(f"/discussions/children/{world.child.pk}/new/")
    assert "alongside_open" not in page.context["form"].fields
    assert 'id="open-discussions"' not in page.content.decode()


@pytest.mark.django_db
def test_the_service_refuses_a_second_open_discussion_unless_confirmed(world, discussion):
    offer = {
        "actor": world.worker,
        "child": world.child,
        "unit": world.unit,
        "template": discussion.template,
        "offered_on": date(2026, 10, 1),
    }
    with pytest.raises(DomainError) as refused:
        services.discussion_offer(**offer)
    assert refused.value.field == "alongside_open"
    assert services.discussion_offer(**offer, alongside_open=True).status == "offered"
