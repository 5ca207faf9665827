"""The meeting report: the minutes, made from what was recorded.

Each version is a frozen snapshot (``MeetingReport.snapshot``); a correction is a new version
and the earlier ones stay. The snapshot holds data, not words: labels, dates and statuses are
rendered in the reader's language (``arki.meetings.pdf``). Sending writes one disclosure audit
event and one ``ReportDelivery`` per recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from arki.audit import services as audit
from arki.core.exceptions import DomainError, InvalidTransitionError
from arki.notifications.services import enqueue_email
from arki.people.selectors import responsible_workers

from . import pdf
from .models import (
    OPEN_STATUSES,
    Approval,
    Consent,
    ConsentScope,
    Invitee,
    InviteeKind,
    MeetingReport,
    MeetingStatus,
    NetworkMeeting,
    Phase,
    ReportDelivery,
    typed_role,
)

REPORTABLE = (MeetingStatus.HELD, MeetingStatus.CLOSED)
EMAIL_KIND = "meetings.report"


# --- Reads ---------------------------------------------------------------------------------


def responsible_contacts(meeting: NetworkMeeting) -> list[dict[str, str]]:
    """The responsible workers this meeting named, with the contact stored on their user."""
    return [
        {
            "user": str(user.pk),
            "name": user.get_full_name() or user.get_username(),
            "title": user.title,
            "unit": unit,
            "email": user.email,
            "phone": user.phone,
        }
        for user, unit in responsible_workers(
            meeting.child_id, meeting.tenant_id, source_id=meeting.pk
        )
    ]


def follow_up_of(meeting: NetworkMeeting) -> NetworkMeeting | None:
    return meeting.follow_ups.exclude(status=MeetingStatus.CANCELLED).order_by("created_at").first()


def reports_for_meeting(meeting: NetworkMeeting) -> list[MeetingReport]:
    """Every version, newest first, with whom each was sent to."""
    return list(
        MeetingReport.objects.filter(meeting=meeting)
        .select_related("created_by")
        .prefetch_related("deliveries")
        .order_by("-number")
    )


def latest_report(meeting: NetworkMeeting) -> MeetingReport | None:
    return MeetingReport.objects.filter(meeting=meeting).order_by("-number").first()


def report_consent(user: Any, meeting: NetworkMeeting) -> Consent | None:
    """The active ``meeting_report`` consent the family gave for this user in this meeting."""
    if meeting.status not in OPEN_STATUSES:
        return None
    return _report_consents(user).filter(invitee__meeting=meeting).select_related("invitee").first()


def _report_consents(user: Any):
    """The active ``meeting_report`` consents given for ``user`` as an approved invitee (the
    meeting's status is checked by the callers)."""
    return Consent.objects.active().filter(
        invitee__user=user,
        invitee__approval=Approval.APPROVED,
        scope=ConsentScope.MEETING_REPORT,
    )


def consented_reports(user: Any, meetings: list[NetworkMeeting]) -> list[MeetingReport]:
    """The latest report of each of ``meetings`` whose minutes the family lets ``user`` read
    (the rule of ``report_consent``: an open meeting, the user an approved invitee with an
    active ``meeting_report`` consent), in the meetings' order. Two queries for all the
    meetings, where asking ``report_consent`` and ``latest_report`` per meeting took two each."""
    open_ids = [m.pk for m in meetings if m.status in OPEN_STATUSES]
    if not open_ids:
        return []
    consented = set(
        _report_consents(user)
        .filter(invitee__meeting_id__in=open_ids)
        .values_list("invitee__meeting_id", flat=True)
    )
    if not consented:
        return []
    latest: dict[Any, MeetingReport] = {}
    for version in MeetingReport.objects.filter(meeting_id__in=consented).order_by("-number"):
        latest.setdefault(version.meeting_id, version)
    readable = []
    for meeting in meetings:
        if (report := latest.get(meeting.pk)) is not None:
            report.meeting = meeting
            readable.append(report)
    return readable


@dataclass
class FamilyReport:
    meeting: NetworkMeeting
    report: MeetingReport

    @property
    def earlier(self) -> bool:
        """Whether earlier versions exist: versions are numbered 1, 2, ... per meeting."""
        return self.report.number > 1


def family_reports(child: Any) -> list[FamilyReport]:
    """For the family portal: each meeting's latest report version (a correction replaces it).
    Reads that version only, without its snapshot (the list shows the version and the day)."""
    newer = MeetingReport.objects.filter(meeting=OuterRef("meeting"), number__gt=OuterRef("number"))
    latest = (
        MeetingReport.objects.filter(meeting__child=child)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .exclude(Exists(newer))
        .select_related("meeting")
        .defer("snapshot")
        .order_by("-meeting__created_at")
    )
    return [FamilyReport(meeting=report.meeting, report=report) for report in latest]


def family_report(child: Any, meeting_id: Any) -> MeetingReport | None:
    return (
        MeetingReport.objects.filter(meeting__child=child, meeting_id=meeting_id)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting")
        .order_by("-number")
        .first()
    )


# --- The snapshot --------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def build_snapshot(meeting: NetworkMeeting) -> dict[str, Any]:
    """Everything the minutes show, as plain data (no translated words)."""
    chair = meeting.chair
    participants: list[dict[str, Any]] = [
        {
            "name": chair.get_full_name() or chair.get_username(),
            "kind": "chair",
            "role": chair.title,
            "took_part": True,
        }
    ]
    for invitee in meeting.invitees.filter(approval=Approval.APPROVED).order_by("created_at"):
        participants.append(
            {
                "name": invitee.name,
                "kind": invitee.kind,
                # As the meeting page shows it: "" is the kind of invitee, rendered in the
                # reader's language (a guardian, the child), like the snapshot's other labels.
                "role": typed_role(invitee.kind, invitee.role_label),
                "took_part": invitee.took_part,
            }
        )
    notes = {n.phase: n.text for n in meeting.phase_notes.all()}
    follow_up = follow_up_of(meeting)
    return {
        "child_first_name": meeting.child.first_name,
        "reason": meeting.reason,
        "topics": meeting.topics,
        "starts_at": _iso(meeting.starts_at),
        "held_at": _iso(meeting.held_at),
        "location": meeting.location,
        "chair": participants[0]["name"],
        "participants": participants,
        "phases": [
            {"phase": phase.value, "text": notes[phase.value]}
            for phase in Phase
            if notes.get(phase.value, "").strip()
        ],
        "proposals": [
            {
                "text": p.text,
                "proposed_by": p.proposed_by,
                "owner": p.owner,
                "due_on": _iso(p.due_on),
                "status": p.status,
                "decided_channel": p.decided_channel,
            }
            for p in meeting.proposals.order_by("created_at")
        ],
        "actions": [
            {"what": a.what, "owner": a.owner, "due_on": _iso(a.due_on)}
            for a in meeting.actions.order_by("created_at")
        ],
        "responsible": [
            {k: v for k, v in c.items() if k != "user"} for c in responsible_contacts(meeting)
        ],
        "follow_up": (
            {"planned": True, "starts_at": _iso(follow_up.starts_at)}
            if follow_up is not None
            else None
        ),
    }


# --- Writes --------------------------------------------------------------------------------


def _record(actor: Any, code: str, report: MeetingReport, **kwargs: Any) -> None:
    audit.record(
        actor,
        code,
        subjects=[report.meeting.child],
        obj=report,
        tenant_id=report.meeting.tenant_id,
        **kwargs,
    )


@transaction.atomic
def report_create(
    *, actor: Any, meeting: NetworkMeeting, correction_note: str = ""
) -> MeetingReport:
    """Make the next version of the minutes from what is recorded now. The first version
    needs a held meeting; each later one is a correction and says what was corrected."""
    if actor.pk != meeting.chair_id:
        raise DomainError(_("Only the meeting's chair can make the report."))
    locked = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status not in REPORTABLE:
        raise InvalidTransitionError(_("Mark the meeting held before making its report."))
    last = MeetingReport.objects.filter(meeting=locked).aggregate(n=Max("number"))["n"] or 0
    correction_note = correction_note.strip()
    if last and not correction_note:
        raise DomainError(_("Say what this version corrects."))
    report = MeetingReport.objects.create(
        meeting=locked,
        number=last + 1,
        created_by=actor,
        snapshot=build_snapshot(locked),
        correction_note=correction_note if last else "",
    )
    _record(
        actor,
        "meetings.report.created",
        report,
        basis="relationship:network_chair",
        detail={"version": report.number},
    )
    return report


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    language: str
    basis: str
    invitee: Invitee | None


def recipients(meeting: NetworkMeeting) -> tuple[list[Recipient], list[str]]:
    """Who gets the report: the guardians, and each approved invitee whose consent covers the
    report. Returns them and the names of those without an email address."""
    result: list[Recipient] = []
    missing: list[str] = []
    guardian_rows = {i.guardian_id: i for i in meeting.invitees.filter(kind=InviteeKind.GUARDIAN)}
    for guardianship in meeting.child.guardianships.select_related("guardian"):
        g = guardianship.guardian
        if not g.email:
            missing.append(str(g))
            continue
        result.append(
            Recipient(str(g), g.email, g.preferred_language, "guardian", guardian_rows.get(g.pk))
        )
    consented = Consent.objects.active().filter(
        invitee__meeting=meeting,
        invitee__approval=Approval.APPROVED,
        scope=ConsentScope.MEETING_REPORT,
    )
    for invitee in (
        meeting.invitees.exclude(kind=InviteeKind.GUARDIAN)
        .filter(pk__in=consented.values("invitee_id"))
        .order_by("created_at")
    ):
        if not invitee.email:
            missing.append(invitee.name)
            continue
        result.append(
            Recipient(
                invitee.name, invitee.email, invitee.language, "consent:meeting_report", invitee
            )
        )
    return result, missing


@dataclass
class SendResult:
    sent: list[ReportDelivery]
    already: list[str]
    missing: list[str]


@transaction.atomic
def report_send(*, actor: Any, report: MeetingReport) -> SendResult:
    """Email the report (PDF attached, in each recipient's language) to the guardians and to
    the invitees whose consent covers it. Each send is a disclosure audit event and a
    ``ReportDelivery``; a version already sent to an address is not sent there again."""
    meeting = report.meeting
    if actor.pk != meeting.chair_id:
        raise DomainError(_("Only the meeting's chair can send the report."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise InvalidTransitionError()
    to, missing = recipients(meeting)
    if not to:
        raise DomainError(_("Nobody to send the report to: no guardian or invitee has an email."))
    done = {email.lower() for email in report.deliveries.values_list("email", flat=True)}
    pdfs: dict[str, bytes] = {}
    sent, already = [], []
    for r in to:
        if r.email.lower() in done:  # the outbox's dedupe key ignores case too
            already.append(r.name)
            continue
        done.add(r.email.lower())
        if r.language not in pdfs:
            pdfs[r.language] = pdf.report_pdf(report, language=r.language)
        with translation.override(r.language):
            enqueue_email(
                to=r.email,
                subject=gettext("Minutes of the network meeting"),
                body_text=render_to_string(
                    "meetings/email/report.txt",
                    {"name": r.name, "report": report, "guardian": r.basis == "guardian"},
                ),
                attachments=[(pdf.filename(report), pdfs[r.language], "application/pdf")],
                tenant_id=meeting.tenant_id,
                kind=EMAIL_KIND,
                language=r.language,
                related_object=report,
                dedupe_key=f"meeting-report:{report.pk}:{r.email.lower()}",
            )
        sent.append(
            ReportDelivery.objects.create(
                report=report,
                invitee=r.invitee,
                name=r.name,
                email=r.email,
                language=r.language,
                sent_by=actor,
            )
        )
        _record(
            actor,
            "meetings.report.sent",
            report,
            basis=r.basis,
            is_disclosure=True,
            recipient=f"{r.name} <{r.email}>",
            detail={"version": report.number, "language": r.language},
        )
    return SendResult(sent=sent, already=already, missing=missing)
