from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arki.accounts import selectors as account_selectors
from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.core.middleware import public
from arki.discussions.selectors import discussion_for_child
from arki.people import selectors as people_selectors
from arki.people.access import get_child_for

from .. import invitations, panels, selectors, services
from ..forms import (
    AnswerForm,
    CancelForm,
    InviteeForm,
    PaperConsentForm,
    PlanForm,
    ProposalForm,
    ScheduleForm,
)
from ..models import ConsentChannel, Invitee, InviteeKind
from . import page


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def _posted_id(request: HttpRequest, name: str) -> UUID:
    """The identifier a meeting page's form posts; a missing or malformed one is a 404."""
    value = _uuid(request.POST.get(name))
    if value is None:
        raise Http404
    return value


def plan(request: HttpRequest, child_id: UUID) -> HttpResponse:
    access = get_child_for(request, child_id, "meetings.meeting:write")
    if not access.is_full_case:
        raise Http404
    discussion = None
    if request.GET.get("discussion") or request.POST.get("discussion"):
        try:
            discussion = discussion_for_child(
                access.child, UUID(request.GET.get("discussion") or request.POST["discussion"])
            )
        except ValueError:
            discussion = None
    previous = selectors.meeting_for_child(
        access.child, _uuid(request.GET.get("previous") or request.POST.get("previous"))
    )
    initial = {"topics": previous.topics} if previous else {}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(
                actor=request.user,
                child=access.child,
                discussion=discussion,
                previous=previous,
                **form.cleaned_data,
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The network meeting is being planned."))
            return redirect(page.url(meeting))
    audit.record_child_read(request, "meetings.meeting.plan_form_viewed", access)
    return render(
        request,
        "meetings/plan.html",
        {"form": form, "child": access.child, "discussion": discussion, "previous": previous},
    )


@require_GET
def detail(request: HttpRequest, child_id: UUID, meeting_id: UUID) -> HttpResponse:
    access, meeting = page.load(request, child_id, meeting_id, "meetings.meeting:view")
    audit.record(
        request.user,
        "meetings.meeting.viewed",
        subjects=[access.child, *people_selectors.guardians_invited_to(meeting)],
        obj=meeting,
        basis=access.basis,
        request=request,
    )
    sections = panels.meeting_sections(request, access, meeting)  # the family's preparation
    if "starts_at" in request.GET and meeting.status in services.SCHEDULABLE:
        # A time chosen on the "find a time" page: the form filled, what is missing marked.
        chosen = ScheduleForm({k: request.GET.get(k, "") for k in ("starts_at", "ends_at")})
        chosen.mark_missing(meeting)
        sections["schedule_form"] = chosen
    return render(
        request, "meetings/detail.html", page.context(request, access, meeting, **sections)
    )


@require_POST
def act(request: HttpRequest, child_id: UUID, meeting_id: UUID, action: str) -> HttpResponse:
    """The meeting page's small POSTs, each one service call."""
    access, meeting = page.load(request, child_id, meeting_id, "meetings.meeting:write")
    handlers = {
        "invitee": _add_invitee,
        "approve": _approve,
        "consent": _consent,
        "withdraw": _withdraw,
        "proposal": _proposal,
        "decide": _decide,
        "close": _close,
        "schedule": _schedule,
        "invite": _invite,
        "cancel": _cancel,
    }
    handler = handlers.get(action)
    if handler is None:
        raise Http404
    try:
        response = handler(request, access, meeting)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        response = None
    return response or redirect(page.url(meeting))


def _refused(request, access, meeting, **forms):
    """The meeting page again with the refused form bound: what was typed stays, and each
    error is under its field."""
    context = page.context(request, access, meeting, **forms)
    return render(request, "meetings/detail.html", context, status=400)


def _add_invitee(request, access, meeting):
    form = InviteeForm(request.POST, network=access.child.network.all())
    if not form.is_valid():
        return _refused(request, access, meeting, invitee_form=form)
    data = form.cleaned_data
    user = network_person = None
    if data["kind"] == InviteeKind.PROFESSIONAL and data["professional"]:
        key = data["professional"].strip()
        user = account_selectors.active_user_by_username_or_email(key)
        if user is None:
            form.add_error("professional", _("No worker with that username or email."))
            return _refused(request, access, meeting, invitee_form=form)
    if data["kind"] == InviteeKind.NETWORK_PERSON and data["network_person"]:
        network_person = access.child.network.filter(pk=data["network_person"]).first()
    try:
        services.invitee_add(
            actor=request.user,
            meeting=meeting,
            kind=data["kind"],
            name=data["name"],
            email=data["email"],
            language=data["language"],
            role_label=data["role_label"],
            expected_contribution=data["expected_contribution"],
            user=user,
            network_person=network_person,
        )
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        return _refused(request, access, meeting, invitee_form=form)
    messages.success(request, _("Invitee added. The family approves each invitee."))
    return None


def _invitee(request, meeting) -> Invitee:
    invitee = meeting.invitees.filter(pk=_posted_id(request, "invitee")).first()
    if invitee is None:
        raise Http404
    return invitee


def _approve(request, access, meeting):
    services.invitee_approve(
        actor=request.user,
        invitee=_invitee(request, meeting),
        approved=request.POST.get("approved") == "1",
        channel=ConsentChannel.PAPER,
    )


def _consent(request, access, meeting):
    form = PaperConsentForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Choose the consent."))
    given_by = request.POST.get("given_by", "")
    by_child = given_by == "child"
    guardian = None
    if not by_child:
        guardian = next((g for g in access.child.guardians.all() if str(g.pk) == given_by), None)
    services.consent_give(
        actor=request.user,
        invitee=_invitee(request, meeting),
        scope=form.cleaned_data["scope"],
        channel=ConsentChannel.PAPER,
        guardian=guardian,
        by_child=by_child,
    )
    messages.success(request, _("The consent was recorded."))


def _withdraw(request, access, meeting):
    consent = selectors.consent_of_meeting(meeting, request.POST.get("consent"))
    if consent is None:
        raise Http404
    services.consent_withdraw(actor=request.user, consent=consent, reason="recorded by worker")
    messages.success(request, _("The consent was withdrawn. The access it gave has ended."))


def _proposal(request, access, meeting):
    form = ProposalForm(request.POST, tenant_id=meeting.tenant_id)
    if form.is_valid():
        try:
            services.proposal_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            return None
    return _refused(request, access, meeting, proposal_form=form)


def _decide(request, access, meeting):
    proposal = selectors.proposal_of_meeting(meeting, request.POST.get("proposal"))
    if proposal is None:
        raise Http404
    services.proposal_decide(
        actor=request.user,
        proposal=proposal,
        accepted=request.POST.get("accepted") == "1",
        channel=ConsentChannel.IN_MEETING,
    )


def _close(request, access, meeting):
    services.meeting_close(actor=request.user, meeting=meeting)
    messages.success(request, _("The network work was closed."))


def _schedule(request, access, meeting):
    form = ScheduleForm(request.POST)
    if form.is_valid() and form.mark_missing(meeting):
        if not request.POST.get("chosen"):
            return _refused(request, access, meeting, schedule_form=form)
        # A time chosen on the "find a time" page, with the place still missing: the meeting
        # page's form, filled with the time, the missing place marked.
        chosen = urlencode({k: request.POST[k] for k in ("starts_at", "ends_at")})
        return redirect(f"{page.url(meeting)}?{chosen}#schedule-h")
    if form.is_valid():
        try:
            services.meeting_schedule(actor=request.user, meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            # Keep what was sent in the form (e.g. a time chosen on the "find a time" page,
            # which sends no place), so the chair only adds what is missing.
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The time and place were saved."))
            return None
    return _refused(request, access, meeting, schedule_form=form)


def _invite(request, access, meeting):
    sent = services.invitations_send(actor=request.user, meeting=meeting)
    if sent:
        messages.success(request, _("Invitations sent: %(count)d.") % {"count": sent})
    else:
        messages.info(request, _("Nobody new to invite. See who is still waiting."))


def _cancel(request, access, meeting):
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.meeting_cancel(actor=request.user, meeting=meeting, reason=reason)
    messages.success(request, _("The meeting was cancelled and everyone invited was told."))


@public
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link: when and where, and yes / no / another time. It opens without a
    login: the page shows only ``invitations.answer_page_context``."""
    link = selectors.answer_link_for_token(token)
    if link is None:
        raise Http404
    invitee = link.invitee
    meeting = invitee.meeting
    with translation.override(invitations.language_of(invitee)):
        closed, status = invitations.answer_closed_message(link)
        if closed:
            return render(
                request, "meetings/answer_closed.html", {"message": closed}, status=status
            )
        form = AnswerForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.invitation_answer(actor=invitee, invitee=invitee, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Thank you. Your answer was saved."))
                return redirect("meetings:answer", token=token)
        audit.record(
            invitee,
            "meetings.invitation.opened",
            subjects=[meeting.child],
            obj=meeting,
            basis="invitation link",
            tenant_id=meeting.tenant_id,
            request=request,
        )
        context = {**invitations.answer_page_context(invitee), "form": form}
        return render(request, "meetings/answer.html", context, status=400 if form.errors else 200)
