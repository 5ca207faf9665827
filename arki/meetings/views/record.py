"""The meeting page's record of the meeting itself: the agenda's phases with their notes, who
took part and that it was held, the responsible worker, the follow-up (their part of the
page's context is ``page._record_context``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arki.core.exceptions import ConflictError, DomainError

from .. import selectors, services
from ..forms import HoldForm, PhaseNoteForm, ResponsibleForm
from ..models import Approval, MeetingStatus, Phase
from . import page

CONFLICT = gettext_lazy(
    "Someone else saved these notes while you were writing. Your text was not saved: it is "
    "kept in the box, and what they saved is shown above it. Combine the two and save again."
)


@require_POST
def phase_note(request: HttpRequest, child_id: UUID, meeting_id: UUID, phase: str) -> HttpResponse:
    """Save one phase's notes (HTMX swaps the notes in place; without JavaScript, a redirect).
    A stale save is refused and the typed text is kept."""
    access, meeting = page.load(request, child_id, meeting_id, "meetings.meeting:write")
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
            latest = selectors.phase_note(meeting, phase)
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
        full = next(r for r in page.phase_rows(meeting) if r["value"] == phase)
        full.update(row)
        context = {"child": access.child, "meeting": meeting, "row": full, "editable": True}
        # HTMX swaps only 2xx answers: the refusal is in the fragment, not the status.
        return render(request, "meetings/_phase_notes.html", context)
    if status == 200:
        messages.success(request, _("The notes were saved."))
        return redirect(page.url(meeting, f"phase-{phase}"))
    meeting.refresh_from_db()
    return render(
        request,
        "meetings/detail.html",
        page.context(request, access, meeting, phase=row),
        status=status,
    )


@require_POST
def hold(request: HttpRequest, child_id: UUID, meeting_id: UUID) -> HttpResponse:
    access, meeting = page.load(request, child_id, meeting_id, "meetings.meeting:write")
    approved = meeting.invitees.filter(approval=Approval.APPROVED)
    form = HoldForm(request.POST, invitees=approved)
    if form.is_valid():
        try:
            if meeting.status == MeetingStatus.HELD:
                services.participation_record(
                    actor=request.user, meeting=meeting, took_part=form.cleaned_data["took_part"]
                )
                messages.success(request, _("Who took part was saved."))
            else:
                services.meeting_hold(
                    actor=request.user,
                    meeting=meeting,
                    took_part=form.cleaned_data["took_part"],
                    held_at=form.cleaned_data["held_at"],
                )
                messages.success(request, _("The meeting was marked held."))
        except DomainError as exc:
            exc.add_to(form)
    if not form.errors:
        return redirect(page.url(meeting, "agenda"))
    meeting.refresh_from_db()
    return render(
        request,
        "meetings/detail.html",
        page.context(request, access, meeting, hold_form=form),
        status=400,
    )


@require_POST
def responsible(request: HttpRequest, child_id: UUID, meeting_id: UUID) -> HttpResponse:
    access, meeting = page.load(request, child_id, meeting_id, "meetings.meeting:write")
    candidates = services.responsible_candidates(meeting)
    form = ResponsibleForm(request.POST, candidates=candidates)
    if form.is_valid():
        chosen = [u for u in candidates if str(u.pk) in form.cleaned_data["workers"]]
        try:
            services.responsible_workers_name(actor=request.user, meeting=meeting, workers=chosen)
        except DomainError as exc:
            form.add_error("workers", str(exc.message))
        else:
            messages.success(request, _("The responsible worker was named."))
            return redirect(page.url(meeting, "phase-follow_up"))
    return _refused(request, access, meeting, responsible_form=form)


def _refused(request: HttpRequest, access, meeting, **forms: Any) -> HttpResponse:
    """The meeting page with the refused form bound: the choices made stay, and the error is
    under the field."""
    meeting.refresh_from_db()
    context = page.context(request, access, meeting, **forms)
    return render(request, "meetings/detail.html", context, status=400)
