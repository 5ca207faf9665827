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


def registry(request: HttpRequest, *, settings_form: SettingsForm | None = None) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    today = timezone.localdate()
    states = selectors.refresher_states(membership.tenant_id, today)
    context = {
        "courses": selectors.courses(membership.tenant_id),
        "events": selectors.events(membership.tenant_id).filter(ends_on__gte=today),
        "past_events": selectors.events(membership.tenant_id).filter(ends_on__lt=today),
        "due": [s for s in states if s.status in ("due", "due_soon")],
        "interval": selectors.refresher_interval(membership.tenant_id),
        "settings_form": settings_form
        or SettingsForm(
            initial={
                "refresher_interval_months": selectors.refresher_interval(membership.tenant_id)
            }
        ),
    }
    status = 400 if settings_form is not None else 200
    return render(request, "training/registry.html", context, status=status)


@require_POST
def settings_edit(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    form = SettingsForm(request.POST)
    if form.is_valid():
        services.settings_update(actor=request.user, tenant=membership.tenant, **form.cleaned_data)
        messages.success(request, _("The settings were saved."))
        return redirect("training:registry")
    return registry(request, settings_form=form)


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
        return redirect("training:course", course_id=course.pk)
    return course_detail(request, course.pk, course_form=form)


def course_detail(
    request: HttpRequest, course_id: UUID, *, course_form: CourseForm | None = None
) -> HttpResponse:
    membership = require_permission(request, REGISTRY)
    course = get_object_or_404(Course, pk=course_id, tenant_id=membership.tenant_id)
    modules = list(course.modules.all())
    forms = [(m, ModuleForm.for_module(m)) for m in modules]
    new_form = ModuleForm(prefix="new", initial={"order": len(modules), "is_active": True})
    if request.method == "POST" and course_form is None:
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
    refused = course_form is not None or any(f.errors for f in [new_form, *dict(forms).values()])
    course_form = course_form or CourseForm(
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
        status=400 if refused else 200,
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


def event_detail(
    request: HttpRequest, event_id: UUID, *, refused: dict[str, Any] | None = None
) -> HttpResponse:
    """The training's page; ``refused`` holds a refused form (bound, with its errors) that
    replaces the blank one, so what was chosen or typed stays."""
    event = _event_for(request, event_id)
    context = {**_event_context(request, event), **(refused or {})}
    return render(request, "training/event.html", context, status=400 if refused else 200)


def _event_context(request: HttpRequest, event: TrainingEvent) -> dict[str, Any]:
    """The event page's context, with blank forms."""
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
        # A module's completion is offered on the training's own date (today once it is over).
        "completion_day": event.completion_day(timezone.localdate()),
    }
    return context


@require_POST
def enrol_other(request: HttpRequest, event_id: UUID) -> HttpResponse:
    require_permission(request, ENROL_OTHERS)
    event = _event_for(request, event_id)
    form = EnrolOtherForm(request.POST, staff=_staff_i_manage(request))
    if form.is_valid():
        try:
            enrolment = services.enrol(
                actor=request.user, event=event, user=form.cleaned_data["user"]
            )
        except DomainError as error:
            form.add_error("user", str(error.message))
        else:
            messages.success(
                request, _("Enrolled: %(status)s.") % {"status": enrolment.get_status_display()}
            )
            return redirect("training:event", event_id=event.pk)
    return event_detail(request, event.pk, refused={"enrol_form": form})


@require_POST
def capacity_edit(request: HttpRequest, event_id: UUID) -> HttpResponse:
    require_permission(request, REGISTRY)
    event = _event_for(request, event_id)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            promoted = services.event_capacity_change(
                actor=request.user, event=event, capacity=form.cleaned_data["capacity"]
            )
        except DomainError as error:
            form.add_error("capacity", str(error.message))
        else:
            messages.success(
                request,
                _("Saved; %(count)s moved from the waiting list.") % {"count": len(promoted)},
            )
            return redirect("training:event", event_id=event.pk)
    return event_detail(request, event.pk, refused={"capacity_form": form})


@require_POST
def attendance(request: HttpRequest, event_id: UUID) -> HttpResponse:
    event = _event_for(request, event_id)
    if not (selectors.is_trainer_of(event, request.user) or has_permission(request.user, REGISTRY)):
        raise PermissionDenied
    form = AttendanceForm(request.POST)
    if form.is_valid():
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
            form.add_error("completed_on", str(error.message))
        else:
            messages.success(request, _("The module was marked completed."))
            return redirect("training:event", event_id=event.pk)
    # The refused date stays in its own cell, as typed, with the error under it.
    return event_detail(request, event.pk, refused={"attendance_form": form})


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
