from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arki.accounts.access import has_permission, require_permission
from arki.core import tables
from arki.core.exceptions import DomainError

from . import imports, selectors, services
from .forms import (
    AttendanceForm,
    CapacityForm,
    CourseForm,
    EnrolOtherForm,
    EventForm,
    ImportForm,
    ModuleForm,
    SettingsForm,
)
from .models import Course, EnrolmentStatus, TrainingEvent

REGISTRY = "training.registry:manage"
ENROL_OTHERS = "training.enrolment:manage"


def _tenant_id(request: HttpRequest):
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership.tenant_id


def _event_for(request: HttpRequest, event_id: UUID) -> TrainingEvent:
    """An event of the caller's tenant; 404 for other tenants' events."""
    return get_object_or_404(selectors.events(_tenant_id(request)), pk=event_id)


def my_training(request: HttpRequest) -> HttpResponse:
    require_permission(request, "training.enrolment:self")
    tenant_id = _tenant_id(request)
    today = timezone.localdate()
    enrolments = list(selectors.my_enrolments(request.user))
    mine = {e.event_id for e in enrolments}
    context = {
        "state": selectors.refresher_state(request.user, tenant_id, today),
        "enrolments": enrolments,
        "events": [e for e in selectors.open_events(tenant_id, today) if e.pk not in mine],
        "is_trainer": request.user.has_qualification("trainer"),  # type: ignore[union-attr]
        "can_enrol_others": has_permission(request.user, ENROL_OTHERS),
    }
    return render(request, "training/my_training.html", context)


