"""Invitations to a network meeting: who may get one, what it may say, the .ics, the emails.

What an invitation says (SECURITY.md 23, the family decides what is shared):

- Only the guardians, the child, and invitees the family has approved *and* given at least
  the ``attend`` consent get anything at all. Everyone else gets no email.
- The meeting's topics are the family-agreed ``topics`` only; the worker's ``reason`` never
  goes out.
- The child is named by first name only, to everyone (guardians included, for one simple
  rule); surname, full name and birth date never appear. The subject line names no child.
- Guardians are listed by first name to everyone but the guardians themselves (their surname
  is often the child's). Other attendees' email addresses are not shared: in the .ics they are
  ``urn:uuid:`` addresses with a name; only the recipient's own line is their ``mailto:``.
- The .ics has a stable UID (``meeting.uid``) and the meeting's SEQUENCE, so an update or a
  cancellation reaches the same calendar event.

The answer link (``AnswerLink``) opens without a login, so it is a key: each email gets its
own token, only the token's SHA-256 is stored, the outbox redacts the token once the email is
sent, and the link expires (``ARKI_INVITATION_LINK_DAYS`` after the email, and
``ARKI_INVITATION_LINK_GRACE_HOURS`` after the meeting ends). A newer invitation or a
cancellation ends the earlier links. The answer page shows what the recipient needs to answer
(when, where, the chair, the family's topics under the ``attend`` consent) and never who else
is coming or in which service: that stays in the email sent to the person.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event, vCalAddress

from arki.audit import services as audit
from arki.notifications.services import enqueue_email

from .models import (
    AnswerLink,
    Approval,
    ConsentScope,
    Invitee,
    InviteeKind,
    MeetingStatus,
    NetworkMeeting,
    Response,
)

REQUEST = "REQUEST"
CANCEL = "CANCEL"
ICS_FILENAME = "invite.ics"
ICS_MIMETYPE = "text/calendar"

_PARTSTAT = {Response.YES: "ACCEPTED", Response.NO: "DECLINED", Response.PROPOSE: "TENTATIVE"}


def language_of(invitee: Invitee) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return invitee.language if invitee.language in codes else settings.LANGUAGE_CODE


def _has_attend_consent(invitee: Invitee) -> bool:
    # Reads the prefetched consents when the caller prefetched them.
    return any(
        c.scope == ConsentScope.ATTEND and c.withdrawn_at is None for c in invitee.consents.all()
    )


def may_attend(invitee: Invitee) -> bool:
    """The family has let this invitee take part: guardians and the child always once
    approved; anyone else also needs the ``attend`` consent."""
    if invitee.approval != Approval.APPROVED:
        return False
    if invitee.kind in (InviteeKind.GUARDIAN, InviteeKind.CHILD):
        return True
    return _has_attend_consent(invitee)


def waiting_for(invitee: Invitee) -> Any:
    """Why this invitee cannot be sent an invitation now ("" when they can)."""
    if invitee.approval == Approval.REFUSED:
        return gettext_lazy("refused by the family: no invitation")
    if invitee.approval == Approval.PENDING:
        return gettext_lazy("waiting for the family's approval")
    if not may_attend(invitee):
        return gettext_lazy("waiting for the family's consent to take part")
    if not invitee.email:
        return gettext_lazy("no email address: invite in another way")
    return ""


def can_receive(invitee: Invitee) -> bool:
    return not waiting_for(invitee)


def attendees(meeting: NetworkMeeting) -> list[Invitee]:
    """Who is coming, as far as anyone may be told: allowed to attend, not declined."""
    invitees = meeting.invitees.select_related("guardian").prefetch_related("consents")
    return [i for i in invitees if may_attend(i) and i.response != Response.NO]


def display_name(invitee: Invitee, *, for_guardian: bool) -> str:
    if invitee.kind == InviteeKind.CHILD:
        return invitee.meeting.child.first_name
    if invitee.kind == InviteeKind.GUARDIAN and not for_guardian and invitee.guardian:
        return invitee.guardian.first_name
    return invitee.name


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _meeting_end(meeting: NetworkMeeting) -> datetime | None:
    return meeting.ends_at or meeting.starts_at


def _grace() -> timedelta:
    return timedelta(hours=settings.ARKI_INVITATION_LINK_GRACE_HOURS)


def answer_link_issue(invitee: Invitee) -> str:
    """A new answer link for one email to this invitee; returns the token (only its hash is
    stored). Call inside the sending service's transaction."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires_at = now + timedelta(days=settings.ARKI_INVITATION_LINK_DAYS)
    end = _meeting_end(invitee.meeting)
    if end is not None:
        expires_at = min(expires_at, end + _grace())
    AnswerLink.objects.create(invitee=invitee, token_hash=hash_token(token), expires_at=expires_at)
    return token


