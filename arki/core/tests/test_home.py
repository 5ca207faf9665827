"""The home page's parts built in Python write what the template engine wrote before."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from django.template import engines
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import timezone, translation

from arki.core.formatting import date_text, url_for_ids
from arki.core.tests.factories import ChildFactory

# The list in core/home.html before the items were built in Python.
OLD_LIST = """{% load i18n %}<ul class="items">
{% for child in children %}<li><a href="{% url 'people:child_detail' child.pk %}">{{ child.full_name }}</a></li>
{% empty %}<li>{% translate "You have no children on your list yet." %}</li>{% endfor %}
</ul>"""  # noqa: E501
NEW_LIST = """{% load home_tags %}<ul class="items">
{% child_links children %}
</ul>"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_child_links_match_the_old_template(world, language):
    awkward = ChildFactory(tenant=world.tenant, first_name='Ä "<b>" & Ö', last_name="O'Brien")
    django = engines["django"]
    old, new = django.from_string(OLD_LIST), django.from_string(NEW_LIST)
    with translation.override(language):
        for children in ([world.child, awkward], [awkward], []):
            assert new.render({"children": children}) == old.render({"children": children})
    rendered = new.render({"children": [awkward]})
    assert "&lt;b&gt;" in rendered and f"/children/{awkward.pk}/" in rendered


def test_url_for_ids_is_reverse():
    ids = [uuid.uuid4(), uuid.uuid4()]
    assert url_for_ids("discussions:detail", 2)(*ids) == reverse("discussions:detail", args=ids)
    assert url_for_ids("people:child_detail", 1)(ids[1]) == reverse(
        "people:child_detail", args=[ids[1]]
    )
    set_script_prefix("/arki/")  # served under a path: reversed with the request's prefix
    try:
        url = url_for_ids("people:child_detail", 1)(ids[0])
        assert url == reverse("people:child_detail", args=[ids[0]]) == f"/arki/children/{ids[0]}/"
    finally:
        clear_script_prefix()


@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_date_text_is_the_date_filter(language):
    django = engines["django"]
    template = django.from_string(
        '{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}'
    )
    when = timezone.make_aware(datetime(2026, 3, 29, 0, 30), timezone.get_fixed_timezone(0))
    with translation.override(language):
        for day in (date(2026, 1, 2), date(2026, 12, 31)):
            expected = template.render({"d": day, "t": when})
            assert (
                f"{date_text(day, 'SHORT_DATE_FORMAT')}|" + date_text(when, "SHORT_DATETIME_FORMAT")
                == expected
            )
    assert date_text(None, "SHORT_DATE_FORMAT") == ""
