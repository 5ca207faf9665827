"""The family portal (public views that check the portal session themselves) and the worker's
link management (staff views)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arki.audit import services as audit
from arki.core.middleware import public
from arki.meetings import pdf as meeting_pdf
from arki.meetings import reports as meeting_reports
from arki.meetings import services as meetings
from arki.meetings.models import Consent, Invitee, MeetingReport, Proposal
from arki.meetings.reports import family_reports
from arki.meetings.services import child_may_consent
from arki.people import selectors as people_selectors
from arki.people.access import get_child_for
from arki.people.models import Guardian

from . import selectors, services
from .access import (
    LANGUAGE_KEY,
    SESSION_KEY,
    NoPortalSession,
    Visitor,
    current_visitor,
    visitor_for_child,
)
from .consent_texts import CURRENT_VERSION, WITHDRAW_NOTE
from .forms import LinkSendForm, OpenLinkForm, PreparationForm
from .models import PortalLink, PortalSession, Respondent, SessionEnd

MAX_TOKEN_LENGTH = 100


def _activate_language(request: HttpRequest, default: str | None) -> None:
    language = request.session.get(LANGUAGE_KEY) or default
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]


def _ended(request: HttpRequest) -> HttpResponse:
    _activate_language(request, None)
    return render(request, "portal/ended.html", status=403)


def portal_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A portal page: needs a live portal session; with ``child_id``, the session's child
    (any other child is 404). Renders in the visitor's language unless they chose another."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if "child_id" in kwargs:
                visitor: Visitor | None = visitor_for_child(request, kwargs.pop("child_id"))
            else:
                visitor = current_visitor(request)
        except NoPortalSession:
            visitor = None
        if visitor is None:
            return _ended(request)
        _activate_language(request, visitor.preferred_language)
        return view(request, visitor, *args, **kwargs)

    return public(wrapper)


# --- Opening a link ------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm page (mail scanners do not burn the link); POST consumes it."""
    link = services.link_for_token(token) if len(token) <= MAX_TOKEN_LENGTH else None
    if link is None:
        _activate_language(request, None)
        return render(request, "portal/link_invalid.html", status=404)
    person = link.guardian if link.guardian is not None else link.child
    _activate_language(request, person.preferred_language)
    data = request.POST if request.method == "POST" else None
    form = OpenLinkForm(data, needs_code=link.requires_code)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.link_open(
                token=token, code=form.cleaned_data.get("code", ""), request=request
            )
        except services.WrongCodeError as error:
            if not error.remaining:
                return render(request, "portal/link_invalid.html", status=404)
            form.add_error("code", str(error.message))
        except services.LinkNotUsableError:
            return render(request, "portal/link_invalid.html", status=404)
        else:
            _start_session(request, session)
            return redirect("portal:child", child_id=session.child_id)
    return render(request, "portal/open.html", {"link": link, "form": form})


def _start_session(request: HttpRequest, session: PortalSession) -> None:
    previous = current_visitor(request)
    if previous is not None:
        services.session_end(session=previous.session, reason=SessionEnd.LOGOUT)
    request.session.cycle_key()
    request.session[SESSION_KEY] = str(session.pk)


@public
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    visitor = current_visitor(request)
    if visitor is not None:
        services.session_end(session=visitor.session, reason=SessionEnd.LOGOUT)
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    _activate_language(request, None)
    return render(request, "portal/logged_out.html")


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The portal's language switcher (a plain form; works without JavaScript)."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.session[LANGUAGE_KEY] = language
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/portal/"
    return redirect(target)


# --- The family's pages --------------------------------------------------------------------


@require_GET
@portal_view
def home(request: HttpRequest, visitor: Any) -> HttpResponse:
    return redirect("portal:child", child_id=visitor.child.pk)


@require_GET
@portal_view
def child_page(request: HttpRequest, visitor: Any) -> HttpResponse:
    audit.record(
        visitor.actor,
        "portal.child.viewed",
        subjects=visitor.subjects,
        obj=visitor.child,
        basis=visitor.basis,
        request=request,
    )
    context = {
        "visitor": visitor,
        "child": visitor.child,
        "preparation": selectors.own_preparation(visitor.child, visitor.guardian),
        "contacts": selectors.contact_workers(visitor.child),
        "discussions": selectors.family_discussions(visitor.child, visitor.guardian),
        "meetings": selectors.family_meetings(visitor.child, visitor.guardian),
        "meeting_reports": [] if visitor.is_child else family_reports(visitor.child),
        "may_consent": not visitor.is_child or child_may_consent(visitor.child),
        "withdraw_note": WITHDRAW_NOTE,
        "feedback_invitations": selectors.open_feedback_invitations(
            visitor.child, visitor.guardian
        ),
    }
    return render(request, "portal/child.html", context)


def _moment(value: str) -> datetime | None:
    """A point in time from a query string; anything that is not one (or is out of range)
    is None: the first page."""
    try:
        moment = parse_datetime(value or "")
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if moment is not None:
            moment = moment.astimezone(UTC)  # as the database compares it
    except (ValueError, OverflowError):
        return None
    return moment