def answer_links_end(invitee: Invitee) -> None:
    """End the invitee's earlier links (a newer invitation or a cancellation replaces them)."""
    invitee.answer_links.live().update(ended_at=timezone.now())


def answer_link_is_expired(link: AnswerLink) -> bool:
    """Past its own expiry, or the grace period after the meeting (which may have moved)."""
    now = timezone.now()
    end = _meeting_end(link.invitee.meeting)
    return link.expires_at <= now or (end is not None and end + _grace() <= now)


def answer_closed_message(link: AnswerLink) -> tuple[str, int]:
    """Why the answer page takes no answer through this link, and the HTTP status to show it
    with; ("", 200) when it does. Call inside the recipient's language."""
    invitee = link.invitee
    meeting = invitee.meeting
    if meeting.status == MeetingStatus.CANCELLED and invitee.invited_at is not None:
        return _("This meeting has been cancelled."), 200
    if not invitee.is_invited or not may_attend(invitee):
        return _("This invitation is no longer valid."), 200
    if meeting.status != MeetingStatus.SCHEDULED:
        return _("This meeting has already been held. Answers are no longer taken."), 200
    if link.ended_at is not None:
        return _("This link has been replaced: please use the link in the latest email."), 410
    if answer_link_is_expired(link):
        return _("This link has expired. If you still need to answer, contact the chair."), 410
    return "", 200


def answer_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("meetings:answer", args=[token])


def answer_page_context(invitee: Invitee) -> dict[str, Any]:
    """What the answer page shows. It opens with the link alone, so anyone holding the link
    reads it: the time and place, the chair, the family's topics (the ``attend`` consent lets
    the invitee hear them) and the child's first name to the family only. Not who else is
    coming, their services or the guardians' names: the invitation email sent to the recipient
    says who is coming."""
    meeting = invitee.meeting
    family = invitee.kind in (InviteeKind.GUARDIAN, InviteeKind.CHILD)
    return {
        "meeting": meeting,
        "invitee": invitee,
        "child_name": meeting.child.first_name if family else "",
        "topics": meeting.topics if may_attend(invitee) else "",
        "chair": meeting.chair.get_full_name() or meeting.chair.get_username(),
        "attendees": [],
    }


@dataclass
class Attendee:
    name: str
    role: str
    response: str
    is_recipient: bool
    invitee: Invitee


def context_for(invitee: Invitee, *, token: str = "", is_update: bool = False) -> dict[str, Any]:
    """What this recipient may be told in the email and the .ics (``token``: the email's
    answer link). Call inside ``translation.override(language_of(invitee))``."""
    meeting = invitee.meeting
    for_guardian = invitee.kind == InviteeKind.GUARDIAN
    allowed = may_attend(invitee)
    others = (
        [
            Attendee(
                name=display_name(i, for_guardian=for_guardian),
                role=i.role_display,
                response=i.response,
                is_recipient=i.pk == invitee.pk,
                invitee=i,
            )
            for i in attendees(meeting)
        ]
        if allowed
        else []
    )
    return {
        "meeting": meeting,
        "invitee": invitee,
        "child_name": meeting.child.first_name,
        "topics": meeting.topics if allowed else "",
        "chair": meeting.chair.get_full_name() or meeting.chair.get_username(),
        "attendees": others,
        "answer_url": answer_url(token) if token else "",
        "is_update": is_update,
    }


def _address(email: str) -> str:
    return email.rsplit("<", 1)[-1].rstrip(">").strip()


