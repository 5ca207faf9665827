from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from arki.accounts.access import require_permission
from arki.audit import services as audit
from arki.core.exceptions import ConflictError, DomainError
from arki.core.submissions import create_once
from arki.people.access import ChildAccess, get_child_for
from arki.people.selectors import family_languages
from arki.training.selectors import refresher_overdue

from . import pdf, selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    CloseForm,
    Conflict,
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
    ObservationKind,
    WorkingNote,
)


def _load(request: HttpRequest, child_id: UUID, discussion_id: UUID, perm: str):
    access = get_child_for(request, child_id, perm)
    discussion = selectors.discussion_for_child(access.child, discussion_id)
    if discussion is None:
        raise Http404
    return access, discussion


def _load_for_page(request: HttpRequest, child_id: UUID, discussion_id: UUID, perm: str):
    """The discussion page is for the worker who holds the discussion (a full case)."""
    access, discussion = _load(request, child_id, discussion_id, perm)
    if not access.is_full_case:
        raise Http404
    return access, discussion


def _page_url(discussion: Discussion, anchor: str = "") -> str:
    url = reverse("discussions:detail", args=[discussion.child_id, discussion.pk])
    return f"{url}#{anchor}" if anchor else url


# The forms of the page, each built the same way for the page and for a POST to it (the same
# ids, so a refused POST's form replaces the blank one where it was).
def _note_form(section_id: Any, data: Any = None, note: WorkingNote | None = None) -> NoteForm:
    initial = {"version": note.version, "text": note.text} if note else {"version": 0}
    return NoteForm(data, auto_id=f"note-{section_id}-%s", initial=initial)


def _observation_form(section_id: Any, kind: str, data: Any = None) -> ObservationForm:
    return ObservationForm(
        data,
        kind=kind,
        auto_id=f"add-{kind}-{section_id}-%s",
        initial={"section": section_id, "kind": kind},
    )


def _status_form(item: ActionItem, data: Any = None) -> ActionStatusForm:
    initial = {"version": item.version, "status": item.status}
    return ActionStatusForm(data, auto_id=f"status-{item.pk}-%s", initial=initial)


def _summary_form(discussion: Discussion, data: Any = None, *, closing: bool) -> SummaryForm:
    initial = {
        "version": discussion.version,
        "agreed_summary": discussion.agreed_summary,
        "keep_working_notes": discussion.keep_working_notes,
    }
    form_class = CloseForm if closing else SummaryForm
    return form_class(data, prefix="close" if closing else "summary", initial=initial)


def _page_context(
    access: ChildAccess, discussion: Discussion, bound: Mapping[str, forms.BaseForm] = {}
) -> dict[str, Any]:
    """The page's context (``detail.html`` and its HTMX fragments) with the forms the page
    shows for the discussion's status. A form in ``bound`` (a refused POST's form, with what
    was typed and its errors) is shown instead of the blank one under the same key: the page's
    ``respond_form``, ``session_form``, ``action_form``, ``summary_form``, ``close_form``, and
    per row ``note:<section>``, ``strength:<section>``, ``vulnerability:<section>`` and
    ``status:<action item>``."""
    page = selectors.discussion_page(discussion)
    context: dict[str, Any] = {
        "child": access.child,
        "discussion": discussion,
        "access": access,
        **page,
    }
    status = discussion.status
    if status == DiscussionStatus.OFFERED:
        context["respond_form"] = bound.get("respond_form") or RespondForm()
    if discussion.is_editable:
        context["session_form"] = bound.get("session_form") or SessionForm()
        context["action_form"] = bound.get("action_form") or ActionForm(
            serves_choices=serves_choices(page["observations"]), tenant_id=discussion.tenant_id
        )
        context["close_form"] = bound.get("close_form") or _summary_form(discussion, closing=True)
    if status in (DiscussionStatus.ACCEPTED, DiscussionStatus.CLOSED):
        context["summary_form"] = bound.get("summary_form") or _summary_form(
            discussion, closing=False
        )
        for section in page["sections"]:
            pk = section.pk
            section.note_form = bound.get(f"note:{pk}") or _note_form(pk, note=section.note)
            section.strength_form = bound.get(f"strength:{pk}") or _observation_form(
                pk, ObservationKind.STRENGTH
            )
            section.vulnerability_form = bound.get(f"vulnerability:{pk}") or _observation_form(
                pk, ObservationKind.VULNERABILITY
            )
        for item in page["actions"]:
            item.status_form = bound.get(f"status:{item.pk}") or _status_form(item)
    return context


