from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arki.accounts.access import has_permission, require_permission
from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.people.access import get_child_for

from . import selectors, services
from .forms import AnswerForm, ConsultationForm, DirectoryEntryForm, SearchForm
from .models import ConsultationStatus


def search(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, "directory.directory:view")
    form = SearchForm(request.GET or None, tenant_id=membership.tenant_id)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.search_entries(
        tenant_id=membership.tenant_id,
        query=filters.get("q", ""),
        sector=filters.get("sector", ""),
        area_id=filters["area"].pk if filters.get("area") else None,
        unit_id=filters["unit"].pk if filters.get("unit") else None,
        include_inactive=has_permission(request.user, "directory.directory:manage"),
    )
    child_id = request.GET.get("child", "")
    context = {
        "form": form,
        "results": selectors.with_texts(entries, get_language() or "fi"),
        "child_id": _uuid_or_empty(child_id),
    }
    return render(request, "directory/search.html", context)


def _uuid_or_empty(value: str) -> str:
    try:
        return str(UUID(value))
    except ValueError:
        return ""


def entry_edit(request: HttpRequest, entry_id: UUID | None = None) -> HttpResponse:
    membership = require_permission(request, "directory.directory:manage")
    entry = None
    if entry_id is not None:
        entry = get_object_or_404(selectors.entries_of_tenant(membership.tenant_id), pk=entry_id)
    form = DirectoryEntryForm(request.POST or None, tenant=membership.tenant, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.directory_entry_save(
                actor=request.user, tenant=membership.tenant, entry=entry, **form.service_kwargs()
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The directory entry was saved."))
            return redirect("directory:search")
    return render(request, "directory/entry_form.html", {"form": form, "entry": entry})


def consult(request: HttpRequest, child_id: UUID) -> HttpResponse:
    access = get_child_for(request, child_id, "directory.consultation:send")
    if not access.is_full_case:
        raise Http404
    initial = {"entry": _uuid_or_empty(request.GET.get("entry", "")) or None}
    form = ConsultationForm(request.POST or None, initial=initial, tenant_id=access.child.tenant_id)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_send(
                actor=request.user, child=access.child, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The consultation request was sent."))
            return redirect("directory:consultation_detail", consultation_id=consultation.pk)
    audit.record_child_read(request, "directory.consultation.form_viewed", access)
    return render(request, "directory/consult_form.html", {"form": form, "child": access.child})


def inbox(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, "directory.consultation:answer")
    consultations = selectors.inbox(request.user, membership)
    return render(request, "directory/inbox.html", {"consultations": consultations})


def my_consultations(request: HttpRequest) -> HttpResponse:
    require_permission(request, "directory.consultation:send")
    consultations = selectors.sent_by(request.user)
    return render(request, "directory/my_consultations.html", {"consultations": consultations})


def _participant_consultation(request: HttpRequest, consultation_id: UUID):
    membership = getattr(request, "membership", None)
    consultation = selectors.consultation_for_participant(request.user, membership, consultation_id)
    if consultation is None:
        raise Http404
    return consultation, membership


def consultation_detail(request: HttpRequest, consultation_id: UUID) -> HttpResponse:
    consultation, membership = _participant_consultation(request, consultation_id)
    is_receiver = selectors.is_receiver(request.user, membership, consultation)
    is_sender = consultation.sender_id == request.user.pk
    audit.record(
        request.user,
        "directory.consultation.viewed",
        subjects=services._audit_subjects(consultation),
        obj=consultation,
        basis="consultation request",
        request=request,
    )
    can_answer = is_receiver and consultation.status == ConsultationStatus.SENT
    context = {
        "consultation": consultation,
        "is_sender": is_sender,
        "answer_form": AnswerForm() if can_answer else None,
    }
    return render(request, "directory/consultation_detail.html", context)


@require_POST
def consultation_answer(request: HttpRequest, consultation_id: UUID) -> HttpResponse:
    require_permission(request, "directory.consultation:answer")
    consultation, membership = _participant_consultation(request, consultation_id)
    if not selectors.is_receiver(request.user, membership, consultation):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_answer(
                actor=request.user, consultation=consultation, answer=form.cleaned_data["answer"]
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your answer was sent."))
            return redirect("directory:consultation_detail", consultation_id=consultation.pk)
    context = {"consultation": consultation, "is_sender": False, "answer_form": form}
    return render(request, "directory/consultation_detail.html", context, status=400)


@require_POST
def consultation_close(request: HttpRequest, consultation_id: UUID) -> HttpResponse:
    consultation, _membership = _participant_consultation(request, consultation_id)
    try:
        services.consultation_close(actor=request.user, consultation=consultation)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The consultation request was closed."))
    return redirect("directory:consultation_detail", consultation_id=consultation.pk)
