"""From observation to team meeting, phenomenon, leadership and back to the team."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from arki.audit.models import AuditEvent
from arki.notifications.models import OutboxMessage
from arki.observations import services
from arki.observations.models import (
    EventKind,
    Initiative,
    Observation,
    Phenomenon,
    PhenomenonStatus,
)

TEXTS = [
    "Vauvaperheiden vanhemmat kertovat olevansa todella väsyneitä eikä apua ole.",
    "Pienten lasten vanhemmat uupuvat, yöunet jäävät vähiin.",
    "Föräldrar till småbarn är utmattade och orkar inte.",
    "Kylän nuorilla ei ole harrastuksia eikä kyytejä.",
]


def _meeting(chain):
    return services.meeting_open(
        actor=chain.team_lead,
        team=chain.team,
        held_on=date(2026, 3, 1),
        attendees=[chain.team_member],
    )


def test_meeting_page_shows_new_observations_grouped(chain):
    for text in TEXTS:
        chain.observe(text)
    meeting = _meeting(chain)
    page = chain.client_for(chain.team_lead).get(f"/observations/meetings/{meeting.pk}/")
    content = page.content.decode()
    assert page.status_code == 200
    assert all(text in content for text in TEXTS)
    assert content.count("suggested-group") >= 1


def test_team_accepts_a_group_as_a_phenomenon_with_htmx(chain):
    rows = [chain.observe(text) for text in TEXTS[:3]]
    meeting = _meeting(chain)
    client = chain.client_for(chain.team_lead)
    response = client.post(
        f"/observations/meetings/{meeting.pk}/group/",
        {"observations": [r.pk for r in rows[:2]], "title": "Uupuneet vanhemmat"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Uupuneet vanhemmat" in response.content.decode()  # the fragment lists the decision
    phenomenon = Phenomenon.objects.get()
    assert phenomenon.observations.count() == 2
    # The third one is added to the same phenomenon (a merge of a suggested group).
    client.post(
        f"/observations/meetings/{meeting.pk}/group/",
        {"observations": [rows[2].pk], "phenomenon": phenomenon.pk},
    )
    assert phenomenon.observations.count() == 3
    # A team member without the lead role cannot decide.
    response = chain.client_for(chain.team_member).post(
        f"/observations/meetings/{meeting.pk}/group/", {"observations": [rows[0].pk], "title": "X"}
    )
    assert response.status_code == 403
    minutes = client.get(f"/observations/meetings/{meeting.pk}/minutes.pdf")
    assert minutes["Content-Type"] == "application/pdf" and minutes.content.startswith(b"%PDF")


def test_accepting_without_a_name_is_a_clear_error(chain):
    row = chain.observe(TEXTS[0])
    meeting = _meeting(chain)
    response = chain.client_for(chain.team_lead).post(
        f"/observations/meetings/{meeting.pk}/group/", {"observations": [row.pk]}
    )
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not Phenomenon.objects.exists()


def test_merging_twice_is_a_clear_error(chain):
    a = services.phenomenon_create(
        actor=chain.team_lead, team=chain.team, title="A", observations=[chain.observe(TEXTS[0])]
    )
    b = services.phenomenon_create(
        actor=chain.team_lead, team=chain.team, title="B", observations=[chain.observe(TEXTS[1])]
    )
    client = chain.client_for(chain.team_lead)
    client.post(f"/observations/phenomena/{a.pk}/merge/", {"target": b.pk})
    assert b.observations.count() == 2
    response = client.post(f"/observations/phenomena/{a.pk}/merge/", {"target": b.pk})
    assert response.status_code in (302, 400)
    with pytest.raises(services.ObservationError):
        services.phenomenon_merge(actor=chain.team_lead, source=a, target=b)
    assert b.observations.count() == 2


def test_split_moves_observations_to_a_new_phenomenon(chain):
    rows = [chain.observe(t) for t in TEXTS]
    p = services.phenomenon_create(
        actor=chain.team_lead, team=chain.team, title="Kaikki", observations=rows
    )
    client = chain.client_for(chain.team_lead)
    client.post(
        f"/observations/phenomena/{p.pk}/split/",
        {"title": "Kylien nuoret", "observations": [rows[3].pk]},
    )
    assert p.observations.count() == 3
    assert Phenomenon.objects.get(title="Kylien nuoret").observations.get() == rows[3]


def test_whole_path_to_the_top_and_back(chain):
    rows = [chain.observe(t) for t in TEXTS[:3]]
    p = services.phenomenon_create(
        actor=chain.team_lead, team=chain.team, title="Uupuneet", observations=rows
    )
    lead = chain.client_for(chain.team_lead)
    lead.post(f"/observations/phenomena/{p.pk}/send/", {"indicators": ["discussions_held"]})
    p.refresh_from_db()
    assert p.events.get(kind=EventKind.SENT).detail["count"] == 3
    assert (p.current_body, p.status, p.indicators) == (
        chain.region,
        PhenomenonStatus.SENT,
        ["discussions_held"],
    )
    # The regional group sees what arrived; another team does not see it.
    region = chain.client_for(chain.region_lead)
    assert "Uupuneet" in region.get(f"/observations/bodies/{chain.region.pk}/").content.decode()
    assert (
        chain.client_for(chain.other_team_member)
        .get(f"/observations/phenomena/{p.pk}/")
        .status_code
        == 404
    )
    page = region.get(f"/observations/phenomena/{p.pk}/")
    assert page.status_code == 200 and TEXTS[0] in page.content.decode()
    assert AuditEvent.objects.filter(
        action="observations.phenomenon.viewed", object_id=p.pk
    ).exists()
    region.post(
        f"/observations/phenomena/{p.pk}/initiative/",
        {
            "what": "Perhevalmennus iltaisin",
            "why": "Väsymys",
            "who": "Perhekeskus",
            "due_on": "2026-06-30",
        },
    )
    assert Initiative.objects.filter(phenomenon=p).exists()
    region.post(
        f"/observations/phenomena/{p.pk}/decision/",
        {"kind": "escalate", "text": "Koko maakunnan asia"},
    )
    p.refresh_from_db()
    assert p.current_body == chain.province
    province = chain.client_for(chain.province_lead)
    province.post(
        f"/observations/phenomena/{p.pk}/decision/", {"kind": "escalate", "text": "Lautakunnalle"}
    )
    p.refresh_from_db()
    assert p.current_body == chain.board
    board = chain.client_for(chain.board_lead)
    response = board.post(
        f"/observations/phenomena/{p.pk}/decision/", {"kind": "escalate", "text": "Ei ylemmäs"}
    )
    assert response.status_code == 400
    assert "on ylin taso" in response.content.decode()
    board.post(
        f"/observations/phenomena/{p.pk}/decision/",
        {"kind": "response", "text": "Rahoitus perhetyölle"},
    )
    p.refresh_from_db()
    assert p.status == PhenomenonStatus.DECIDED
    kinds = list(p.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.CREATED,
        EventKind.SENT,
        EventKind.INITIATIVE,
        EventKind.ESCALATED,
        EventKind.ESCALATED,
        EventKind.RESPONSE,
    ]
    # Fed back: on the team's page, and by email to the team.
    team_page = chain.client_for(chain.team_member).get(f"/observations/bodies/{chain.team.pk}/")
    assert "Rahoitus perhetyölle" in team_page.content.decode()
    mails = OutboxMessage.objects.filter(kind="observations.feedback")
    assert (
        mails.filter(to=chain.team_member.email).count() == 4
    )  # initiative, 2 escalations, response
    # Every level sees the timeline.
    for user in (chain.team_lead, chain.region_lead, chain.province_lead):
        assert (
            "Rahoitus perhetyölle"
            in chain.client_for(user).get(f"/observations/phenomena/{p.pk}/").content.decode()
        )


def test_leadership_posts_down_to_teams(chain):
    region = chain.client_for(chain.region_lead)
    region.post(
        f"/observations/bodies/{chain.region.pk}/post/",
        {"text": "Näkyykö teillä koulupoissaoloja?", "teams": [chain.team.pk, chain.other_team.pk]},
    )
    assert Observation.objects.filter(from_body=chain.region).count() == 2
    page = chain.client_for(chain.team_member).get(f"/observations/bodies/{chain.team.pk}/")
    assert "Näkyykö teillä koulupoissaoloja?" in page.content.decode()


def test_leadership_view_and_exports(chain):
    p = services.phenomenon_create(
        actor=chain.team_lead,
        team=chain.team,
        title="Yksinäisyys",
        observations=[chain.observe(TEXTS[3])],
    )
    services.phenomenon_send(actor=chain.team_lead, phenomenon=p)
    client = chain.client_for(chain.region_lead)
    page = client.get("/observations/leadership/").content.decode()
    assert "Yksinäisyys" in page and "&lt;5" in page  # a small count is not shown exactly
    csv_text = client.get("/observations/leadership/export.csv").content.decode()
    assert "Yksinäisyys" in csv_text and "<5" in csv_text
    assert client.get("/observations/leadership/export.xlsx").content.startswith(b"PK")
    pdf = client.get(f"/observations/bodies/{chain.region.pk}/agenda.pdf")
    assert pdf.content.startswith(b"%PDF")
    # A worker has no leadership view.
    assert chain.client_for(chain.team_member).get("/observations/leadership/").status_code == 403


def test_embedding_is_stored_when_saved(chain, settings):
    settings.ARKI_OBSERVATION_EMBEDDER = "e5"
    row = chain.observe(TEXTS[0])
    row.refresh_from_db()
    vector = row.vector()
    assert vector is not None and vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3
    assert row.embedding_model == "multilingual-e5-small-q4"


def test_initiative_progress_is_fed_back_to_the_team(chain):
    p = services.phenomenon_create(
        actor=chain.team_lead,
        team=chain.team,
        title="Uupuneet",
        observations=[chain.observe(TEXTS[0])],
    )
    services.phenomenon_send(actor=chain.team_lead, phenomenon=p)
    initiative = services.initiative_create(
        actor=chain.region_lead,
        phenomenon=p,
        body=chain.region,
        what="Perhevalmennus",
        why="Väsymys",
        who="Perhekeskus",
        due_on=date(2026, 6, 30),
    )
    client = chain.client_for(chain.region_lead)
    client.post(f"/observations/initiatives/{initiative.pk}/status/", {"status": "done"})
    initiative.refresh_from_db()
    assert initiative.status == "done"
    assert p.events.filter(kind=EventKind.INITIATIVE_STATUS).exists()
    assert (
        OutboxMessage.objects.filter(
            kind="observations.feedback", to=chain.team_member.email
        ).count()
        == 2
    )  # the initiative, then its progress
    # Only the group's lead changes it; a team member is refused.
    response = chain.client_for(chain.team_member).post(
        f"/observations/initiatives/{initiative.pk}/status/", {"status": "planned"}
    )
    assert response.status_code == 404


def test_leadership_view_counts_what_waits_per_level_and_area(chain):
    p = services.phenomenon_create(
        actor=chain.team_lead,
        team=chain.team,
        title="Odottaa",
        observations=[chain.observe(TEXTS[0])],
    )
    services.phenomenon_send(actor=chain.team_lead, phenomenon=p)
    page = chain.client_for(chain.region_lead).get("/observations/leadership/")
    waiting = page.context["waiting"]
    assert waiting == [(chain.region.level.name, chain.world.unit.area.name, 1)]


def test_meeting_marks_what_is_new_since_the_previous_meeting(chain):
    old = chain.observe(TEXTS[0])
    _meeting(chain)
    new = chain.observe(TEXTS[3])
    second = services.meeting_open(actor=chain.team_lead, team=chain.team, held_on=date(2026, 4, 1))
    page = chain.client_for(chain.team_lead).get(f"/observations/meetings/{second.pk}/")
    content = page.content.decode()
    assert f"<strong>uusi:</strong> {new.text}" in content
    assert f"<strong>uusi:</strong> {old.text}" not in content and old.text in content
