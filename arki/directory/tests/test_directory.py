from __future__ import annotations

import pytest

from arki.audit.models import AuditEvent
from arki.directory import selectors, services
from arki.directory.models import DirectoryEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "query", "shown"),
    [
        ("fi", "perheväkivalta", "Perhesosiaalityön konsultaatio"),
        ("sv", "BOENDE", "Konsultation i familjesocialt arbete"),
        ("en", "housing", "Family social work consultation"),
        ("da", "støtte hverdag", "Rådgivning fra familiesocialt arbejde"),
    ],
)
def test_search_finds_in_each_language_and_shows_the_readers_language(
    directory, language, query, shown
):
    client = directory.world.client_for(directory.world.worker)
    client.cookies["arki_language"] = language
    response = client.get("/directory/", {"q": query}, headers={"accept-language": language})
    html = response.content.decode()
    assert response.status_code == 200
    assert shown in html
    assert "Perheneuvolan psykologi" not in html


def test_search_in_another_language_than_the_readers(directory):
    client = directory.world.client_for(directory.world.worker)
    client.cookies["arki_language"] = "en"
    html = client.get("/directory/", {"q": "våld"}).content.decode()
    # Found by the Swedish keyword, shown in English.
    assert "Family social work consultation" in html
    assert "Konsultation i familjesocialt arbete" not in html


def test_reader_without_a_text_in_their_language_sees_finnish(directory):
    client = directory.world.client_for(directory.world.worker)
    client.cookies["arki_language"] = "da"
    html = client.get("/directory/", {"q": "ahdistus"}).content.decode()
    assert "Perheneuvolan psykologi" in html


def test_search_is_case_insensitive_for_nordic_letters(directory):
    entries = selectors.search_entries(tenant_id=directory.world.tenant.pk, query="PERHEVÄKIVALTA")
    assert [e.pk for e in entries] == [directory.service.pk]
    entries = selectors.search_entries(tenant_id=directory.world.tenant.pk, query="STØTTE")
    assert [e.pk for e in entries] == [directory.service.pk]


def test_search_filters_by_sector_and_hides_inactive_entries(directory):
    tenant_id = directory.world.tenant.pk
    assert {e.pk for e in selectors.search_entries(tenant_id=tenant_id, sector="health")} == {
        directory.person.pk
    }
    DirectoryEntry.objects.filter(pk=directory.person.pk).update(is_active=False)
    assert selectors.search_entries(tenant_id=tenant_id, sector="health") == []


def test_other_tenants_entries_are_not_found(directory):
    client = directory.world.client_for(directory.world.outsider)
    html = client.get("/directory/", {"q": "psykologi"}).content.decode()
    assert "Perheneuvolan psykologi" not in html


def test_worker_cannot_manage_entries(directory):
    client = directory.world.client_for(directory.world.worker)
    assert client.get("/directory/entries/new/").status_code == 403
    response = client.post(
        f"/directory/entries/{directory.person.pk}/edit/",
        {"kind": "person", "name": "Muutettu", "sector": "health", "title_fi": "X"},
    )
    assert response.status_code == 403
    directory.person.refresh_from_db()
    assert directory.person.name == "Petra Psykologi"


def test_coordinator_adds_an_entry_with_texts(directory):
    world = directory.world
    client = world.client_for(world.coordinator)
    response = client.post(
        "/directory/entries/new/",
        {
            "kind": "service",
            "name": "Kasvatus- ja perheneuvola",
            "sector": "family",
            "unit": str(directory.social_unit.pk),
            "email": "perheneuvola@example.fi",
            "is_active": "on",
            "title_fi": "Kasvatus- ja perheneuvola",
            "expertise_fi": "vanhemmuus, ero",
            "title_sv": "Uppfostrings- och familjerådgivning",
            "expertise_sv": "föräldraskap, skilsmässa",
        },
    )
    assert response.status_code == 302
    entry = DirectoryEntry.objects.get(name="Kasvatus- ja perheneuvola")
    assert {t.language for t in entry.texts.all()} == {"fi", "sv"}
    assert entry.area == directory.social_unit.area
    assert AuditEvent.objects.filter(action="directory.entry.saved", object_id=entry.pk).exists()
    assert [
        e.pk for e in selectors.search_entries(tenant_id=world.tenant.pk, query="skilsmässa")
    ] == [entry.pk]


def test_entry_form_bad_input_shows_errors_and_saves_nothing(directory):
    client = directory.world.client_for(directory.world.coordinator)
    before = DirectoryEntry.objects.count()
    response = client.post(
        "/directory/entries/new/", {"kind": "person", "name": "Ilman käyttäjää", "sector": "health"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    response = client.post(
        "/directory/entries/new/",
        {"kind": "person", "name": "Ilman käyttäjää", "sector": "health", "title_fi": "Testi"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    response = client.post("/directory/entries/new/", {"kind": "nonsense", "sector": "x" * 5000})
    assert response.status_code == 200
    assert DirectoryEntry.objects.count() == before


def test_entry_of_another_tenant_cannot_be_edited(directory):
    from arki.core.tests.factories import MembershipFactory, UserFactory

    outsider_coordinator = UserFactory()
    foreign_unit = directory.world.outsider.memberships.get().unit
    MembershipFactory(user=outsider_coordinator, unit=foreign_unit, role="coordinator")
    client = directory.world.client_for(outsider_coordinator)
    assert client.get(f"/directory/entries/{directory.person.pk}/edit/").status_code == 404


def test_service_refuses_a_unit_of_another_tenant(directory):
    foreign_unit = directory.world.outsider.memberships.get().unit
    with pytest.raises(services.DirectoryError):
        services.directory_entry_save(
            actor=directory.world.coordinator,
            tenant=directory.world.tenant,
            kind="service",
            name="Väärä",
            sector="social",
            unit=foreign_unit,
            texts={"fi": {"title": "Väärä"}},
        )


def test_search_filters_by_unit(directory):
    client = directory.world.client_for(directory.world.worker)
    html = client.get("/directory/", {"unit": str(directory.social_unit.pk)}).content.decode()
    assert "Perhesosiaalityön konsultaatio" in html
    assert "Perheneuvolan psykologi" not in html


def test_search_with_bad_filters_is_not_an_error(directory):
    client = directory.world.client_for(directory.world.worker)
    response = client.get("/directory/", {"unit": "nonsense", "area": "x", "child": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_admin_manages_entries_from_the_directory_page(directory):
    from arki.core.tests.factories import MembershipFactory, UserFactory

    admin = UserFactory()
    MembershipFactory(user=admin, unit=directory.world.unit, role="admin")
    client = directory.world.client_for(admin)
    html = client.get("/directory/").content.decode()
    assert f"/directory/entries/{directory.person.pk}/edit/" in html
    assert client.get("/directory/entries/new/").status_code == 200
