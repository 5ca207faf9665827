"""The benchmark harness works end to end at a tiny scale (no server, no timing asserted)."""

from __future__ import annotations

import pytest

from arki.bench import measure
from arki.bench.data import Size, generate


@pytest.mark.django_db(transaction=True)
def test_generator_and_query_count_check():
    ids = generate(Size(children=40, discussions=60, staff=20, audit_events=300))
    from arki.audit.models import AuditEvent
    from arki.discussions.models import Discussion
    from arki.people.models import Child

    assert Child.objects.count() == 40 + 0
    assert Discussion.objects.count() == 60 + 15
    assert AuditEvent.objects.filter(action="people.child.viewed").count() >= 300
    counts = measure.query_counts(ids)
    assert set(counts) == set(measure._pages(ids))
    for name, q in counts.items():
        assert q["after"] == q["before"], name  # no page's query count grows with the data
