from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from arki.accounts.models import User
from arki.discussions.models import Discussion
from arki.organisations.models import Tenant, Unit
from arki.people.models import Child


@pytest.mark.django_db
def test_demo_county_loads_once_and_its_accounts_work(client):
    call_command("load_demo", children=36, stdout=io.StringIO())
    counts = (
        Tenant.objects.count(),
        Unit.objects.count(),
        Child.objects.count(),
        Discussion.objects.count(),
        User.objects.count(),
    )
    assert Unit.objects.filter(tenant__slug="demo-pohjanmaa").count() == 20
    assert User.objects.count() >= 40
    assert Child.objects.count() >= 30
    statuses = set(Discussion.objects.values_list("status", flat=True))
    assert statuses == {"offered", "declined", "accepted", "closed"}
    outcomes = set(Discussion.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == {"plan_made", "network_meeting_needed", "no_further_action"}
    call_command("load_demo", children=36, stdout=io.StringIO())
    assert counts == (
        Tenant.objects.count(),
        Unit.objects.count(),
        Child.objects.count(),
        Discussion.objects.count(),
        User.objects.count(),
    )
    for username in (
        "worker",
        "socialworker",
        "manager",
        "coordinator",
        "leader",
        "admin",
        "trainer",
        "outsider",
    ):
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password="arki-demo-2026"), username
    worker = User.objects.get(username="worker")
    client.force_login(worker)
    home = client.get("/").content.decode()
    some_child = Child.objects.visible_to(worker).first()
    assert some_child is not None and some_child.full_name in home
    client.force_login(User.objects.get(username="outsider"))
    assert client.get(f"/children/{some_child.pk}/").status_code == 404
    assert some_child.full_name not in client.get("/").content.decode()
