"""The catalogue's pages: public ones (published versions only, no login) and the editors'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arki.accounts.access import has_permission, require_permission
from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.core.middleware import public
from arki.organisations.models import Tenant

from . import rules, selectors, services, transfer
from .forms import (
    AppraisalForm,
    ApprovalForm,
    ImportForm,
    InclusionForm,
    MethodForm,
    MethodTextForm,
    PublicSearchForm,
    PublishForm,
    RatingForm,
    ReferenceForm,
    ResolutionForm,
    StatusFilterForm,
)
from .models import LANGUAGE_CODES, EvaluationStatus, Method

# Public ----------------------------------------------------------------------------------


def _tenant(slug: str) -> Tenant:
    tenant = selectors.public_tenant(slug)
    if tenant is None:
        raise Http404
    return tenant


@public
def public_index(request: HttpRequest) -> HttpResponse:
    tenants = list(selectors.public_tenants())
    if len(tenants) == 1:
        return redirect("methods:public_list", tenants[0].slug)
    return render(request, "methods/public_index.html", {"tenants": tenants})


@public
def public_list(request: HttpRequest, region: str) -> HttpResponse:
    tenant = _tenant(region)
    form = PublicSearchForm(request.GET or None, tags=selectors.public_tags(tenant))
    filters = selectors.PublicFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.PublicFilters(**form.cleaned_data)
    versions = selectors.public_versions(tenant, filters)
    context = {"form": form, "versions": versions, "tenant": tenant}
    return render(request, "methods/public_list.html", context)


@public
def public_list_json(request: HttpRequest, region: str) -> JsonResponse:
    tenant = _tenant(region)
    versions = selectors.public_versions(tenant, selectors.PublicFilters())
    return JsonResponse(
        {
            "methods": [
                {
                    "slug": version.method.slug,
                    "version": version.number,
                    "published_at": version.published_at.isoformat(),
                    "url": request.build_absolute_uri(
                        reverse(
                            "methods:public_version",
                            args=[tenant.slug, version.method.slug, version.number],
                        )
                    ),
                    **version.snapshot,
                }
                for version in versions
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


@public
def public_detail(
    request: HttpRequest, region: str, slug: str, number: int | None = None
) -> HttpResponse:
    tenant = _tenant(region)
    version = selectors.public_version(tenant, slug, number)
    if version is None:
        raise Http404
    previous = version.method.versions.filter(number=version.number - 1).first()
    changed = rules.changed_fields(previous.snapshot, version.snapshot) if previous else []
    context: dict[str, Any] = {
        "tenant": tenant,
        "version": version,
        "method": version.snapshot,
        "previous": previous,
        "changed": changed,
        "is_latest": version.number == version.method.published_version,
    }
    return render(request, "methods/public_detail.html", context)


@public
def public_version_json(request: HttpRequest, region: str, slug: str, number: int) -> JsonResponse:
    version = selectors.public_version(_tenant(region), slug, number)
    if version is None:
        raise Http404
    return JsonResponse(
        {
            "slug": slug,
            "version": version.number,
            "published_at": version.published_at.isoformat(),
            "change_note": version.change_note,
            **version.snapshot,
        },
        json_dumps_params={"ensure_ascii": False},
    )


# Staff -----------------------------------------------------------------------------------


def _method(
    request: HttpRequest, slug: str, perm: str = "methods.catalogue:view"
) -> tuple[Any, Method]:
    membership = require_permission(request, perm)
    method = selectors.method_for_editor(membership.tenant_id, slug)
    if method is None:
        raise Http404
    return membership, method


def staff_list(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, "methods.catalogue:view")
    form = StatusFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    context = {
        "form": form,
        "methods": selectors.methods_for_editor(
            membership.tenant_id, filters.get("status", ""), filters.get("q", "")
        ),
        "ratings_due": selectors.ratings_due(membership.tenant_id),
        "can_edit": has_permission(request.user, "methods.catalogue:edit"),
    }
    return render(request, "methods/staff_list.html", context)


def staff_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _membership, method = _method(request, slug)
    return render(request, "methods/staff_detail.html", _detail_context(request, method))


def _detail_context(request: HttpRequest, method: Method, **forms: Any) -> dict[str, Any]:
    can_edit = has_permission(request.user, "methods.catalogue:edit")
    evaluation = method.evaluations.first()
    return {
        "method": method,
        "text": method.text_for(),
        "can_edit": can_edit,
        "can_review": has_permission(request.user, "methods.evaluation:review"),
        "trained": selectors.trained_by_area(method),
        "usage": selectors.usage_in_plans(method),
        "initiatives": selectors.initiatives_choosing(method),
        "gaps": selectors.translation_gaps(method),
        "problems": rules.publishing_problems(method),
        "evaluation": evaluation,
        "inclusion_form": forms.get("inclusion_form") or InclusionForm(method=method),
        "reference_form": forms.get("reference_form") or ReferenceForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "versions": method.versions.all(),
        "today": timezone.localdate(),
    }


def method_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    membership = require_permission(request, "methods.catalogue:edit")
    method = selectors.method_for_editor(membership.tenant_id, slug) if slug else None
    if slug and method is None:
        raise Http404
    texts = {text.language: text for text in method.texts.all()} if method else {}
    form = MethodForm(request.POST or None, tenant_id=membership.tenant_id, method=method)
    text_forms = [
        (
            code,
            MethodTextForm(
                request.POST or None,
                prefix=f"text-{code}",
                initial={name: getattr(texts[code], name) for name in services.TEXT_FIELDS}
                if code in texts
                else None,
            ),
        )
        for code in LANGUAGE_CODES
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for _c, f in text_forms):
        try:
            saved = services.method_save(
                actor=request.user,
                tenant=membership.tenant,
                method=method,
                slug=form.cleaned_data.get("slug") or "",
                **form.service_kwargs(),
            )
            services.method_texts_save(
                actor=request.user,
                method=saved,
                texts={code: text_form.cleaned_data for code, text_form in text_forms},
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The method was saved as a draft."))
            return redirect("methods:staff_detail", saved.slug)
    return render(
        request,
        "methods/method_form.html",
        {"form": form, "text_forms": text_forms, "method": method},
    )


@require_POST
def inclusion(request: HttpRequest, slug: str) -> HttpResponse:
    _membership, method = _method(request, slug, "methods.catalogue:edit")
    form = InclusionForm(request.POST, method=method)
    if form.is_valid():
        try:
            services.inclusion_record(actor=request.user, method=method, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The inclusion check was recorded."))
            return redirect("methods:staff_detail", method.slug)
    return render(
        request,
        "methods/staff_detail.html",
        _detail_context(request, method, inclusion_form=form),
        status=400,
    )


def _add_to_method(
    request: HttpRequest, slug: str, form_class: Any, service: Any, done: str, form_name: str
) -> HttpResponse:
    """A form on the method's staff page that adds something to it (a reference, a rating)."""
    _membership, method = _method(request, slug, "methods.catalogue:edit")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, method=method, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, done)
            return redirect("methods:staff_detail", method.slug)
    return render(
        request, "methods/staff_detail.html", _detail_context(request, method, **{form_name: form})
    )


