"""A refused inclusion check comes back with the boxes as they were ticked and the reason in
the form, not as a message over a fresh page."""

from __future__ import annotations

import pytest

from arki.core.tests.html import parse
from arki.methods import services

pytestmark = pytest.mark.django_db


def test_an_archived_methods_inclusion_check_keeps_the_ticks(catalogue):
    method = catalogue.published()
    services.method_archive(actor=catalogue.editor, method=method)
    client = catalogue.world.client_for(catalogue.editor)
    response = client.post(
        f"/methods/manage/{method.slug}/inclusion/",
        {"inclusion_goal": "on", "inclusion_theory": "on"},
    )
    assert response.status_code == 400
    form = parse(response.content).find("form", action=f"/methods/manage/{method.slug}/inclusion/")
    assert form is not None
    ticked = {i["name"] for i in form.find_all("input", type="checkbox") if "checked" in i.attrs}
    assert ticked == {"inclusion_goal", "inclusion_theory"}
    assert form.find(class_="errorlist") is not None
