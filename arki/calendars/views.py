from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arki.accounts.access import require_permission
from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.meetings.models import SCHEDULABLE
from arki.meetings.selectors import meeting_for_child
from arki.people.access import get_child_for

from . import selectors, services
from .forms import BusyForm, FindTimesForm, ImportForm, SlotForm

PUBLISH = "calendars.slot:publish"
PROPOSALS = 6


def _refused(form: Form, error: DomainError) -> None:
    """Show a service's refusal on the form that was sent, with what was typed: each message
    next to the field it names (the services' arguments and the forms' fields share their
    names), otherwise above the fields."""
    problems = getattr(error, "problems", [(None, error.message)])
    for field, message in problems:
        form.add_error(field if field in form.fields else None, str(message))


# --- My calendar: every staff user's own busy times ---


def _calendar_page(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    page = Paginator(selectors.busy_times_of(request.user), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "busy_form": forms.get("busy_form") or BusyForm(),
        "import_form": forms.get("import_form") or ImportForm(),
    }
    return render(request, "calendars/my_calendar.html", context, status=status)


def my_calendar(request: HttpRequest) -> HttpResponse:
    return _calendar_page(request)


@require_POST
def busy_add(request: HttpRequest) -> HttpResponse:
    form = BusyForm(request.POST)
    if form.is_valid():
        try:
            services.busy_add(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The busy time was added."))
            return redirect("calendars:my_calendar")
    return _calendar_page(request, status=400, busy_form=form)


@require_POST
def busy_delete(request: HttpRequest, busy_id: UUID) -> HttpResponse:
    busy = selectors.busy_time_of(request.user, busy_id)
    if busy is None:
        raise Http404
    services.busy_delete(actor=request.user, busy=busy)
    if getattr(request, "htmx", False):
        return HttpResponse("")  # the row is swapped out
    messages.success(request, _("The busy time was removed."))
    return redirect("calendars:my_calendar")


@require_POST
def busy_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.busy_import(actor=request.user, content=form.calendar_content())
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The calendar was imported: %(busy)s busy times in the next six months "
                    "from %(events)s events."
                )
                % {"busy": result.busy_times, "events": result.events},
            )
            return redirect("calendars:my_calendar")
    return _calendar_page(request, status=400, import_form=form)


@require_POST
def busy_clear(request: HttpRequest) -> HttpResponse:
    removed = services.busy_clear_imported(actor=request.user)
    messages.success(request, _("%(count)s imported busy times were removed.") % {"count": removed})
    return redirect("calendars:my_calendar")


# --- Common slots: unit managers and LT coordinators ---


def slots(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, PUBLISH)
    targets = selectors.slot_targets(membership)
    form = SlotForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = form.targets[data.pop("target")]
        try:
            services.slot_publish(actor=request.user, unit=target.unit, area=target.area, **data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The common time was published."))
            return redirect("calendars:slots")
    context = {
        "form": form,
        "targets": targets,
        "slots": list(selectors.slots_managed_by(membership)),
    }
    return render(request, "calendars/slots.html", context, status=400 if form.errors else 200)


@require_POST
def slot_remove(request: HttpRequest, slot_id: UUID) -> HttpResponse:
    membership = require_permission(request, PUBLISH)
    slot = selectors.slots_managed_by(membership).filter(pk=slot_id).first()
    if slot is None:
        raise Http404
    services.slot_remove(actor=request.user, slot=slot)
    messages.success(request, _("The common time was removed."))
    return redirect("calendars:slots")


# --- Finding a time for a network meeting ---


def meeting_times(request: HttpRequest, child_id: UUID, meeting_id: UUID) -> HttpResponse:
    access = get_child_for(request, child_id, "meetings.meeting:write")
    if not access.is_full_case:
        raise Http404
    meeting = meeting_for_child(access.child, meeting_id)
    if meeting is None:
        raise Http404
    form = FindTimesForm(request.GET or None)
    values = form.values()
    invitees = selectors.required_invitees(meeting)
    open_for_scheduling = meeting.status in SCHEDULABLE
    proposals = []
    if values is not None and open_for_scheduling:
        earliest = timezone.now()
        if values.get("earliest"):
            day = datetime.combine(values["earliest"], time(0), tzinfo=selectors.local_zone())
            earliest = max(earliest, day)
        proposals = selectors.find_times(
            users=invitees,
            duration=timedelta(minutes=values["duration"]),
            earliest=earliest,
            buffer_before=timedelta(minutes=values["buffer_before"]),
            buffer_after=timedelta(minutes=values["buffer_after"]),
            limit=PROPOSALS,
            ignore_meeting=meeting,
        )
    audit.record(
        request.user,
        "calendars.meeting_times.viewed",
        subjects=[access.child],
        obj=meeting,
        basis=access.basis,
        request=request,
    )
    context = {
        "child": access.child,
        "meeting": meeting,
        "form": form,
        "invitees": invitees,
        "proposals": proposals,
        "open_for_scheduling": open_for_scheduling,
        "searched": values is not None,
    }
    return render(request, "calendars/meeting_times.html", context)
