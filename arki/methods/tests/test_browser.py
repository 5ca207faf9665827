"""A leader finds a method for a phenomenon and sees where people are trained (Chromium, axe)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from arki.methods.tests.test_views import _train

pytestmark = pytest.mark.browser


def test_a_leader_finds_a_method_for_a_phenomenon_and_where_people_are_trained(
    page, catalogue, login, axe
):
    world = catalogue.world
    lonely = catalogue.published("kids-club", tags=["loneliness"])
    catalogue.published("teen-group", tags=["bullying"], age_min=13, age_max=17)
    _train(world, lonely, world.worker, world.other_area_worker)

    login(page, "leader")
    page.locator("nav a[href='/methods/manage/']").click()
    axe(page)
    page.locator("#id_q").fill("loneliness")
    page.locator("main form button[type=submit]").click()
    results = page.locator("main table tbody")
    expect(results.get_by_role("link", name="Kerho fi")).to_be_visible()
    assert results.locator("a[href='/methods/manage/teen-group/']").count() == 0
    results.get_by_role("link", name="Kerho fi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kerho fi")
    trained = page.locator("main table").first
    expect(trained.get_by_role("row").filter(has_text="Vaasa")).to_contain_text("1")
    expect(trained.get_by_role("row").filter(has_text="Mustasaari")).to_contain_text("1")
    axe(page)

    # The method nobody is trained in says so.
    page.goto("/methods/manage/teen-group/")
    assert page.locator("main section").first.locator("table").count() == 0

    # The public page of the same method shows no staff figures.
    page.goto("/methods/pohjanmaa/kids-club/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kerho fi")
    assert "Mustasaari" not in page.content()
    axe(page)
