"""The access matrix for the people URLs (SECURITY.md 2)."""

from __future__ import annotations

import pytest

from arki.audit.models import AuditEvent


def urls(child):
    return [
        f"/children/{child.pk}/",
        f"/children/{child.pk}/edit/",
        f"/children/{child.pk}/guardians/new/",
        f"/children/{child.pk}/network/new/",
        f"/audit/children/{child.pk}/",
    ]


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
def test_child_urls_by_persona(world, persona, expected):
    user = getattr(world, persona) if persona else None
    client = world.client_for(user)
    for url in urls(world.child):
        assert client.get(url).status_code == expected, (persona, url)


@pytest.mark.django_db
def test_ending_the_relationship_ends_access_at_once(world):
    client = world.client_for(world.worker)
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    from arki.people.services import relationship_end

    relationship_end(child=world.child, user=world.worker, kind="responsible")
    assert client.get(f"/children/{world.child.pk}/").status_code == 404


@pytest.mark.django_db
def test_outsider_404_writes_no_audit_of_the_child(world):
    world.client_for(world.outsider).get(f"/children/{world.child.pk}/")
    assert not AuditEvent.objects.filter(subjects__subject_id=world.child.pk).exists()


@pytest.mark.django_db
def test_worker_adds_child_and_becomes_responsible(world):
    client = world.client_for(world.colleague)
    response = client.post(
        "/children/new/",
        {
            "first_name": "Venla",
            "last_name": "Virtanen",
            "birth_date": "2019-06-01",
            "preferred_language": "sv",
            "national_id": "010619A123B",
            "is_admin": "on",
        },
    )
    assert response.status_code == 302
    child_url = response["Location"]
    assert "010619A123B" not in child_url
    page = client.get(child_url).content.decode()
    assert "Venla Virtanen" in page
    assert "010619*****" in page and "010619A123B" not in page


@pytest.mark.django_db
def test_child_form_requires_a_date_and_keeps_saved_data(world):
    client = world.client_for(world.worker)
    response = client.post(
        f"/children/{world.child.pk}/edit/",
        {"first_name": "", "last_name": "X", "preferred_language": "fi"},
    )
    assert response.status_code == 200
    world.child.refresh_from_db()
    assert world.child.first_name == "Eetu"
    assert b"errorlist" in response.content


@pytest.mark.django_db
def test_unit_manager_names_a_responsible_worker(world):
    manager = world.client_for(world.manager)
    page = manager.get("/children/unit/")
    assert page.status_code == 200 and "Eetu Esimerkki" in page.content.decode()
    assert world.client_for(world.colleague).get(f"/children/{world.child.pk}/").status_code == 404
    response = manager.post(
        "/children/unit/", {"child": str(world.child.pk), "worker": str(world.colleague.pk)}
    )
    assert response.status_code == 302
    assert world.client_for(world.colleague).get(f"/children/{world.child.pk}/").status_code == 200
    # The manager still has no access to the child's page.
    assert manager.get(f"/children/{world.child.pk}/").status_code == 404


@pytest.mark.django_db
def test_manager_cannot_assign_a_worker_from_another_unit_or_a_child_elsewhere(world):
    manager = world.client_for(world.manager)
    response = manager.post(
        "/children/unit/", {"child": str(world.child.pk), "worker": str(world.outsider.pk)}
    )
    assert response.status_code == 200 and b"errorlist" in response.content
    assert world.client_for(world.worker).get("/children/unit/").status_code == 403


@pytest.mark.django_db
def test_network_member_sees_a_minimal_child_page_and_cannot_edit(world):
    from arki.core.tests.factories import RelationshipFactory

    RelationshipFactory(child=world.child, user=world.other_area_worker, kind="network_member")
    client = world.client_for(world.other_area_worker)
    page = client.get(f"/children/{world.child.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Eetu Esimerkki" in body
    assert world.guardian.email not in body
    assert client.get(f"/children/{world.child.pk}/edit/").status_code == 404
    assert client.get(f"/children/{world.child.pk}/guardians/new/").status_code == 404