@require_GET
@portal_view
def access_log(request: HttpRequest, visitor: Any) -> HttpResponse:
    """Who has seen our data: every audit event about the child, in plain words."""
    audit.record(
        visitor.actor,
        "portal.access_log.viewed",
        subjects=visitor.subjects,
        obj=visitor.child,
        basis=visitor.basis,
        request=request,
    )
    before = _moment(request.GET.get("before", ""))
    rows = selectors.access_log(visitor.child, before=before)
    older = rows[-1].event.occurred_at.isoformat() if len(rows) == selectors.LOG_PAGE_SIZE else ""
    return render(
        request,
        "portal/access_log.html",
        {"visitor": visitor, "child": visitor.child, "rows": rows, "older": older},
    )


@require_http_methods(["GET", "POST"])
@portal_view
def prepare(request: HttpRequest, visitor: Visitor) -> HttpResponse:
    """The general preparation form (no discussion or meeting offered yet)."""
    return _prepare(request, visitor)


@require_http_methods(["GET", "POST"])
@portal_view
def prepare_discussion(request: HttpRequest, visitor: Visitor, discussion_id: UUID) -> HttpResponse:
    discussion = selectors.discussion_for_family(visitor.child, discussion_id)
    if discussion is None:
        raise Http404
    return _prepare(request, visitor, discussion=discussion)


@require_http_methods(["GET", "POST"])
@portal_view
def prepare_meeting(request: HttpRequest, visitor: Visitor, meeting_id: UUID) -> HttpResponse:
    meeting = selectors.meeting_for_family(visitor.child, meeting_id)
    if meeting is None:
        raise Http404
    return _prepare(request, visitor, meeting=meeting)