@require_POST
def reference_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _add_to_method(
        request,
        slug,
        ReferenceForm,
        services.reference_add,
        _("The reference was added."),
        "reference_form",
    )


@require_POST
def rating_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _add_to_method(
        request, slug, RatingForm, services.rating_add, _("The rating was added."), "rating_form"
    )


WORKFLOW_STEPS = {
    "submit": (services.method_submit, gettext_lazy("The method was sent for review.")),
    "archive": (services.method_archive, gettext_lazy("The method was archived.")),
    "restore": (services.method_restore, gettext_lazy("The method was restored as a draft.")),
}


@require_POST
def workflow(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    _membership, method = _method(request, slug, "methods.catalogue:edit")
    if step == "publish":
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                version = services.method_publish(
                    actor=request.user, method=method, change_note=form.cleaned_data["change_note"]
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request, _("Version %(number)s was published.") % {"number": version.number}
                )
                return redirect("methods:staff_detail", method.slug)
        return render(
            request,
            "methods/staff_detail.html",
            _detail_context(request, method, publish_form=form),
        )
    if step not in WORKFLOW_STEPS:
        raise Http404
    service, done = WORKFLOW_STEPS[step]
    try:
        service(actor=request.user, method=method)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(done))
    return redirect("methods:staff_detail", method.slug)


