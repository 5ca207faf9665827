"""The meeting page's record of the meeting itself: the agenda's phases with their notes, who
took part and that it was held, the responsible worker, the follow-up. ``page_context`` adds
these to the meeting page (``views._context``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arki.core.exceptions import ConflictError, DomainError

from . import reports, services
from .forms import HoldForm, PhaseNoteForm, ReportForm, ResponsibleForm
from .models import (
    OPEN_STATUSES,
    Approval,
    Invitee,
    MeetingStatus,
    NetworkMeeting,
    Phase,
    PhaseNote,
)

CONFLICT = gettext_lazy(
    "Someone else saved these notes while you were writing. Your text was not saved: it is "
    "kept in the box, and what they saved is shown above it. Combine the two and save again."
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


def page_context(
    meeting: NetworkMeeting, *, invitees: list[Invitee], is_chair: bool, **bound: Any
) -> dict[str, Any]:
    """The record's part of the meeting page. ``invitees`` are the meeting's invitees the page
    has already read; the forms and the report's recipients only the chair sees are made for
    the chair only."""
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
    return {
        "is_chair": is_chair,
        "phases": phase_rows(meeting, bound=bound.get("phase")),
        "editable": meeting.status in OPEN_STATUSES,
        "may_hold": meeting.status in (MeetingStatus.PLANNING, MeetingStatus.SCHEDULED),
        "hold_form": HoldForm(
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


def _load_for_write(request: HttpRequest, child_id: UUID, meeting_id: UUID):
    from .views import _load

    return _load(request, child_id, meeting_id, "meetings.meeting:write")


def _url(meeting: NetworkMeeting, anchor: str = "") -> str:
    url = reverse("meetings:detail", args=[meeting.child_id, meeting.pk])
    return f"{url}#{anchor}" if anchor else url


@require_POST
def phase_note(request: HttpRequest, child_id: UUID, meeting_id: UUID, phase: str) -> HttpResponse:
    """Save one phase's notes (HTMX swaps the notes in place; without JavaScript, a redirect).
    A stale save is refused and the typed text is kept."""
    access, meeting = _load_for_write(request, child_id, meeting_id)
    if phase not in Phase.values:
        raise Http404
    form = PhaseNoteForm(request.POST, prefix=phase)
    row: dict[str, Any] = {"value": phase, "form": form}
    status = 200
    if form.is_valid():
        try:
            note = services.phase_note_save(
                actor=request.user,
                meeting=meeting,
                phase=phase,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError:
            latest = PhaseNote.objects.filter(meeting=meeting, phase=phase).first()
            data = request.POST.copy()
            # The editor has now seen the other text: their next save may replace it.
            data[f"{phase}-version"] = str(latest.version if latest else 0)
            row.update(
                form=PhaseNoteForm(data, prefix=phase),
                note=latest,
                error=str(CONFLICT),
                conflict=True,
            )
            status = 409
        except DomainError as exc:
            row["error"] = str(exc.message)
            status = 400
        else:
            row.update(
                note=note,
                saved=True,
                form=PhaseNoteForm(
                    prefix=phase, initial={"version": note.version, "text": note.text}
                ),
            )
    else:
        row["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
        status = 400
    if request.htmx:  # type: ignore[attr-defined]
        full = next(r for r in phase_rows(meeting) if r["value"] == phase)
        full.update(row)
        context = {"child": access.child, "meeting": meeting, "row": full, "editable": True}
        # HTMX swaps only 2xx answers: the refusal is in the fragment, not the status.
        return render(request, "meetings/_phase_notes.html", context)
    if status == 200:
        messages.success(request, _("The notes were saved."))
        return redirect(_url(meeting, f"phase-{phase}"))
    from .views import _context

    meeting.refresh_from_db()
    return render(
        request,
        "meetings/detail.html",
        _context(request, access, meeting, phase=row),
        status=status,
    )


@require_POST
def hold(request: HttpRequest, child_id: UUID, meeting_id: UUID) -> HttpResponse:
    access, meeting = _load_for_write(request, child_id, meeting_id)
    approved = meeting.invitees.filter(approval=Approval.APPROVED)
    form = HoldForm(request.POST, invitees=approved)
    if not form.is_valid():
        messages.error(request, _("Choose who took part."))
        return redirect(_url(meeting, "agenda"))
    try:
        if meeting.status == MeetingStatus.HELD:
            services.participation_record(
                actor=request.user, meeting=meeting, took_part=form.cleaned_data["took_part"]
            )
            messages.success(request, _("Who took part was saved."))
        else:
            services.meeting_hold(
                actor=request.user, meeting=meeting, took_part=form.cleaned_data["took_part"]
            )
            messages.success(request, _("The meeting was marked held."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(_url(meeting, "agenda"))


@require_POST
def responsible(request: HttpRequest, child_id: UUID, meeting_id: UUID) -> HttpResponse:
    access, meeting = _load_for_write(request, child_id, meeting_id)
    candidates = services.responsible_candidates(meeting)
    form = ResponsibleForm(request.POST, candidates=candidates)
    if not form.is_valid():
        messages.error(request, _("Name one responsible worker, or a pair."))
        return redirect(_url(meeting, "phase-follow_up"))
    chosen = [u for u in candidates if str(u.pk) in form.cleaned_data["workers"]]
    try:
        services.responsible_workers_name(actor=request.user, meeting=meeting, workers=chosen)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The responsible worker was named."))
    return redirect(_url(meeting, "phase-follow_up"))
