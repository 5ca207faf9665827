from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from arki.observations.models import Body, EventKind, Observation, Phenomenon, PhenomenonEvent


@pytest.mark.django_db
def test_demo_has_two_teams_a_year_of_observations_and_every_stage(client):
    call_command("load_demo", children=36, stdout=io.StringIO())
    teams = Body.objects.filter(level__rank=1)
    assert teams.count() == 2
    observations = Observation.objects.filter(team__in=teams, from_body=None)
    assert 140 <= observations.count() <= 160
    # Finnish and Swedish both present.
    assert any(" och " in o.text for o in observations) and any(
        " ja " in o.text for o in observations
    )
    dates = list(observations.order_by("created_at").values_list("created_at", flat=True))
    assert (dates[-1] - dates[0]).days > 300
    statuses = set(Phenomenon.objects.values_list("status", flat=True))
    assert statuses == {"open", "sent", "decided"}
    kinds = set(PhenomenonEvent.objects.values_list("kind", flat=True))
    assert {
        EventKind.SENT,
        EventKind.ESCALATED,
        EventKind.INITIATIVE,
        EventKind.RESPONSE,
        EventKind.WORKING_GROUP,
    } <= kinds
    top = Phenomenon.objects.get(title="Nuorten yksinäisyys")
    assert top.current_body.level.rank == 4
    # Loading again adds nothing.
    call_command("load_demo", children=36, stdout=io.StringIO())
    assert (
        Observation.objects.filter(team__in=teams, from_body=None).count() == observations.count()
    )
