"""Reminders before a network meeting, and to the chair for agreed actions and follow-ups.

Idempotent through the outbox's ``dedupe_key``: each key names the invitee (or action or
meeting) and the date it is about, so a second run sends nothing, and a meeting moved to a new
time gets one reminder for the new time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from arki.audit import services as audit
from arki.notifications.models import OutboxMessage
from arki.notifications.services import enqueue_email

from . import invitations
from .models import MeetingAction, MeetingStatus, NetworkMeeting, Response

KIND = "meetings.reminder"


def reminder_days() -> int:
    return int(getattr(settings, "ARKI_MEETING_REMINDER_DAYS", 2))


def _queue(*, key: str, meeting: NetworkMeeting, to: str, language: str, **message: Any) -> bool:
    if OutboxMessage.objects.filter(dedupe_key=key).exists():
        return False
    enqueue_email(
        to=to,
        tenant_id=meeting.tenant_id,
        kind=KIND,
        language=language,
        related_object=meeting,
        dedupe_key=key,
        **message,
    )
    return True


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def _remind_invitees(meeting: NetworkMeeting) -> int:
    assert meeting.starts_at is not None
    sent = 0
    invitees = meeting.invitees.select_related("guardian").prefetch_related("consents")
    for invitee in invitees:
        if not invitee.is_invited or invitee.response == Response.NO:
            continue
        if not invitations.can_receive(invitee):
            continue
        key = f"{KIND}:{invitee.pk}:{_stamp(meeting.starts_at)}"
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        language = invitations.language_of(invitee)
        token = invitations.answer_link_issue(invitee)
        with translation.override(language):
            context = invitations.context_for(invitee, token=token)
            subject = _("Reminder: network meeting on %(date)s") % {
                "date": date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")
            }
            text = render_to_string("meetings/email/reminder.txt", context)
            html = render_to_string("meetings/email/reminder.html", context)
        if _queue(
            key=key,
            meeting=meeting,
            to=invitee.email,
            language=language,
            subject=subject,
            body_text=text,
            body_html=html,
            secrets=[token],
        ):
            audit.record(
                None,
                "meetings.reminder.sent",
                subjects=[meeting.child],
                obj=meeting,
                basis="guardian" if invitee.kind == "guardian" else "consent:attend",
                recipient=f"{invitee.name} <{invitee.email}>",
                is_disclosure=True,
                tenant_id=meeting.tenant_id,
                detail={"invitee": str(invitee.pk)},
            )
            sent += 1
    return sent


def _remind_chair(
    meeting: NetworkMeeting, *, key: str, action: MeetingAction | None = None
) -> bool:
    chair = meeting.chair
    if not chair.email or not chair.is_active:
        return False
    language = chair.preferred_language or settings.LANGUAGE_CODE
    url = settings.SITE_URL.rstrip("/") + reverse(
        "meetings:detail", args=[meeting.child_id, meeting.pk]
    )
    with translation.override(language):
        subject = (
            _("Reminder: an agreed action is due")
            if action
            else _("Reminder: a follow-up network meeting is coming up")
        )
        text = render_to_string(
            "meetings/email/chair_reminder.txt", {"meeting": meeting, "action": action, "url": url}
        )
    queued = _queue(
        key=key, meeting=meeting, to=chair.email, language=language, subject=subject, body_text=text
    )
    if queued:
        audit.record(
            None,
            "meetings.reminder.sent",
            subjects=[meeting.child],
            obj=meeting,
            basis="relationship:network_chair",
            recipient=chair.email,
            tenant_id=meeting.tenant_id,
            detail={"action": str(action.pk)} if action else {"follow_up": True},
        )
    return queued


@transaction.atomic
def send_meeting_reminders(*, now: datetime | None = None) -> int:
    """Queue the reminders that are due; return how many were queued now (0 on a rerun)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=reminder_days())
    sent = 0
    coming = NetworkMeeting.objects.filter(
        status=MeetingStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=horizon
    ).select_related("child", "chair")
    for meeting in coming:
        assert meeting.starts_at is not None
        sent += _remind_invitees(meeting)
        if meeting.previous_id is not None:
            key = f"{KIND}:follow-up:{meeting.pk}:{_stamp(meeting.starts_at)}"
            sent += _remind_chair(meeting, key=key)
    today = timezone.localdate(now)
    due = MeetingAction.objects.filter(
        due_on__gte=today, due_on__lte=today + timedelta(days=reminder_days())
    ).exclude(meeting__status=MeetingStatus.CANCELLED)
    for action in due.select_related("meeting__chair", "meeting__child"):
        assert action.due_on is not None
        key = f"{KIND}:action:{action.pk}:{action.due_on.isoformat()}"
        sent += _remind_chair(action.meeting, key=key, action=action)
    return sent
