"""The demo county's field observations: the chain of levels, two local teams with about 150
observations in Finnish and Swedish over a year, and phenomena at every stage (new, with the
regional group, escalated, decided, fed back). The texts are synthetic (no real person)."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from arki.accounts.models import User
from arki.observations import services
from arki.observations.models import Body, Level, Observation
from arki.organisations.models import Area, Sector, Tenant

DATA = Path(__file__).parent / "data" / "observations.csv"
LEVELS = [
    "Paikallinen perhekeskustiimi",
    "Alueellinen perhekeskuksen johtoryhmä",
    "Maakunnallinen ohjausryhmä",
    "Hyvinvointilautakunta (hyte)",
]
# Said again in other words, so the same phenomenon comes up through the year.
AGAIN = {
    "fi": [
        "Sama näkyy taas tällä viikolla.",
        "Tästä puhuttiin myös vanhempainillassa.",
        "Useampi kollega on huomannut saman.",
    ],
    "sv": [
        "Samma sak syns igen den här veckan.",
        "Detta kom upp också på föräldramötet.",
        "Flera kolleger har märkt samma sak.",
    ],
}
TITLES = {
    "exhausted_parents_of_small_children": "Pikkulapsiperheiden vanhempien uupumus",
    "school_absenteeism": "Koulupoissaolot lisääntyvät",
    "rural_lack_of_leisure_activities": "Syrjäkylien nuorilla ei harrastuksia",
    "youth_loneliness": "Nuorten yksinäisyys",
    "screen_time_and_sleep": "Ruutuaika vie yöunet",
    "family_financial_hardship": "Perheiden taloudellinen ahdinko",
    "immigrant_families_language_barriers": "Kielimuuri maahan muuttaneiden perheiden kanssa",
}


def seed(tenant: Tenant) -> None:
    if Level.objects.filter(tenant=tenant).exists():
        return
    users = {u.username: u for u in User.objects.filter(memberships__tenant=tenant)}
    actor = users["coordinator"]
    levels = [
        services.level_save(actor=actor, tenant=tenant, name=name, rank=rank + 1)
        for rank, name in enumerate(LEVELS)
    ]
    board = services.body_save(
        actor=actor,
        tenant=tenant,
        name="Pohjanmaan hyvinvointilautakunta",
        level=levels[3],
        coordinator=users["leader"],
        meeting_rhythm="kuukausittain",
    )
    province = services.body_save(
        actor=actor,
        tenant=tenant,
        name="Maakunnallinen lapsi- ja perheasioiden ohjausryhmä",
        level=levels[2],
        parent=board,
        coordinator=users["leader"],
        meeting_rhythm="4 kertaa vuodessa",
    )
    region = services.body_save(
        actor=actor,
        tenant=tenant,
        name="Perhekeskuksen alueellinen johtoryhmä",
        level=levels[1],
        parent=province,
        coordinator=users["leader"],
        facilitator=users["coordinator"],
        meeting_rhythm="kuukausittain",
    )
    areas = {a.name: a for a in Area.objects.filter(tenant=tenant)}
    vaasa = services.body_save(
        actor=actor,
        tenant=tenant,
        name="Vaasan perhekeskustiimi",
        level=levels[0],
        parent=region,
        area=areas.get("Vaasa"),
        coordinator=users["coordinator"],
        facilitator=users["nurse"],
        meeting_rhythm="6 viikon välein",
    )
    mustasaari = services.body_save(
        actor=actor,
        tenant=tenant,
        name="Mustasaaren perhekeskustiimi",
        level=levels[0],
        parent=region,
        area=areas.get("Mustasaari"),
        coordinator=users["socialworker"],
        facilitator=users["trainer"],
        meeting_rhythm="2 kuukauden välein",
    )
    for team, names in ((vaasa, ["worker", "teacher", "manager"]), (mustasaari, ["trainer"])):
        for name in names:
            services.member_add(actor=actor, body=team, user=users[name], sector=Sector.ECEC)
        services.member_add(
            actor=actor,
            body=team,
            name="Seurakunnan perhetyö",
            organisation="Seurakunta",
            sector=Sector.PARISH,
        )
        services.member_add(
            actor=actor, body=team, name="MLL:n perhekahvila", organisation="MLL", sector=Sector.NGO
        )
    _observations(tenant, vaasa, mustasaari, users)
    _phenomena(vaasa, mustasaari, region, province, board, users)


def _observations(tenant: Tenant, vaasa: Body, mustasaari: Body, users: dict[str, User]) -> None:
    rng = random.Random(2026)
    with open(DATA, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    now = timezone.now()
    writers = {
        vaasa.pk: [users["worker"], users["teacher"], users["coordinator"]],
        mustasaari.pk: [users["trainer"], users["socialworker"]],
    }
    made = 0
    for round_ in range(3):
        for i, row in enumerate(rows):
            if made >= 150:
                break
            team = vaasa if (i + round_) % 3 else mustasaari
            text = (
                row["text"]
                if round_ == 0
                else f"{row['text']} {AGAIN[row['language']][round_ - 1]}"
            )
            observation = services.observation_create(
                actor=rng.choice(writers[team.pk]),
                team=team,
                text=text,
                embed=False,
                area=team.area,
            )
            days = rng.randint(0, 360)
            Observation.objects.filter(pk=observation.pk).update(
                created_at=now - timedelta(days=days, hours=rng.randint(0, 8))
            )
            made += 1
    # One batch for the model (faster than one call per observation), so that the first team
    # meeting page does not wait for it.
    services.embed_observations(list(Observation.objects.filter(team__in=[vaasa, mustasaari])))


def _group(team: Body, label: str, actor: User) -> list[Observation]:
    with open(DATA, encoding="utf-8") as handle:
        texts = [r["text"] for r in csv.DictReader(handle) if r["phenomenon"] == label]
    return [
        o
        for o in Observation.objects.filter(team=team, phenomenon__isnull=True)
        if any(o.text.startswith(t) for t in texts)
    ]


def _phenomena(
    vaasa: Body,
    mustasaari: Body,
    region: Body,
    province: Body,
    board: Body,
    users: dict[str, User],
) -> None:
    coordinator, leader, socialworker = users["coordinator"], users["leader"], users["socialworker"]
    meeting = services.meeting_open(
        actor=coordinator,
        team=vaasa,
        held_on=date.today() - timedelta(days=40),
        agenda="1. Uudet havainnot\n2. Ilmiöt johtoryhmälle",
        attendees=[users["worker"], users["teacher"], users["nurse"]],
        other_attendees="Seurakunnan perhetyö, MLL",
    )
    made = {}
    for label, team, lead in (
        ("exhausted_parents_of_small_children", vaasa, coordinator),
        ("school_absenteeism", vaasa, coordinator),
        ("rural_lack_of_leisure_activities", vaasa, coordinator),
        ("youth_loneliness", vaasa, coordinator),
        ("screen_time_and_sleep", vaasa, coordinator),
        ("family_financial_hardship", mustasaari, socialworker),
        ("immigrant_families_language_barriers", mustasaari, socialworker),
    ):
        made[label] = services.phenomenon_create(
            actor=lead,
            team=team,
            title=TITLES[label],
            observations=_group(team, label, lead),
            meeting=meeting if team == vaasa else None,
        )
    services.meeting_close(actor=coordinator, meeting=meeting)
    # With the regional group, waiting for a response.
    services.phenomenon_send(
        actor=coordinator, phenomenon=made["school_absenteeism"], indicators=["discussions_held"]
    )
    # Decided by the regional group: an initiative, fed back to the team.
    p = made["exhausted_parents_of_small_children"]
    services.phenomenon_send(
        actor=coordinator,
        phenomenon=p,
        indicators=["feedback_heard"],
        text="Havaintoja koko vuoden ajalta kaikista palveluista.",
    )
    services.initiative_create(
        actor=leader,
        phenomenon=p,
        body=region,
        what="Iltaisin avoin perhevalmennus",
        why="Vanhempien uupumus näkyy kaikissa palveluissa.",
        who="Perhekeskus ja MLL",
        due_on=date.today() + timedelta(days=90),
    )
    # Escalated to the provincial group, waiting there.
    p = made["rural_lack_of_leisure_activities"]
    services.phenomenon_send(actor=coordinator, phenomenon=p)
    services.phenomenon_escalate(
        actor=leader,
        phenomenon=p,
        body=region,
        reason="Koskee kaikkia maaseutukuntia: joukkoliikenne on maakunnan asia.",
    )
    # Escalated to the top and answered there.
    p = made["youth_loneliness"]
    services.phenomenon_send(actor=coordinator, phenomenon=p)
    services.phenomenon_escalate(actor=leader, phenomenon=p, body=region, reason="Laaja ilmiö.")
    services.phenomenon_escalate(
        actor=leader,
        phenomenon=p,
        body=province,
        reason="Vaatii hyvinvointisuunnitelman muutoksen.",
    )
    services.phenomenon_respond(
        actor=leader,
        phenomenon=p,
        body=board,
        text="Nuorten yksinäisyys nostetaan hyvinvointisuunnitelman painopisteeksi.",
    )
    # The other team: a working group named.
    p = made["family_financial_hardship"]
    services.phenomenon_send(actor=socialworker, phenomenon=p)
    services.working_group_name(
        actor=leader,
        phenomenon=p,
        body=region,
        text="Työryhmä: sosiaalityö, seurakunnan diakonia ja koulu.",
    )
    services.observation_post_down(
        actor=leader,
        from_body=region,
        teams=[vaasa, mustasaari],
        text="Näkyykö teillä, että perheet jättävät lapsen terveystarkastuksia väliin?",
    )