def build_ics(invitee: Invitee, *, method: str, context: dict[str, Any]) -> bytes:
    """One VEVENT with the meeting's stable UID and current SEQUENCE, times in UTC."""
    meeting = invitee.meeting
    assert meeting.starts_at is not None and meeting.ends_at is not None
    cal = Calendar()
    cal.add("prodid", "-//Arki//Network meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", _("Network meeting (Arki)"))
    event.add("location", meeting.location or meeting.video_link)
    if meeting.video_link:
        event.add("url", meeting.video_link)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organizer = vCalAddress(
        "mailto:" + (meeting.chair.email or _address(settings.DEFAULT_FROM_EMAIL))
    )
    organizer.params["CN"] = context["chair"]
    event.add("organizer", organizer)
    listed = list(context["attendees"]) if method == REQUEST else []
    if not any(person.is_recipient for person in listed):
        listed.append(
            Attendee(
                name=display_name(invitee, for_guardian=invitee.kind == InviteeKind.GUARDIAN),
                role=invitee.role_display,
                response=invitee.response,
                is_recipient=True,
                invitee=invitee,
            )
        )
    for person in listed:
        if person.is_recipient:
            address = vCalAddress(f"mailto:{invitee.email}")
        else:
            address = vCalAddress(f"urn:uuid:{person.invitee.pk}")
        address.params["CN"] = person.name
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = _PARTSTAT.get(person.response, "NEEDS-ACTION")
        event.add("attendee", address)
    template = "cancellation" if method == CANCEL else "invitation"
    event.add(
        "description",
        render_to_string(f"meetings/email/{template}_ics.txt", context).strip(),
    )
    cal.add_component(event)
    return cal.to_ical()


def _subject(meeting: NetworkMeeting, method: str, is_update: bool) -> str:
    assert meeting.starts_at is not None
    when = timezone.localtime(meeting.starts_at)
    values = {
        "date": date_format(when, "SHORT_DATE_FORMAT"),
        "time": date_format(when, "TIME_FORMAT"),
    }
    if method == CANCEL:
        return _("Cancelled: network meeting on %(date)s at %(time)s") % values
    if is_update:
        return _("Changed: network meeting on %(date)s at %(time)s") % values
    return _("Invitation to a network meeting on %(date)s at %(time)s") % values


def send(*, actor: Any, invitee: Invitee, method: str, is_update: bool = False) -> None:
    """Put one invitation (REQUEST) or cancellation (CANCEL) in the outbox, in the
    recipient's language, and record the disclosure. Call inside the service's transaction."""
    if not invitee.email:
        return
    meeting = invitee.meeting
    language = language_of(invitee)
    answer_links_end(invitee)
    token = answer_link_issue(invitee) if method == REQUEST else ""
    with translation.override(language):
        context = context_for(invitee, token=token, is_update=is_update)
        template = "cancellation" if method == CANCEL else "invitation"
        subject = _subject(meeting, method, is_update)
        text = render_to_string(f"meetings/email/{template}.txt", context)
        html = render_to_string(f"meetings/email/{template}.html", context)
        ics = build_ics(invitee, method=method, context=context)
    enqueue_email(
        to=invitee.email,
        subject=subject,
        body_text=text,
        body_html=html,
        # The method in the MIME type too: mail clients show accept/decline from it.
        attachments=[(ICS_FILENAME, ics, f"{ICS_MIMETYPE}; method={method}")],
        tenant_id=meeting.tenant_id,
        kind=f"meetings.invitation.{method.lower()}",
        language=language,
        related_object=meeting,
        dedupe_key=f"meetings.invitation:{invitee.pk}:{meeting.sequence}:{method}",
        # The answer link is a key: redacted from the stored row once sent. A cancellation
        # carries none.
        secrets=[token] if token else [],
    )
    audit.record(
        actor,
        "meetings.invitation.sent" if method == REQUEST else "meetings.invitation.cancelled",
        subjects=[meeting.child],
        obj=meeting,
        basis="guardian" if invitee.kind == InviteeKind.GUARDIAN else "consent:attend",
        recipient=f"{invitee.name} <{invitee.email}>",
        is_disclosure=True,
        tenant_id=meeting.tenant_id,
        detail={"invitee": str(invitee.pk), "method": method, "sequence": meeting.sequence},
    )
    now = timezone.now()
    if method == REQUEST:
        invitee.invited_at, invitee.invited_sequence, invitee.uninvited_at = (
            now,
            meeting.sequence,
            None,
        )
    else:
        invitee.uninvited_at = now
    invitee.save(update_fields=["invited_at", "invited_sequence", "uninvited_at", "updated_at"])


@dataclass
class Row:
    """One line of the meeting page's invitation table."""

    invitee: Invitee
    waiting_for: Any
    is_invited: bool


def page_rows(invitees: list[Invitee]) -> list[Row]:
    return [Row(invitee=i, waiting_for=waiting_for(i), is_invited=i.is_invited) for i in invitees]