def _prepare(
    request: HttpRequest, visitor: Visitor, discussion: Any = None, meeting: Any = None
) -> HttpResponse:
    """The parent's own form, or the child's voice in child-friendly words; read-only once the
    discussion or the network meeting has been held."""
    respondent = Respondent.CHILD if visitor.is_child else Respondent.GUARDIAN
    existing = selectors.own_preparation(
        visitor.child, visitor.guardian, discussion=discussion, meeting=meeting
    )
    is_open = services.target_is_open(discussion=discussion, meeting=meeting)
    form = PreparationForm(
        request.POST if request.method == "POST" and is_open else None,
        respondent=respondent,
        meeting=meeting is not None,
        initial=existing.answers if existing is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preparation_save(
                actor=visitor.actor,
                child=visitor.child,
                guardian=visitor.guardian,
                answers=form.answers,
                discussion=discussion,
                meeting=meeting,
                request=request,
            )
        except services.DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Thank you. Your answers were saved."))
            return redirect("portal:child", child_id=visitor.child.pk)
    if existing is not None:
        audit.record(
            visitor.actor,
            "portal.preparation.viewed",
            subjects=visitor.subjects,
            obj=existing,
            basis=visitor.basis,
            request=request,
        )
    template = "portal/prepare_child.html" if visitor.is_child else "portal/prepare.html"
    context = {
        "visitor": visitor,
        "child": visitor.child,
        "form": form,
        "existing": existing,
        "is_open": is_open,
        "discussion": discussion,
        "meeting": meeting,
    }
    return render(request, template, context)


def _family_decision(request: HttpRequest, visitor: Visitor, decide: Callable[[], Any]) -> Any:
    """Run one of the family's decisions (a meetings service) and say how it went."""
    try:
        decide()
    except services.DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved. Thank you."))
    return redirect("portal:child", child_id=visitor.child.pk)


def _consenter(visitor: Visitor) -> Any:
    """A guardian, or the child from the age at which they give consent themselves."""
    if visitor.guardian is None and not child_may_consent(visitor.child):
        raise Http404
    return visitor.actor


def _guardian_only(visitor: Visitor) -> Guardian:
    if visitor.guardian is None:  # a child's own session does not decide for the family
        raise Http404
    return visitor.guardian


@require_POST
@portal_view
def invitee_decide(request: HttpRequest, visitor: Visitor, invitee_id: UUID) -> HttpResponse:
    guardian = _guardian_only(visitor)
    invitee = get_object_or_404(Invitee, pk=invitee_id, meeting__child=visitor.child)
    approved = request.POST.get("decision") == "approve"
    restore = request.POST.getlist("restore") if approved else []
    left_off = [c for c in meetings.withdrawn_by_refusal(invitee) if c.scope not in restore]
    response = _family_decision(
        request,
        visitor,
        lambda: meetings.invitee_approve(
            actor=guardian,
            invitee=invitee,
            approved=approved,
            channel="portal",
            restore_consents=restore,
        ),
    )
    invitee.refresh_from_db()
    if approved and left_off and invitee.approval == "approved":
        messages.warning(
            request,
            _(
                "%(name)s is invited again, without the consents you gave before. Below, "
                "agree to what they may see, or leave it."
            )
            % {"name": invitee.name},
        )
    return response


@require_POST
@portal_view
def consent_give(request: HttpRequest, visitor: Visitor, invitee_id: UUID) -> HttpResponse:
    actor = _consenter(visitor)
    invitee = get_object_or_404(Invitee, pk=invitee_id, meeting__child=visitor.child)
    scope = request.POST.get("scope", "")
    return _family_decision(
        request,
        visitor,
        lambda: meetings.consent_give(
            actor=actor,
            invitee=invitee,
            scope=scope,
            channel="portal",
            text_version=CURRENT_VERSION,
            guardian=visitor.guardian,
        ),
    )


@require_POST
@portal_view
def consent_withdraw(request: HttpRequest, visitor: Visitor, consent_id: UUID) -> HttpResponse:
    actor = _consenter(visitor)
    consent = get_object_or_404(Consent, pk=consent_id, invitee__meeting__child=visitor.child)
    return _family_decision(
        request,
        visitor,
        lambda: meetings.consent_withdraw(actor=actor, consent=consent, reason="portal"),
    )


@require_POST
@portal_view
def proposal_decide(request: HttpRequest, visitor: Visitor, proposal_id: UUID) -> HttpResponse:
    guardian = _guardian_only(visitor)
    proposal = get_object_or_404(Proposal, pk=proposal_id, meeting__child=visitor.child)
    accepted = request.POST.get("decision") == "accept"
    return _family_decision(
        request,
        visitor,
        lambda: meetings.proposal_decide(
            actor=guardian, proposal=proposal, accepted=accepted, channel="portal"
        ),
    )


# --- The worker's side ---------------------------------------------------------------------


def _case_access(request: HttpRequest, child_id: UUID) -> Any:
    access = get_child_for(request, child_id, "portal.link:manage")
    if not access.is_full_case:
        raise Http404
    return access


@require_http_methods(["GET", "POST"])
def link_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    access = _case_access(request, child_id)
    form = LinkSendForm(request.POST or None, child=access.child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.link_send(
                actor=request.user,
                child=access.child,
                guardian=data["guardian"],
                email=data["child_email"],
                code_delivery=data["code_delivery"],
                basis=access.basis,
            )
        except services.DomainError as error:
            form.add_error(None, str(error.message))
        else:
            # The code is shown once, in this response only; it is never stored in clear.
            return render(
                request, "portal/link_sent.html", {"child": access.child, "issued": issued}
            )
    hours = int(services.link_lifetime().total_seconds() // 3600)
    audit.record_child_read(
        request,
        "portal.link.form_viewed",
        access,
        subjects=list(people_selectors.guardians_of(access.child)),
    )
    return render(
        request, "portal/link_new.html", {"child": access.child, "form": form, "link_hours": hours}
    )


@require_POST
def link_revoke(request: HttpRequest, link_id: UUID) -> HttpResponse:
    link = get_object_or_404(PortalLink, pk=link_id)
    access = _case_access(request, link.child_id)
    services.link_revoke(actor=request.user, link=link, basis=access.basis)
    messages.success(request, _("The link was revoked. It no longer opens the portal."))
    return redirect("people:child_detail", child_id=link.child_id)


@require_POST
def session_revoke(request: HttpRequest, session_id: UUID) -> HttpResponse:
    session = get_object_or_404(PortalSession, pk=session_id)
    access = _case_access(request, session.child_id)
    services.link_revoke(actor=request.user, link=session.link, basis=access.basis)
    messages.success(request, _("The portal session was ended."))
    return redirect("people:child_detail", child_id=session.child_id)


# --- The family's copy of a network meeting's report ---------------------------------------


def _family_report(visitor: Any, meeting_id: UUID) -> MeetingReport:
    """The latest version for the guardian; the child and other families get 404."""
    if visitor.guardian is None:
        raise Http404
    report = meeting_reports.family_report(visitor.child, meeting_id)
    if report is None:
        raise Http404
    return report


def _family_record(request: HttpRequest, visitor: Any, report: MeetingReport, code: str) -> None:
    audit.record(
        visitor.actor,
        code,
        subjects=visitor.subjects,
        obj=report,
        basis=visitor.basis,
        request=request,
        tenant_id=report.meeting.tenant_id,
        detail={"version": report.number, "language": translation.get_language()},
    )


@require_GET
@portal_view
def family_report(request: HttpRequest, visitor: Any, meeting_id: UUID) -> HttpResponse:
    report = _family_report(visitor, meeting_id)
    _family_record(request, visitor, report, "meetings.report.viewed")
    html = meeting_pdf.render_report(
        report,
        language=translation.get_language() or visitor.preferred_language,
        template="meetings/family_report.html",
        request=request,
        visitor=visitor,
        child=visitor.child,
    )
    return HttpResponse(html)


@require_GET
@portal_view
def family_report_pdf(request: HttpRequest, visitor: Any, meeting_id: UUID) -> HttpResponse:
    report = _family_report(visitor, meeting_id)
    content = meeting_pdf.report_pdf(
        report, language=translation.get_language() or visitor.preferred_language
    )
    _family_record(request, visitor, report, "meetings.report.printed")
    return meeting_pdf.attachment(report, content)
