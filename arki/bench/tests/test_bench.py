"""The benchmark harness works end to end at a tiny scale (no server, no timing asserted)."""

from __future__ import annotations

import pytest

from arki.bench import measure
from arki.bench.data import Size, generate


@pytest.mark.django_db(transaction=True)
def test_generator_and_query_count_check():
    ids = generate(Size(children=40, discussions=60, staff=20, audit_events=300))
    from arki.audit.models import AuditEvent
    from arki.bench import personas
    from arki.discussions.models import Discussion
    from arki.meetings.models import NetworkMeeting
    from arki.people.models import Child

    extra = personas.TEACHER_CHILDREN + personas.NURSE_PUPILS + personas.SOCIAL_FAMILIES
    assert Child.objects.count() == 40 + extra
    # The teacher's group and one pupil have a full discussion; a third of the pupils have one.
    assert Discussion.objects.count() == 60 + personas.TEACHER_CHILDREN + 1 + 200
    # The social worker chairs a meeting for each family, eight in each state.
    states = NetworkMeeting.objects.values_list("status", flat=True)
    assert sorted(set(states)) == ["cancelled", "closed", "held", "planning", "scheduled"]
    assert all(list(states).count(s) == 8 for s in set(states))
    assert AuditEvent.objects.filter(action="people.child.viewed").count() >= 300
    counts = measure.query_counts(ids)
    assert set(counts) == set(personas.pages(ids))
    for name, q in counts.items():
        assert q["after"] == q["before"], name  # no page's query count grows with the data


@pytest.mark.django_db
def test_meeting_report_bench_builds_a_realistic_meeting_and_measures_it():
    from arki.bench import reports
    from arki.meetings.models import MeetingReport, NetworkMeeting

    result = reports.measure_rolled_back(renders=1, invitees=12)
    assert (result["invitees"], result["phases"], result["proposals"]) == (12, 7, 10)
    assert (result["actions"], result["responsible"]) == (7, 2)
    assert result["pdf_bytes"] > 5000 and result["html_bytes"] > 5000
    for step in ("snapshot", "html", "pdf"):
        assert result[step]["n"] == 1 and result[step]["p95_ms"] > 0
    assert "| render the PDF |" in result["markdown"]
    # Everything it made is rolled back.
    assert not NetworkMeeting.objects.exists() and not MeetingReport.objects.exists()