@require_POST
def enrol_self(request: HttpRequest, event_id: UUID) -> HttpResponse:
    require_permission(request, "training.enrolment:self")
    event = _event_for(request, event_id)
    try:
        enrolment = services.enrol(
            actor=request.user,
            event=event,
            user=request.user,  # type: ignore[arg-type]
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if enrolment.status == EnrolmentStatus.WAITING:
            messages.warning(request, _("The training is full: you are on the waiting list."))
        else:
            messages.success(request, _("You are enrolled in the training."))
    return redirect("training:my_training")


@require_POST
def enrolment_cancel(request: HttpRequest, enrolment_id: UUID) -> HttpResponse:
    enrolment = get_object_or_404(
        selectors.enrolments_in_tenant(_tenant_id(request)), pk=enrolment_id
    )
    own = enrolment.user_id == request.user.pk
    if not own and enrolment.user not in _staff_i_manage(request):
        raise PermissionDenied
    try:
        services.enrolment_cancel(actor=request.user, enrolment=enrolment)
        messages.success(request, _("The enrolment was cancelled."))
    except DomainError as error:
        messages.error(request, str(error.message))
    if own:
        return redirect("training:my_training")
    return redirect("training:event", event_id=enrolment.event_id)


def _staff_i_manage(request: HttpRequest):
    if not has_permission(request.user, ENROL_OTHERS):
        return selectors.staff_of_tenant(None).none()
    return selectors.staff_managed_by(request.membership)  # type: ignore[attr-defined]


def trainees(request: HttpRequest) -> HttpResponse:
    """The trainer's trainees, with the modules each has completed."""
    tenant_id = _tenant_id(request)
    rows = list(selectors.trainees_of(request.user).filter(event__tenant_id=tenant_id))
    grants = list(selectors.grants_trained_by(request.user, tenant_id))
    return render(request, "training/trainees.html", {"rows": rows, "grants": grants})


def registry(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    today = timezone.localdate()
    states = selectors.refresher_states(membership.tenant_id, today)
    context = {
        "courses": selectors.courses(membership.tenant_id),
        "events": selectors.events(membership.tenant_id).filter(ends_on__gte=today),
        "past_events": selectors.events(membership.tenant_id).filter(ends_on__lt=today),
        "due": [s for s in states if s.status in ("due", "due_soon")],
        "interval": selectors.refresher_interval(membership.tenant_id),
        "settings_form": SettingsForm(
            initial={
                "refresher_interval_months": selectors.refresher_interval(membership.tenant_id)
            }
        ),
    }
    return render(request, "training/registry.html", context)


@require_POST
def settings_edit(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    form = SettingsForm(request.POST)
    if form.is_valid():
        services.settings_update(actor=request.user, tenant=membership.tenant, **form.cleaned_data)
        messages.success(request, _("The settings were saved."))
    else:
        messages.error(request, _("Give the interval as a number of months (1–120)."))
    return redirect("training:registry")


def course_create(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    form = CourseForm(request.POST or None, tenant_id=membership.tenant_id)
    if request.method == "POST" and form.is_valid():
        course = services.course_save(
            actor=request.user, tenant=membership.tenant, **form.cleaned_data
        )
        messages.success(request, _("The course was added."))
        return redirect("training:course", course_id=course.pk)
    return render(request, "training/course_form.html", {"form": form})


@require_POST
def course_edit(request: HttpRequest, course_id: UUID) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    course = get_object_or_404(Course, pk=course_id, tenant_id=membership.tenant_id)
    form = CourseForm(request.POST, tenant_id=membership.tenant_id)
    if form.is_valid():
        services.course_save(
            actor=request.user, tenant=membership.tenant, course=course, **form.cleaned_data
        )
        messages.success(request, _("The course was saved."))
    else:
        messages.error(request, _("Give the course a name."))
    return redirect("training:course", course_id=course.pk)


def course_detail(request: HttpRequest, course_id: UUID) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    course = get_object_or_404(Course, pk=course_id, tenant_id=membership.tenant_id)
    modules = list(course.modules.all())
    forms = [(m, ModuleForm.for_module(m)) for m in modules]
    new_form = ModuleForm(prefix="new", initial={"order": len(modules), "is_active": True})
    if request.method == "POST":
        target = next((m for m in modules if f"save-{m.pk}" in request.POST), None)
        form = (
            ModuleForm.for_module(target, request.POST)
            if target
            else ModuleForm(request.POST, prefix="new")
        )
        if form.is_valid():
            services.module_save(
                actor=request.user, course=course, module=target, **form.cleaned_data
            )
            messages.success(request, _("The module was saved."))
            return redirect("training:course", course_id=course.pk)
        if target:
            forms = [(m, form if m == target else f) for m, f in forms]
        else:
            new_form = form
    course_form = CourseForm(
        tenant_id=membership.tenant_id,
        initial={
            "name": course.name,
            "method": course.method_id,
            "description": course.description,
        },
    )
    return render(
        request,
        "training/course.html",
        {"course": course, "forms": forms, "new_form": new_form, "course_form": course_form},
    )


def event_create(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    form = EventForm(
        request.POST or None,
        courses=selectors.active_courses(membership.tenant_id),
        trainers=selectors.trainers_of_tenant(membership.tenant_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The training was added."))
            return redirect("training:event", event_id=event.pk)
    return render(request, "training/event_form.html", {"form": form})


def event_detail(request: HttpRequest, event_id: UUID) -> HttpResponse:
    event = _event_for(request, event_id)
    return render(request, "training/event.html", _event_context(request, event))


def _event_context(
    request: HttpRequest, event: TrainingEvent, refused: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The event page's context; ``refused``: a refused completion (its cell and the message
    shown under its date)."""
    is_trainer = selectors.is_trainer_of(event, request.user)
    manages_registry = has_permission(request.user, REGISTRY)
    if not (is_trainer or manages_registry or has_permission(request.user, ENROL_OTHERS)):
        raise PermissionDenied
    enrolments = event.enrolments.current().select_related("user").prefetch_related("attendance")
    if not (is_trainer or manages_registry):  # a unit manager sees their own staff only
        enrolments = enrolments.filter(user__in=_staff_i_manage(request))
    modules = list(event.course.modules.filter(is_active=True))
    rows = []
    for enrolment in enrolments:
        done = {a.module_id: a for a in enrolment.attendance.all()}
        cells = [(m, done.get(m.pk), f"{enrolment.pk}-{m.pk}") for m in modules]
        rows.append({"enrolment": enrolment, "cells": cells})
    context = {
        "event": event,
        "rows": rows,
        "modules": modules,
        "is_trainer": is_trainer,
        "can_record": is_trainer or manages_registry,
        "manages_registry": manages_registry,
        "can_enrol": has_permission(request.user, ENROL_OTHERS),
        "places_left": selectors.places_left(event),
        "enrol_form": EnrolOtherForm(staff=_staff_i_manage(request)),
        "capacity_form": CapacityForm(initial={"capacity": event.capacity}),
        "completion_day": event.completion_day(timezone.localdate()),
        "refused": refused or {},
    }
    return context


@require_POST
def enrol_other(request: HttpRequest, event_id: UUID) -> HttpResponse:
    require_permission(request, ENROL_OTHERS)
    event = _event_for(request, event_id)
    form = EnrolOtherForm(request.POST, staff=_staff_i_manage(request))
    if not form.is_valid():
        messages.error(request, _("Choose a staff member you may enrol."))
        return redirect("training:event", event_id=event.pk)
    try:
        enrolment = services.enrol(actor=request.user, event=event, user=form.cleaned_data["user"])
        messages.success(
            request, _("Enrolled: %(status)s.") % {"status": enrolment.get_status_display()}
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("training:event", event_id=event.pk)


@require_POST
def capacity_edit(request: HttpRequest, event_id: UUID) -> HttpResponse:
    require_permission(request, REGISTRY)
    event = _event_for(request, event_id)
    form = CapacityForm(request.POST)
    try:
        if not form.is_valid():
            raise services.TrainingError(_("Give the number of places (1–500)."))
        promoted = services.event_capacity_change(
            actor=request.user, event=event, capacity=form.cleaned_data["capacity"]
        )
        messages.success(
            request, _("Saved; %(count)s moved from the waiting list.") % {"count": len(promoted)}
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("training:event", event_id=event.pk)


@require_POST
def attendance(request: HttpRequest, event_id: UUID) -> HttpResponse:
    event = _event_for(request, event_id)
    if not (selectors.is_trainer_of(event, request.user) or has_permission(request.user, REGISTRY)):
        raise PermissionDenied
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the completion date."))
        return redirect("training:event", event_id=event.pk)
    enrolment = event.enrolments.filter(pk=form.cleaned_data["enrolment"]).first()
    module = event.course.modules.filter(pk=form.cleaned_data["module"]).first()
    if enrolment is None or module is None:
        raise Http404
    try:
        services.attendance_record(
            actor=request.user,
            enrolment=enrolment,
            module=module,
            completed_on=form.cleaned_data["completed_on"],
        )
    except DomainError as error:
        if error.field != "completed_on":
            messages.error(request, str(error.message))
            return redirect("training:event", event_id=event.pk)
        # Shown under the date in its own cell, with the date as typed.
        refused = {
            "cell": f"{enrolment.pk}-{module.pk}",
            "error": str(error.message),
            "value": form.cleaned_data["completed_on"],
        }
        context = _event_context(request, event, refused)
        return render(request, "training/event.html", context, status=400)
    messages.success(request, _("The module was marked completed."))
    return redirect("training:event", event_id=event.pk)


def import_upload(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[imports.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = imports.import_file(
                actor=request.user,
                tenant=membership.tenant,
                content=upload.read(tables.MAX_BYTES + 1),
                filename=upload.name,
            )
        except imports.ImportFailed as failure:
            errors = failure.errors
            messages.error(request, str(failure.message))
        else:
            messages.success(
                request, _("%(count)s qualifications were imported.") % {"count": count}
            )
            return redirect("training:registry")
    return render(request, "training/import.html", {"form": form, "errors": errors})
