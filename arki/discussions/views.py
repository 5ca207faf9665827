from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arki.accounts.access import ChildAccess, get_child_for, require_permission
from arki.audit import services as audit
from arki.core.blank_forms import BlankForm
from arki.core.exceptions import ConflictError, DomainError

from . import pdf, selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    CloseForm,
    NoteForm,
    ObservationForm,
    OfferForm,
    PlanLanguageForm,
    RespondForm,
    SessionForm,
    SummaryForm,
    serves_choices,
)
from .models import (
    ActionItem,
    ActionStatus,
    Discussion,
    DiscussionStatus,
    LogbookTemplate,
    Observation,
)


def _load(request: HttpRequest, child_id: UUID, discussion_id: UUID, perm: str):
    access = get_child_for(request, child_id, perm)
    discussion = selectors.discussion_for_child(access.child, discussion_id)
    if discussion is None:
        raise Http404
    return access, discussion


def _page_url(discussion: Discussion, anchor: str = "") -> str:
    url = reverse("discussions:detail", args=[discussion.child_id, discussion.pk])
    return f"{url}#{anchor}" if anchor else url


def _page_context(
    request: HttpRequest, access: ChildAccess, discussion: Discussion, **extra: Any
) -> dict[str, Any]:
    """The page's context (``detail.html`` and its HTMX fragments). Only the forms the page
    shows for the discussion's status are made: the blank session, answer and action forms as
    ``BlankForm`` (their markup is cached); a form in ``extra`` (a refused POST's bound form
    with its errors) is shown instead of the blank one."""
    context = {
        "child": access.child,
        "discussion": discussion,
        "access": access,
        "action_status_choices": ActionStatus.choices,
        **selectors.discussion_page(discussion),
        **extra,
    }
    status = discussion.status
    if status == DiscussionStatus.OFFERED and "respond_form" not in context:
        context["respond_form"] = BlankForm(RespondForm)
    if discussion.is_editable:  # the session, action and closing forms
        if "session_form" not in context:
            context["session_form"] = BlankForm(SessionForm)
        if "action_form" not in context:
            choices = serves_choices(context["observations"])
            context["action_form"] = BlankForm(ActionForm, serves_choices=choices)
        if "close_form" not in context:
            context["close_form"] = CloseForm(prefix="close", initial=_summary_initial(discussion))
    shows_summary = status in (DiscussionStatus.ACCEPTED, DiscussionStatus.CLOSED)
    if shows_summary and "summary_form" not in context:
        initial = _summary_initial(discussion)
        context["summary_form"] = SummaryForm(prefix="summary", initial=initial)
    return context


def _summary_initial(discussion: Discussion) -> dict[str, Any]:
    return {
        "version": discussion.version,
        "agreed_summary": discussion.agreed_summary,
        "keep_working_notes": discussion.keep_working_notes,
    }


