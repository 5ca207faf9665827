"""The child page's units, workers and network, read as plain values, show
exactly what the page showed from model instances."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from arki.core.tests.factories import RelationshipFactory, UnitFactory
from arki.people import selectors
from arki.people.models import NetworkPerson, RelationshipKind

pytestmark = pytest.mark.django_db

# The units' and workers' lines of people/child_detail.html before, fed with model instances.
OLD_FACTS = """{% load i18n %}<dt>{% translate "Units" %}</dt><dd>{% for e in enrolments %}{{ e.unit.name }}{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}</dd>
  {% if full_case %}<dt>{% translate "Workers" %}</dt><dd>{% for r in workers %}{{ r.user.get_full_name }} ({{ r.get_kind_display }}){% if not forloop.last %}; {% endif %}{% endfor %}</dd>{% endif %}"""  # noqa: E501


def old_workers_of(child) -> list:
    """people.selectors.workers_of as it was: relationship instances, one per worker and kind."""
    seen, rows = set(), []
    for rel in child.relationships.active().select_related("user").order_by("created_at"):
        if (rel.user_id, rel.kind) not in seen:
            seen.add((rel.user_id, rel.kind))
            rows.append(rel)
    return rows


def old_facts(child) -> str:
    enrolments = list(child.enrolments.select_related("unit").filter(ended_on__isnull=True))
    return (
        engines["django"]
        .from_string(OLD_FACTS)
        .render({"enrolments": enrolments, "workers": old_workers_of(child), "full_case": True})
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_units_and_workers_show_as_before(world, language):
    child = world.child
    client = world.client_for(world.worker)
    unit = UnitFactory(area=world.unit.area, name="Koulu <Tuuli> & 'Mylly'")
    child.enrolments.create(unit=unit)
    child.enrolments.create(unit=world.other_unit, ended_on=timezone.localdate())  # ended
    world.colleague.first_name, world.colleague.last_name = "<b>Olli</b>", "& Co"
    world.colleague.save()
    RelationshipFactory(child=child, user=world.colleague, kind=RelationshipKind.DISCUSSION_LEAD)
    RelationshipFactory(child=child, user=world.colleague, kind=RelationshipKind.DISCUSSION_LEAD)
    RelationshipFactory(child=child, user=world.colleague, kind=RelationshipKind.NETWORK_MEMBER)
    RelationshipFactory(child=child, user=world.manager, ended_at=timezone.now())  # ended
    with translation.override(language):
        expected = old_facts(child)
    page = client.get(f"/children/{child.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert expected in page
    assert "Koulu &lt;Tuuli&gt; &amp; &#x27;Mylly&#x27;" in expected and "&lt;b&gt;Olli" in expected
    assert expected.count("&lt;b&gt;Olli") == 2  # one line per worker and kind
    assert world.other_unit.name not in expected and world.manager.last_name not in expected


def test_a_child_with_no_current_unit_shows_a_dash(world):
    world.child.enrolments.update(ended_on=timezone.localdate())
    assert selectors.current_unit_names(world.child) == []
    with translation.override("fi"):  # the page's default language
        expected = old_facts(world.child)
    assert "<dd>–</dd>" in expected
    page = world.client_for(world.worker).get(f"/children/{world.child.pk}/").content.decode()
    assert expected in page


def test_the_network_is_read_in_one_query_by_name(world):
    child = world.child
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.network_of(child) == []
    assert len(ctx.captured_queries) == 1
    NetworkPerson.objects.create(child=child, name="Mummo <3", relation="isoäiti")
    NetworkPerson.objects.create(child=child, name="Aapo", relation="naapuri")
    with CaptureQueriesContext(connection) as ctx:
        listed = selectors.network_of(child)
    assert listed == list(child.network.all()) and len(listed) == 2
    assert len(ctx.captured_queries) == 1
    page = world.client_for(world.worker).get(f"/children/{child.pk}/").content.decode()
    assert (
        "<li><span>Aapo (naapuri)</span></li>\n  <li><span>Mummo &lt;3 (isoäiti)</span></li>"
        in page
    )
