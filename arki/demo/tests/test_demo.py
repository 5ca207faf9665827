from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

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


@pytest.mark.django_db
def test_demo_network_meetings_in_every_state_made_once_through_the_services(client):
    from arki.audit.models import AuditEvent
    from arki.meetings.models import (
        Approval,
        MeetingReport,
        NetworkMeeting,
        PhaseNote,
        ProposalStatus,
        Response,
    )
    from arki.notifications.models import OutboxMessage

    call_command("load_demo", children=36, stdout=io.StringIO())
    meetings = NetworkMeeting.objects.filter(tenant__slug="demo-pohjanmaa")
    statuses = list(meetings.values_list("status", flat=True))
    assert set(statuses) == {"planning", "scheduled", "held", "closed", "cancelled"}
    assert set(meetings.values_list("chair__username", flat=True)) == {"socialworker", "nurse"}
    times = [timezone.localtime(m.starts_at) for m in meetings if m.starts_at]
    assert len(times) == 5 and all(t.weekday() < 5 for t in times)  # on working days
    planning = meetings.get(status="planning")
    assert planning.invitees.filter(approval=Approval.PENDING).count() >= 3
    upcoming = meetings.filter(status="scheduled", previous__isnull=True).get()
    assert upcoming.location and upcoming.starts_at
    assert upcoming.invitees.filter(invited_at__isnull=False).count() >= 4
    assert set(upcoming.invitees.exclude(response="").values_list("response", flat=True)) == {
        Response.YES,
        Response.PROPOSE,
    }
    held = meetings.get(status="held")
    assert held.starts_at and held.held_at and held.starts_at < held.held_at <= timezone.now()
    assert PhaseNote.objects.filter(meeting=held).count() == 7
    assert set(held.proposals.values_list("status", flat=True)) == {
        ProposalStatus.ACCEPTED,
        ProposalStatus.DECLINED,
    }
    assert held.actions.count() == 3
    reports = MeetingReport.objects.filter(meeting=held).order_by("number")
    assert [r.number for r in reports] == [1, 2] and reports[1].correction_note
    assert reports[0].deliveries.exists()
    follow_up = held.follow_ups.get()
    assert follow_up.status == "scheduled" and follow_up.starts_at
    assert follow_up.starts_at > timezone.now()
    assert meetings.get(status="closed").reports.count() == 1
    assert OutboxMessage.objects.filter(kind="meetings.invitation.cancel").exists()
    # Audited through the services.
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "meetings.meeting.planned",
        "meetings.invitee.approved",
        "meetings.consent.given",
        "meetings.invitation.sent",
        "meetings.invitation.answered",
        "meetings.meeting.held",
        "meetings.proposal.declined",
        "meetings.responsible.named",
        "meetings.report.created",
        "meetings.report.sent",
        "meetings.meeting.closed",
        "meetings.meeting.cancelled",
    } <= codes
    count = meetings.count()
    call_command("load_demo", children=36, stdout=io.StringIO())
    assert meetings.count() == count == 6
    # The chairs open their meetings; the worker, the children's teacher, opens them all.
    worker = User.objects.get(username="worker")
    theirs = [m for m in meetings if m.discussion and m.discussion.lead == worker]
    assert theirs
    for meeting in meetings:
        for user in (meeting.chair, worker) if meeting in theirs else (meeting.chair,):
            client.force_login(user)
            page = client.get(f"/meetings/children/{meeting.child_id}/{meeting.pk}/")
            assert page.status_code == 200, (user.username, meeting.status)


@pytest.mark.django_db
def test_an_older_demo_county_gets_its_network_meetings_on_the_next_load(monkeypatch):
    from arki.demo import meetings as demo_meetings
    from arki.meetings.models import NetworkMeeting

    with monkeypatch.context() as m:  # a county loaded before the demo had meetings
        m.setattr(demo_meetings, "seed", lambda tenant: 0)
        call_command("load_demo", children=36, stdout=io.StringIO())
    assert not NetworkMeeting.objects.exists()
    call_command("load_demo", children=36, stdout=io.StringIO())
    assert NetworkMeeting.objects.count() == 6


@pytest.mark.django_db
def test_demo_common_times_and_busy_times_make_find_a_time_sensible(client):
    from datetime import timedelta

    from arki.calendars.models import BusySource, BusyTime, CommonSlot
    from arki.calendars.selectors import find_times, required_invitees
    from arki.meetings.models import NetworkMeeting

    call_command("load_demo", children=36, stdout=io.StringIO())
    slots = CommonSlot.objects.filter(tenant__slug="demo-pohjanmaa")
    assert slots.filter(area__isnull=False).count() == 3
    assert slots.filter(unit__isnull=False).count() == 2
    assert slots.filter(unit__name="Päiväkoti Satakieli").get().published_by.username == "manager"
    busy = BusyTime.objects.filter(ends_at__gt=timezone.now())
    for username in ("worker", "nurse", "socialworker"):
        assert busy.filter(user__username=username).exists(), username
    assert busy.filter(user__username="socialworker", source=BusySource.IMPORTED).count() >= 10
    counts = (slots.count(), BusyTime.objects.count())
    call_command("load_demo", children=36, stdout=io.StringIO())
    assert counts == (slots.count(), BusyTime.objects.count())

    planning = NetworkMeeting.objects.get(status="planning")
    users = required_invitees(planning)
    assert {"socialworker", "worker", "nurse"} <= {u.username for u in users}
    found = find_times(users=users, duration=timedelta(minutes=90), ignore_meeting=planning)
    assert len(found) == 5
    first = found[0]
    # In a common time, on a working day, and nobody who must come is busy then.
    assert first.slot is not None and first.starts_at.weekday() < 5
    assert not BusyTime.objects.filter(
        user__in=users, starts_at__lt=first.ends_at, ends_at__gt=first.starts_at
    ).exists()
    # The ECEC teacher's busy first Tuesday is skipped: the first proposal is later.
    worker_busy = BusyTime.objects.filter(
        user__username="worker", starts_at__hour__gte=10
    ).order_by("starts_at")[0]
    assert first.starts_at > worker_busy.starts_at
    client.force_login(User.objects.get(username="socialworker"))
    page = client.get(f"/calendars/meetings/{planning.child_id}/{planning.pk}/times/")
    assert page.status_code == 200


@pytest.mark.django_db
def test_the_school_nurse_pages_and_filters_her_pupils(client):
    call_command("load_demo", children=36, stdout=io.StringIO())
    nurse = User.objects.get(username="schoolnurse")
    pupils = Child.objects.visible_to(nurse)
    assert pupils.count() == 72  # twice the demo's children
    assert set(Discussion.objects.filter(lead=nurse).values_list("status", flat=True)) == {
        "offered",
        "declined",
        "accepted",
    }
    client.force_login(nurse)
    page = client.get("/children/")
    assert len(page.context["children"]) == 50 and 'rel="next"' in page.content.decode()
    offered = client.get("/children/", {"state": "offered"}).context["children"]
    assert offered and all(c.discussion_state == "offered" for c in offered)
    # Loading again adds no second nurse and no pupils.
    call_command("load_demo", children=36, stdout=io.StringIO())
    assert User.objects.filter(username="schoolnurse").count() == 1
    assert Child.objects.visible_to(nurse).count() == 72
