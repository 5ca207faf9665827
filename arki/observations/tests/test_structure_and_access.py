from __future__ import annotations

from arki.audit.models import AuditEvent
from arki.observations import services
from arki.observations.models import Body, BodyMember, Level, Observation


def test_coordinator_configures_levels_bodies_and_members(world):
    client = world.client_for(world.coordinator)
    client.post("/observations/structure/", {"level": "1", "name": "Lokal grupp", "rank": 1})
    client.post("/observations/structure/", {"level": "1", "name": "Ledningsgrupp", "rank": 2})
    levels = list(Level.objects.filter(tenant=world.tenant).values_list("name", flat=True))
    assert levels == ["Lokal grupp", "Ledningsgrupp"]
    response = client.post("/observations/structure/", {"level": "1", "name": "Dup", "rank": 2})
    assert b"errorlist" in response.content
    top, bottom = Level.objects.get(rank=2), Level.objects.get(rank=1)
    client.post("/observations/structure/bodies/new/", {"name": "Ledning", "level": top.pk})
    group = Body.objects.get(name="Ledning")
    response = client.post(
        "/observations/structure/bodies/new/",
        {
            "name": "Team Vasa",
            "level": bottom.pk,
            "parent": group.pk,
            "coordinator": world.coordinator.pk,
            "meeting_rhythm": "var 6:e vecka",
        },
    )
    team = Body.objects.get(name="Team Vasa")
    assert response.status_code == 302 and team.parent == group
    client.post(
        f"/observations/structure/bodies/{team.pk}/members/",
        {"name": "Röda korset", "organisation": "Röda korset", "sector": "ngo"},
    )
    client.post(
        f"/observations/structure/bodies/{team.pk}/members/",
        {"user": world.worker.pk, "sector": "ecec"},
    )
    response = client.post(
        f"/observations/structure/bodies/{team.pk}/members/",
        {"user": world.worker.pk, "sector": "ecec"},
    )
    assert b"errorlist" in response.content  # already a member: a form error, no 500
    assert sorted(str(m) for m in team.members.all()) == sorted(["Röda korset", str(world.worker)])
    # A body cannot report to one at its own or a lower level.
    response = client.post(
        f"/observations/structure/bodies/{group.pk}/",
        {"name": "Ledning", "level": top.pk, "parent": team.pk},
    )
    assert b"errorlist" in response.content


def test_workers_cannot_manage_the_structure(chain):
    response = chain.client_for(chain.team_member).get("/observations/structure/")
    assert response.status_code == 403


def test_team_sees_its_own_observations_and_others_get_404(chain):
    observation = chain.observe("Vanhemmat väsyneitä, vauvaperheet jäävät yksin.")
    assert (
        chain.client_for(chain.team_member)
        .get(f"/observations/bodies/{chain.team.pk}/")
        .status_code
        == 200
    )
    for outsider in (chain.other_team_member, chain.world.outsider, chain.region_lead):
        response = chain.client_for(outsider).get(f"/observations/bodies/{chain.team.pk}/")
        assert response.status_code in (404, 403)
    page = chain.client_for(chain.team_lead).get(f"/observations/bodies/{chain.team.pk}/")
    assert observation.text in page.content.decode()
    assert AuditEvent.objects.filter(action="observations.observations.viewed").count() == 2


def test_writer_is_hidden_unless_the_tenant_enables_it(chain):
    chain.observe("Iltapäiväkerhoihin ei ole kyytejä.")
    writer = chain.team_member.get_full_name()
    client = chain.client_for(chain.team_lead)
    assert writer not in client.get(f"/observations/bodies/{chain.team.pk}/").content.decode()
    services.settings_save(actor=chain.team_lead, tenant=chain.world.tenant, show_writer=True)
    assert writer in client.get(f"/observations/bodies/{chain.team.pk}/").content.decode()


def test_observation_from_a_phone_form(chain):
    client = chain.client_for(chain.team_member)
    assert client.get("/observations/new/").status_code == 200
    response = client.post(
        "/observations/new/",
        {
            "text": "Kylän nuorilla ei ole harrastuksia",
            "team": chain.team.pk,
            "age_group": "13-17",
            "setting": "leisure",
            "tags": "kylät",
        },
    )
    assert response.status_code == 302
    row = Observation.objects.get()
    assert (row.team, row.age_group, row.tags) == (chain.team, "13-17", "kylät")
    assert not hasattr(row, "child")  # never linked to a child
    assert AuditEvent.objects.filter(action="observations.observation.created").exists()


def test_cannot_write_to_a_team_one_is_not_in(chain):
    client = chain.client_for(chain.other_team_member)
    response = client.post("/observations/new/", {"text": "Jotain", "team": chain.team.pk})
    assert response.status_code == 200 and b"errorlist" in response.content
    assert not Observation.objects.exists()


def test_partner_member_without_account_is_listed(chain):
    assert BodyMember.objects.filter(body=chain.team, user=None, sector="parish").exists()


def test_managing_the_structure_does_not_open_a_teams_observations(chain):
    from arki.accounts.models import Role
    from arki.core.tests.factories import MembershipFactory, UserFactory

    other_coordinator = UserFactory()
    MembershipFactory(user=other_coordinator, unit=chain.world.unit, role=Role.COORDINATOR)
    chain.observe("Iltaisin ei ole kerhoja.")
    client = chain.client_for(other_coordinator)
    assert client.get(f"/observations/structure/bodies/{chain.team.pk}/members/").status_code == 200
    assert client.get(f"/observations/bodies/{chain.team.pk}/").status_code == 404
