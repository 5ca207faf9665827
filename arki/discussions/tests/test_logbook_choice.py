"""The offer page suggests the log book in the family's language (not the worker's interface)
and lists the log books grouped by setting and age, each group with its languages."""

from __future__ import annotations

import pytest

from arki.core.tests.html import parse

pytestmark = pytest.mark.django_db


def _offer_page(world, language="fi"):
    client = world.client_for(world.worker)
    return client.get(f"/discussions/children/{world.child.pk}/new/", HTTP_ACCEPT_LANGUAGE=language)


def test_suggestion_follows_the_childs_language_not_the_workers(world, templates):
    world.child.preferred_language = "sv"
    world.child.save()
    page = _offer_page(world, "fi")
    assert page.context["form"].initial["template"] == templates["test-ecec.sv"].pk
    select = parse(page.content).find("select", name="template")
    assert select is not None
    selected = select.find("option", selected="")
    assert selected is not None and selected["value"] == str(templates["test-ecec.sv"].pk)


def test_suggestion_falls_back_to_a_guardians_language(world, templates):
    world.child.preferred_language = "de"  # no log book in that language
    world.child.save()
    world.guardian.preferred_language = "sv"
    world.guardian.save()
    page = _offer_page(world, "fi")
    assert page.context["form"].initial["template"] == templates["test-ecec.sv"].pk


def test_a_finnish_family_gets_finnish_with_an_english_interface(world, templates):
    page = _offer_page(world, "en")
    assert page.context["form"].initial["template"] == templates["test-ecec.fi"].pk


def test_log_books_are_grouped_by_setting_and_age(world, templates):
    doc = parse(_offer_page(world, "fi").content)
    select = doc.find("select", name="template")
    assert select is not None
    groups = select.find_all("optgroup")
    assert len(groups) >= 2
    # Each group is one setting and age; its options are the languages of that log book.
    for group in groups:
        options = group.find_all("option")
        assert options
        assert len({o.text().split(":")[0] for o in options}) == len(options)
    labels = [g["label"] for g in groups]
    assert any("varhaiskasvatus" in label for label in labels)
    # No log book is left outside a group (apart from the empty choice).
    loose = [o for o in select.find_all("option") if o.ancestor("optgroup") is None]
    assert [o["value"] for o in loose] == [""]