def _answer(
    request: HttpRequest,
    access: ChildAccess,
    discussion: Discussion,
    *,
    fragment: str,
    anchor: str,
    refused: Mapping[str, forms.BaseForm] = {},
    **extra: Any,
) -> HttpResponse:
    """The answer to one of the page's POSTs. Saved: HTMX gets ``fragment`` updated, a plain
    POST a redirect back to ``anchor``. Refused (``refused``: the form as typed, with its
    errors): HTMX gets the fragment with that form (HTMX swaps only 2xx answers, so the refusal
    is in the fragment, not the status); a plain POST gets the whole page with it, 400 (409
    for a conflict)."""
    discussion.refresh_from_db()
    if request.htmx:  # type: ignore[attr-defined]
        context = _page_context(access, discussion, refused)
        return render(request, fragment, {**context, **extra})
    if not refused:
        return redirect(_page_url(discussion, anchor))
    conflict = any(getattr(form, "conflict", None) for form in refused.values())
    context = _page_context(access, discussion, refused)
    return render(request, "discussions/detail.html", context, status=409 if conflict else 400)


def _refuse(form: forms.BaseForm, exc: DomainError, field: str | None = None) -> None:
    exc.add_to(form, field)


def offer(request: HttpRequest, child_id: UUID) -> HttpResponse:
    access = get_child_for(request, child_id, "discussions.discussion:write")
    if not access.is_full_case:
        raise Http404
    membership = request.membership  # type: ignore[attr-defined]
    enrolment = access.child.enrolments.first()
    unit = membership.unit or (enrolment.unit if enrolment else None)
    templates = selectors.templates_available_to(access.child.tenant_id)
    suggested = services.suggest_template(
        tenant_id=access.child.tenant_id,
        unit=unit,
        child=access.child,
        language=family_languages(access.child),  # the family's, not the worker's interface
    )
    open_discussions = list(selectors.open_discussions_for_child(access.child))
    form = OfferForm(
        request.POST or None,
        templates=templates,
        open_discussions=open_discussions,
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
                alongside_open=form.cleaned_data.get("alongside_open", False),
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The LT discussion was offered."))
            return redirect(_page_url(discussion))
    audit.record_child_read(request, "discussions.discussion.offer_form_viewed", access)
    refresher = refresher_overdue(request.user, access.child.tenant_id, timezone.localdate())
    return render(
        request,
        "discussions/offer.html",
        {
            "form": form,
            "child": access.child,
            "suggested": suggested,
            "refresher": refresher,
            "open_discussions": open_discussions,
        },
    )


@require_GET
def detail(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    access, discussion = _load_for_page(
        request, child_id, discussion_id, "discussions.discussion:view"
    )
    audit.record(
        request.user,
        "discussions.discussion.viewed",
        subjects=[access.child],
        obj=discussion,
        basis=access.basis,
        request=request,
    )
    return render(request, "discussions/detail.html", _page_context(access, discussion))


def _load_for_write(request: HttpRequest, child_id: UUID, discussion_id: UUID):
    return _load_for_page(request, child_id, discussion_id, "discussions.discussion:write")


@require_POST
def respond(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    access, discussion = _load_for_write(request, child_id, discussion_id)
    form = RespondForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
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
        except DomainError as exc:
            _refuse(form, exc)
    refused = {"respond_form": form} if form.errors else {}
    return _answer(
        request, access, discussion, fragment="discussions/detail.html", anchor="", refused=refused
    )


@require_POST
def session_add(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    access, discussion = _load_for_write(request, child_id, discussion_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_add(actor=request.user, discussion=discussion, **form.cleaned_data)
        except DomainError as exc:
            _refuse(form, exc)
    refused = {"session_form": form} if form.errors else {}
    return _answer(
        request,
        access,
        discussion,
        fragment="discussions/_sessions.html",
        anchor="sessions",
        refused=refused,
    )


def _section(request: HttpRequest, access: ChildAccess, discussion: Discussion, section_id: Any):
    """The answer about one section: the section (and the action form's choices of what an
    item serves, which its strengths and vulnerabilities are)."""

    def answer(refused: Mapping[str, forms.BaseForm] = {}, **extra: Any) -> HttpResponse:
        return _answer(
            request,
            access,
            discussion,
            fragment="discussions/_section_response.html",
            anchor=f"section-{section_id}",
            refused=refused,
            section_id=str(section_id),
            **extra,
        )

    return answer


@require_POST
def observation_add(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    access, discussion = _load_for_write(request, child_id, discussion_id)
    section_id, kind = request.POST.get("section", ""), request.POST.get("kind", "")
    sections = {str(s.pk) for s in selectors.logbook_sections(discussion.template_id)}
    if section_id not in sections or kind not in ObservationKind.values:
        raise Http404
    form = _observation_form(section_id, kind, request.POST)
    if form.is_valid():
        try:
            services.observation_add(
                actor=request.user,
                discussion=discussion,
                section_id=section_id,
                kind=kind,
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            _refuse(form, exc, "text")
    answer = _section(request, access, discussion, section_id)
    return answer({f"{kind}:{section_id}": form} if form.errors else {})


@require_POST
def observation_remove(
    request: HttpRequest, child_id: UUID, discussion_id: UUID, observation_id: UUID
) -> HttpResponse:
    access, discussion = _load_for_write(request, child_id, discussion_id)
    observation = discussion.observations.filter(pk=observation_id).first()
    if observation is None:
        raise Http404
    answer = _section(request, access, discussion, observation.section_id)
    try:
        services.observation_remove(actor=request.user, observation=observation)
    except DomainError as exc:
        if not request.htmx:  # type: ignore[attr-defined]
            messages.error(request, str(exc.message))
        return answer(error=str(exc.message))
    return answer()


CONFLICT_NOTES = gettext_lazy(
    "Someone else saved these notes while you were writing. Your text was not saved: it is "
    "kept in the box, and both texts are shown below it. Combine them and save again."
)


@require_POST
def note_save(
    request: HttpRequest, child_id: UUID, discussion_id: UUID, section_id: UUID
) -> HttpResponse:
    access, discussion = _load_for_write(request, child_id, discussion_id)
    form = _note_form(section_id, request.POST)
    if form.is_valid():
        try:
            services.note_save(
                actor=request.user,
                discussion=discussion,
                section_id=section_id,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError:
            saved = discussion.working_notes.filter(section_id=section_id).first()
            form.rebase(
                saved.version if saved else 0,
                Conflict(saved=saved.text if saved else "", yours=form.cleaned_data["text"]),
            )
            form.add_error("text", str(CONFLICT_NOTES))
        except DomainError as exc:
            _refuse(form, exc, "text")
    answer = _section(request, access, discussion, section_id)
    if form.errors:
        return answer({f"note:{section_id}": form})
    return answer(saved=True)


@require_POST
def action_add(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    access, discussion = _load_for_write(request, child_id, discussion_id)
    observations = list(discussion.observations.all())
    form = ActionForm(
        request.POST,
        serves_choices=serves_choices(observations),
        tenant_id=discussion.tenant_id,
    )
    if form.is_valid():
        data = form.cleaned_data
        serves = next((o for o in observations if str(o.pk) == data["serves"]), None)
        try:
            create_once(
                actor=request.user,
                token=form.token,
                create=lambda: services.action_add(
                    actor=request.user,
                    discussion=discussion,
                    what=data["what"],
                    owner_kind=data["owner_kind"],
                    owner_name=data["owner_name"],
                    serves=serves,
                    due_on=data["due_on"],
                    review_on=data["review_on"],
                    method=data["method"],
                ),
                url=lambda item: _page_url(discussion, "plan"),
            )
        except DomainError as exc:
            _refuse(form, exc)
    refused = {"action_form": form} if form.errors else {}
    return _answer(
        request,
        access,
        discussion,
        fragment="discussions/_actions.html",
        anchor="plan",
        refused=refused,
    )


_ROW = "discussions/_action_row_response.html"
CONFLICT_ACTION = gettext_lazy(
    "Someone else changed this item while you were editing it, and your change was not saved. "
    "Both are shown below; choose again and save."
)


@require_POST
def action_change(
    request: HttpRequest, child_id: UUID, discussion_id: UUID, item_id: UUID
) -> HttpResponse:
    """Change an item's status, or remove it (the form's other button)."""
    access, discussion = _load_for_write(request, child_id, discussion_id)
    item = discussion.action_items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    removing = bool(request.POST.get("remove"))
    form = _status_form(item, request.POST)
    if form.is_valid():
        expected = form.cleaned_data["version"]
        try:
            if removing:
                services.action_remove(actor=request.user, item=item, expected_version=expected)
            else:
                services.action_update(
                    actor=request.user,
                    item=item,
                    status=form.cleaned_data["status"],
                    expected_version=expected,
                )
        except ConflictError:
            saved = selectors.action_item_of(discussion, item.pk)
            if saved is None:  # removed meanwhile: nothing left to change
                messages.info(request, _("Someone else removed this item meanwhile."))
                return _answer(request, access, discussion, fragment=_ROW, anchor="plan")
            yours = (
                _("remove the item")
                if removing
                else ActionStatus(form.cleaned_data["status"]).label
            )
            form.rebase(saved.version, Conflict(saved=saved.get_status_display(), yours=yours))
            form.add_error("status", str(CONFLICT_ACTION))
        except DomainError as exc:
            _refuse(form, exc, "status")
    refused = {f"status:{item.pk}": form} if form.errors else {}
    return _answer(
        request,
        access,
        discussion,
        fragment=_ROW,
        anchor=f"action-{item.pk}",
        refused=refused,
        item_id=str(item.pk),
    )


CONFLICT_SUMMARY = gettext_lazy(
    "Someone else saved the summary while you were writing. Your text was not saved: it is "
    "kept in the box, and both texts are shown below it. Combine them and save again."
)


@require_POST
def summary_save(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    return _summary(request, child_id, discussion_id, closing=False)


@require_POST
def close(request: HttpRequest, child_id: UUID, discussion_id: UUID) -> HttpResponse:
    return _summary(request, child_id, discussion_id, closing=True)


def _summary(
    request: HttpRequest, child_id: UUID, discussion_id: UUID, *, closing: bool
) -> HttpResponse:
    """Summary and closing carry the version the editor loaded; a stale save is refused and
    the editor's text is shown back to them next to the saved one, nothing lost."""
    access, discussion = _load_for_write(request, child_id, discussion_id)
    form = _summary_form(discussion, request.POST, closing=closing)
    if form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        save = services.discussion_close if closing else services.summary_save
        try:
            save(actor=request.user, discussion=discussion, expected_version=expected, **data)
        except ConflictError:
            discussion.refresh_from_db()
            form.rebase(
                discussion.version,
                Conflict(saved=discussion.agreed_summary, yours=data["agreed_summary"]),
            )
            form.add_error("agreed_summary", str(CONFLICT_SUMMARY))
        except DomainError as exc:
            _refuse(form, exc)
        else:
            if closing:
                messages.success(request, _("The discussion was closed."))
            else:
                messages.success(request, _("The summary was saved."))
    refused = {"close_form" if closing else "summary_form": form} if form.errors else {}
    return _answer(
        request,
        access,
        discussion,
        fragment="discussions/detail.html",
        anchor="summary",
        refused=refused,
    )


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


@require_GET
def dates_export(request: HttpRequest) -> HttpResponse:
    """Coordinators export the dates of the tenant's discussions (no personal data)."""
    membership = require_permission(request, "discussions.dates:export")
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