def evaluation(request: HttpRequest, slug: str) -> HttpResponse:
    _membership, method = _method(request, slug, "methods.catalogue:view")
    current = method.evaluations.first()
    can_review = has_permission(request.user, "methods.evaluation:review")
    appraisal_form = AppraisalForm(
        request.POST if request.POST.get("action") == "appraise" else None
    )
    resolution_form = ResolutionForm(
        request.POST if request.POST.get("action") == "resolve" else None, prefix="resolve"
    )
    approval_form = ApprovalForm(
        request.POST if request.POST.get("action") == "approve" else None,
        method=method,
        prefix="approve",
    )
    if request.method == "POST":
        if not can_review:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "start":
                services.evaluation_start(actor=request.user, method=method)
                messages.success(request, _("The evaluation was started."))
                return redirect("methods:evaluation", method.slug)
            if current is None:
                raise Http404
            if action == "appraise" and appraisal_form.is_valid():
                services.appraisal_save(
                    actor=request.user, evaluation=current, **appraisal_form.cleaned_data
                )
                messages.success(request, _("Your appraisal was saved."))
                return redirect("methods:evaluation", method.slug)
            if action == "resolve" and resolution_form.is_valid():
                services.resolution_save(
                    actor=request.user, evaluation=current, **resolution_form.cleaned_data
                )
                messages.success(request, _("The disagreement was resolved."))
                return redirect("methods:evaluation", method.slug)
            if action == "approve" and approval_form.is_valid():
                services.evaluation_approve(
                    actor=request.user,
                    evaluation=current,
                    level=approval_form.cleaned_data["level"],
                    reasoning=approval_form.cleaned_data["reasoning"],
                    studies=list(approval_form.cleaned_data["studies"]),
                )
                messages.success(request, _("The evaluation was approved."))
                return redirect("methods:evaluation", method.slug)
        except DomainError as error:
            target = {
                "appraise": appraisal_form,
                "resolve": resolution_form,
                "approve": approval_form,
            }.get(action or "")
            if target is not None:
                target.add_error(None, str(error.message))
            else:
                messages.error(request, str(error.message))
    areas = selectors.appraisal_areas()
    appraisals = list(current.appraisals.select_related("area", "reviewer")) if current else []
    scores = rules.agreed_scores(current) if current else {}
    context = {
        "method": method,
        "text": method.text_for(),
        "evaluation": current,
        "is_open": current is not None and current.status == EvaluationStatus.OPEN,
        "can_review": can_review,
        "areas": areas,
        "appraisals": appraisals,
        "agreed": [(area, scores.get(area.code)) for area in areas],
        "disagreements": rules.disagreements(current) if current else set(),
        "supported": rules.supported_levels(scores)
        if current and None not in scores.values()
        else [],
        "appraisal_form": appraisal_form,
        "resolution_form": resolution_form,
        "approval_form": approval_form,
    }
    return render(request, "methods/evaluation.html", context)


def catalogue_import(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, "methods.catalogue:edit")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = transfer.parse(upload.read(), upload.name)
            result = transfer.import_records(
                actor=request.user, tenant=membership.tenant, records=records
            )
        except transfer.ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(
                request,
                _("Imported: %(created)s new and %(updated)s updated methods, as drafts.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("methods:staff_list")
    return render(request, "methods/import.html", {"form": form, "errors": errors})


def catalogue_export(request: HttpRequest, fmt: str) -> HttpResponse:
    membership = require_permission(request, "methods.catalogue:view")
    if fmt not in ("json", "csv"):
        raise Http404
    methods = selectors.methods_for_export(membership.tenant_id)
    audit.record(
        request.user, "methods.catalogue.exported", detail={"format": fmt, "count": len(methods)}
    )
    if fmt == "json":
        body, content_type = transfer.export_json(methods), "application/json"
    else:
        body, content_type = transfer.export_csv(methods), "text/csv"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="methods.{fmt}"'
    return response
