"""The network meeting's page, shared by its views (``meeting``, ``record``, ``report``):
the meeting loaded through the access check, the page's context and the page's address."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arki.people.access import ChildAccess, get_child_for
from arki.people.models import Child

from .. import invitations, reports, selectors, services
from ..forms import (
    CancelForm,
    HoldForm,
    InviteeForm,
    PaperConsentForm,
    PhaseNoteForm,
    ProposalForm,
    ReportForm,
    ResponsibleForm,
    ScheduleForm,
)
from ..models import OPEN_STATUSES, Approval, Invitee, MeetingStatus, NetworkMeeting, Phase


def load(
    request: HttpRequest, child_id: UUID, meeting_id: UUID, perm: str
) -> tuple[ChildAccess, NetworkMeeting]:
    """The child's access and the meeting, for casework only (404 for anyone else)."""
    access = get_child_for(request, child_id, perm)
    if not access.is_full_case:
        raise Http404
    meeting = selectors.meeting_for_child(access.child, meeting_id)
    if meeting is None:
        raise Http404
    return access, meeting


def url(meeting: NetworkMeeting, anchor: str = "") -> str:
    """The meeting page's address, at ``anchor`` when given."""
    address = reverse("meetings:detail", args=[meeting.child_id, meeting.pk])
    return f"{address}#{anchor}" if anchor else address


def context(
    request: HttpRequest, access: ChildAccess, meeting: NetworkMeeting, **extra: Any
) -> dict[str, Any]:
    """The meeting page's context; ``extra`` replaces a part (a refused form) or adds one."""
    invitees = list(meeting.invitees.prefetch_related("consents"))
    for invitee in invitees:
        # The consents column lists the active ones.
        invitee.active_consents = [  # type: ignore[attr-defined]
            c for c in invitee.consents.all() if c.withdrawn_at is None
        ]
    return {
        "child": access.child,
        "meeting": meeting,
        "invitees": invitees,
        "proposals": list(
            meeting.proposals.select_related("method").prefetch_related("method__texts")
        ),
        "actions": list(meeting.actions.select_related("method").prefetch_related("method__texts")),
        "invitee_form": extra.pop("invitee_form", None)
        or InviteeForm(network=access.child.network.all()),
        "proposal_form": extra.pop("proposal_form", None)
        or ProposalForm(tenant_id=meeting.tenant_id),
        "consent_scopes": PaperConsentForm.base_fields["scope"].choices,  # type: ignore[attr-defined]
        "consent_givers": _consent_givers(access.child),
        "invitation_rows": invitations.page_rows(invitees),
        "schedule_form": extra.pop("schedule_form", None) or _schedule_form(meeting),
        "cancel_form": CancelForm(),
        "may_uninvite": services.may_uninvite(meeting),
        **_record_context(
            meeting, invitees=invitees, is_chair=request.user.pk == meeting.chair_id, **extra
        ),
        **extra,
    }


def _consent_givers(child: Child) -> list[tuple[str, str]]:
    """Who can give a consent recorded on paper: each guardian, and the child from the age."""
    givers = [(str(g.pk), str(g)) for g in child.guardians.all()]
    if services.child_may_consent(child):
        givers.append(("child", _("%(name)s (the child)") % {"name": child.first_name}))
    return givers


def _schedule_form(meeting: NetworkMeeting) -> ScheduleForm:
    local = {
        key: timezone.localtime(value)
        for key, value in (("starts_at", meeting.starts_at), ("ends_at", meeting.ends_at))
        if value is not None
    }
    return ScheduleForm(
        initial={**local, "location": meeting.location, "video_link": meeting.video_link}
    )


def phase_rows(
    meeting: NetworkMeeting, *, bound: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The seven phases in order, each with its notes and a form carrying the loaded version.
    ``bound`` replaces one phase's row parts (a refused or saved form)."""
    notes = {n.phase: n for n in meeting.phase_notes.all()}
    rows = []
    for number, phase in enumerate(Phase, start=1):
        note = notes.get(phase.value)
        row: dict[str, Any] = {
            "number": number,
            "value": phase.value,
            "label": phase.label,
            "note": note,
            "form": PhaseNoteForm(
                prefix=phase.value,
                initial={"version": note.version if note else 0, "text": note.text if note else ""},
            ),
        }
        if bound and bound.get("value") == phase.value:
            row.update(bound)
        rows.append(row)
    return rows


def _record_context(
    meeting: NetworkMeeting, *, invitees: list[Invitee], is_chair: bool, **bound: Any
) -> dict[str, Any]:
    """The record of the meeting: the agenda's phases with their notes, who took part, the
    responsible worker, the follow-up and the report's versions. ``invitees`` are the ones the
    page has already read; the forms and the report's recipients only the chair sees are made
    for the chair only."""
    approved = [i for i in invitees if i.approval == Approval.APPROVED]
    responsible = reports.responsible_contacts(meeting)
    report_versions = reports.reports_for_meeting(meeting)
    if is_chair:
        candidates = services.responsible_candidates(meeting, invitees=invitees)
        responsible_form = ResponsibleForm(
            candidates=candidates, initial={"workers": [c["user"] for c in responsible]}
        )
    else:
        responsible_form = None
    # Shown with the send form: to the chair, once there is a version to send.
    recipients, missing = reports.recipients(meeting) if is_chair and report_versions else ([], [])
    may_hold = meeting.status in (MeetingStatus.PLANNING, MeetingStatus.SCHEDULED)
    return {
        "is_chair": is_chair,
        "phases": phase_rows(meeting, bound=bound.get("phase")),
        "editable": meeting.status in OPEN_STATUSES,
        "may_hold": may_hold,
        "hold_not_yet": may_hold and meeting.starts_at and meeting.starts_at > timezone.now(),
        "hold_form": bound.get("hold_form")
        or HoldForm(
            invitees=approved,
            initial={"took_part": [str(i.pk) for i in approved if i.took_part is not False]},
        ),
        "responsible": responsible,
        "responsible_form": responsible_form,
        "follow_ups": list(meeting.follow_ups.order_by("created_at")),
        "reports": report_versions,
        "report_form": bound.get("report_form") or ReportForm(),
        "report_recipients": recipients,
        "report_missing": missing,
        "reportable": meeting.status in reports.REPORTABLE,
    }