def offer(request: HttpRequest, child_id: UUID) -> HttpResponse:
    access = get_child_for(request, child_id, "discussions.discussion:write")
    if not access.is_full_case:
        raise Http404
    membership = request.membership  # type: ignore[attr-defined]
    unit = membership.unit or access.child.enrolments.first().unit
    templates = LogbookTemplate.objects.available_to(access.child.tenant_id)
    suggested = services.suggest_template(
        tenant_id=access.child.tenant_id,
        unit=unit,
        child=access.child,
        language=translation.get_language() or "fi",
    )
    form = OfferForm(
        request.POST or None,
        templates=templates,
        initial={"template": suggested.pk if suggested else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            discussion = services.discussion_offer(
                actor=request.user,
                child=access.child,
                unit=unit,
                template=form.cleaned_data["template"],
                offered_on=form.cleaned_data["offered_on"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The LT discussion was offered."))
            return redirect(_page_url(discussion))
    return render(
        request,
        "discussions/offer.html",
        {"form": form, "child": access.child, "suggested": suggested},
    )


@require_GET
def detail(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    access, discussion = _load(request, child_id, discussion_id, "discussions.discussion:view")
    if not access.is_full_case:
        raise Http404
    audit.record(
        request.user,
        "discussions.discussion.viewed",
        subjects=[access.child],
        obj=discussion,
        basis=access.basis,
        request=request,
    )
    return render(request, "discussions/detail.html", _page_context(request, access, discussion))


def _mutate(
    request: HttpRequest,
    child_id: UUID,
    discussion_id: UUID,
    form_class: Any,
    action: Any,
    fragment: str,
    anchor: str,
    form_kwargs: dict | None = None,
):
    """The shared shape of the discussion page's small POSTs: validate, call the service,
    answer HTMX with the updated fragment or fall back to a redirect."""
    access, discussion = _load(request, child_id, discussion_id, "discussions.discussion:write")
    if not access.is_full_case:
        raise Http404
    form = form_class(request.POST, **(form_kwargs or {}))
    error = None
    if form.is_valid():
        try:
            action(access, discussion, form.cleaned_data)
        except DomainError as exc:
            error = str(exc.message)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    discussion.refresh_from_db()
    if request.htmx:  # type: ignore[attr-defined]
        context = _page_context(request, access, discussion, error=error)
        section_id = getattr(request, "arki_section_id", None)
        if section_id:
            context["section"] = next(
                (s for s in context["sections"] if str(s.pk) == section_id), None
            )
        return render(request, fragment, context, status=200)
    if error:
        messages.error(request, error)
    return redirect(_page_url(discussion, anchor))


@require_POST
def respond(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    def action(access, discussion, data):
        if data["answer"] == "accept":
            services.discussion_accept(
                actor=request.user, discussion=discussion, responded_on=data["responded_on"]
            )
        else:
            services.discussion_decline(
                actor=request.user,
                discussion=discussion,
                responded_on=data["responded_on"],
                reason=data["reason"],
            )

    return _mutate(
        request, child_id, discussion_id, RespondForm, action, "discussions/_status.html", "status"
    )


@require_POST
def session_add(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    def action(access, discussion, data):
        services.session_add(actor=request.user, discussion=discussion, **data)

    return _mutate(
        request,
        child_id,
        discussion_id,
        SessionForm,
        action,
        "discussions/_sessions.html",
        "sessions",
    )


@require_POST
def observation_add(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    section_id = request.POST.get("section", "")

    def action(access, discussion, data):
        services.observation_add(
            actor=request.user,
            discussion=discussion,
            section_id=data["section"],
            kind=data["kind"],
            text=data["text"],
        )

    return _section_response(request, child_id, discussion_id, ObservationForm, action, section_id)


@require_POST
def observation_remove(
    request: HttpRequest, child_id: UUID, discussion_id: UUID, observation_id: UUID
) -> HttpResponse:
    observation = Observation.objects.filter(pk=observation_id, discussion_id=discussion_id).first()
    if observation is None:
        raise Http404
    section_id = str(observation.section_id)

    def action(access, discussion, data):
        services.observation_remove(actor=request.user, observation=observation)

    return _section_response(request, child_id, discussion_id, _EmptyForm, action, section_id)


@require_POST
def note_save(
    request: HttpRequest, child_id: UUID, discussion_id: UUID, section_id: UUID
) -> HttpResponse:
    def action(access, discussion, data):
        services.note_save(
            actor=request.user, discussion=discussion, section_id=section_id, text=data["text"]
        )

    return _section_response(request, child_id, discussion_id, NoteForm, action, str(section_id))


def _section_response(request, child_id, discussion_id, form_class, action, section_id):
    request.arki_section_id = section_id
    return _mutate(
        request,
        child_id,
        discussion_id,
        form_class,
        action,
        "discussions/_section_response.html",
        f"section-{section_id}",
    )


@require_POST
def action_add(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    def action(access, discussion, data):
        serves = None
        if data.get("serves"):
            serves = Observation.objects.filter(pk=data["serves"], discussion=discussion).first()
        services.action_add(
            actor=request.user,
            discussion=discussion,
            what=data["what"],
            owner_kind=data["owner_kind"],
            owner_name=data["owner_name"],
            serves=serves,
            due_on=data["due_on"],
            review_on=data["review_on"],
        )

    observations = Observation.objects.filter(discussion_id=discussion_id)
    return _mutate(
        request,
        child_id,
        discussion_id,
        ActionForm,
        action,
        "discussions/_actions.html",
        "plan",
        {"serves_choices": serves_choices(observations)},
    )


@require_POST
def action_change(
    request: HttpRequest, child_id: UUID, discussion_id: UUID, item_id: UUID
) -> HttpResponse:
    item = ActionItem.objects.filter(pk=item_id, discussion_id=discussion_id).first()
    if item is None:
        raise Http404

    def action(access, discussion, data):
        if request.POST.get("remove"):
            services.action_remove(actor=request.user, item=item)
        else:
            services.action_update(actor=request.user, item=item, status=data["status"])

    form_class = _EmptyForm if request.POST.get("remove") else ActionStatusForm
    return _mutate(
        request, child_id, discussion_id, form_class, action, "discussions/_actions.html", "plan"
    )


@require_POST
def summary_save(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    return _versioned(request, child_id, discussion_id, closing=False)


@require_POST
def close(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    return _versioned(request, child_id, discussion_id, closing=True)


def _versioned(
    request: HttpRequest, child_id: UUID, discussion_id: UUID, *, closing: bool
) -> HttpResponse:
    """Summary and closing carry the version the editor loaded; a stale save is refused and
    the editor's text is shown back to them, nothing lost."""
    access, discussion = _load(request, child_id, discussion_id, "discussions.discussion:write")
    if not access.is_full_case:
        raise Http404
    form = (CloseForm if closing else SummaryForm)(
        request.POST, prefix="close" if closing else "summary"
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            if closing:
                services.discussion_close(
                    actor=request.user, discussion=discussion, expected_version=expected, **data
                )
                messages.success(request, _("The discussion was closed."))
            else:
                services.summary_save(
                    actor=request.user, discussion=discussion, expected_version=expected, **data
                )
                messages.success(request, _("The summary was saved."))
            return redirect(_page_url(discussion, "summary"))
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status = 409 if isinstance(exc, ConflictError) else 400
    else:
        status = 400
    discussion.refresh_from_db()
    key = "close_form" if closing else "summary_form"
    context = _page_context(request, access, discussion, **{key: form})
    return render(request, "discussions/detail.html", context, status=status)


@require_GET
def plan_pdf(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    access, discussion = _load(request, child_id, discussion_id, "discussions.discussion:print")
    access.require(request.user, "action_plan")
    form = PlanLanguageForm(request.GET)
    language = form.cleaned_data.get("language") if form.is_valid() else ""
    if not language:
        guardian = access.child.guardians.order_by("created_at").first()
        language = guardian.preferred_language if guardian else "fi"
    content = pdf.action_plan_pdf(discussion, language=language)
    audit.record(
        request.user,
        "discussions.plan.printed",
        subjects=[access.child],
        obj=discussion,
        basis=access.basis,
        request=request,
        is_disclosure=not access.is_full_case,
        detail={"language": language},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="action-plan-{discussion.offered_on}.pdf"'
    )
    return response


@require_GET
def logbook_print(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    access, discussion = _load(request, child_id, discussion_id, "discussions.discussion:print")
    if not access.is_full_case:
        raise Http404
    audit.record(
        request.user,
        "discussions.logbook.printed",
        subjects=[access.child],
        obj=discussion,
        basis=access.basis,
        request=request,
    )
    sections = selectors.discussion_page(discussion)["sections"]
    return render(
        request,
        "discussions/logbook_print.html",
        {"discussion": discussion, "child": access.child, "sections": sections},
    )


class _EmptyForm(forms.Form):
    pass


@require_GET
def dates_export(request: HttpRequest) -> HttpResponse:
    """Coordinators export the dates of the tenant's discussions (no personal data)."""
    import csv
    import io

    membership = require_permission(request, "indicators.dashboard:view")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "discussion",
            "unit",
            "sector",
            "area",
            "offered_on",
            "held_on",
            "network_meeting_needed_on",
            "status",
            "outcome",
        ]
    )
    for row in selectors.discussion_dates(membership.tenant_id).iterator(chunk_size=2000):
        writer.writerow(
            [
                row["id"],
                row["unit__name"],
                row["unit__sector"],
                row["unit__area__name"],
                row["offered_on"],
                row["held_on"] or "",
                row["network_meeting_needed_on"] or "",
                row["status"],
                row["outcome"],
            ]
        )
    audit.record(request.user, "discussions.dates.exported", request=request, basis="statistics")
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="lt-discussion-dates.csv"'
    return response
