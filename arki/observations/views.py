"""Pages of the observations app: teams write and group, leadership groups decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arki.accounts.access import has_permission, require_permission
from arki.accounts.models import Role
from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.organisations.models import Tenant

from . import exports, selectors, services
from .forms import (
    BodyForm,
    DecisionForm,
    GroupForm,
    InitiativeForm,
    InitiativeStatusForm,
    LevelForm,
    MeetingForm,
    MemberForm,
    MergeForm,
    ObservationForm,
    PostDownForm,
    RenameForm,
    SendForm,
    SettingsForm,
    SplitForm,
)
from .models import Body, BodyMember, Initiative, Level, PhenomenonStatus
from .permissions import (
    LEAD,
    MANAGE,
    WRITE,
    body_ids_of,
    get_body_for,
    get_body_to_manage,
    get_meeting_for,
    get_phenomenon_for,
    require_lead,
    tenant_id_of,
)

INDICATOR_LABELS = {
    "discussions_held": gettext_lazy("LT discussions held"),
    "network_meetings_held": gettext_lazy("network meetings held"),
    "wait_to_network_meeting": gettext_lazy("wait from the need to the network meeting"),
    "child_protection_referrals": gettext_lazy("child protection referrals"),
    "feedback_heard": gettext_lazy("families who felt heard"),
}


def _indicator_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in INDICATOR_LABELS.items()]


# Home and writing ----------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    require_permission(request, WRITE)
    tenant_id = tenant_id_of(request)
    bodies = selectors.my_bodies(request.user, tenant_id)
    context = {
        "bodies": bodies,
        "teams": selectors.my_teams(request.user, tenant_id),
        "can_manage": has_permission(request.user, MANAGE),
        "can_lead": has_permission(request.user, LEAD),
    }
    return render(request, "observations/home.html", context)


def observation_new(request: HttpRequest) -> HttpResponse:
    require_permission(request, WRITE)
    tenant_id = tenant_id_of(request)
    teams = selectors.my_teams(request.user, tenant_id)
    form = ObservationForm(request.POST or None, teams=teams, tenant_id=tenant_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation = services.observation_create(
                actor=request.user,
                team=data["team"],
                text=data["text"],
                area=data["area"],
                age_group=data["age_group"],
                setting=data["setting"],
                tags=data["tags"],
            )
        except DomainError as error:
            form.add_error("text", str(error.message))
        else:
            messages.success(request, _("Thank you. The observation was saved for the team."))
            return redirect("observations:body", observation.team_id)
    return render(request, "observations/observation_form.html", {"form": form, "teams": teams})


# Structure -------------------------------------------------------------------------------


def structure(request: HttpRequest) -> HttpResponse:
    require_permission(request, MANAGE)
    tenant_id = tenant_id_of(request)
    tenant = get_object_or_404(Tenant, pk=tenant_id)
    level_form = LevelForm(request.POST if "level" in request.POST else None)
    settings_form = SettingsForm(
        request.POST if "settings" in request.POST else None,
        initial={"show_writer": selectors.show_writer(tenant_id)},
    )
    if request.method == "POST":
        try:
            if "level" in request.POST and level_form.is_valid():
                services.level_save(actor=request.user, tenant=tenant, **level_form.cleaned_data)
                messages.success(request, _("The level was saved."))
                return redirect("observations:structure")
            if "settings" in request.POST and settings_form.is_valid():
                services.settings_save(
                    actor=request.user, tenant=tenant, **settings_form.cleaned_data
                )
                messages.success(request, _("The settings were saved."))
                return redirect("observations:structure")
        except DomainError as error:
            level_form.add_error(None, str(error.message))
    return render(
        request,
        "observations/structure.html",
        {
            "levels": selectors.levels(tenant_id),
            "bodies": selectors.bodies(tenant_id),
            "level_form": level_form,
            "settings_form": settings_form,
        },
    )


def level_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    require_permission(request, MANAGE)
    tenant_id = tenant_id_of(request)
    level = get_object_or_404(Level, pk=pk, tenant_id=tenant_id)
    form = LevelForm(request.POST or None, instance=level)
    if request.method == "POST" and form.is_valid():
        try:
            services.level_save(
                actor=request.user,
                tenant=level.tenant,
                level=level,
                name=form.cleaned_data["name"],
                rank=form.cleaned_data["rank"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("observations:structure")
    return render(request, "observations/simple_form.html", {"form": form, "title": level.name})


def body_edit(request: HttpRequest, pk: Any = None) -> HttpResponse:
    require_permission(request, MANAGE)
    tenant_id = tenant_id_of(request)
    body = get_object_or_404(Body, pk=pk, tenant_id=tenant_id) if pk else None
    form = BodyForm(request.POST or None, instance=body, tenant_id=tenant_id)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.body_save(
                actor=request.user,
                tenant=Tenant.objects.get(pk=tenant_id),
                body=body,
                **{name: form.cleaned_data[name] for name in BodyForm.Meta.fields},
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The team or group was saved."))
            return redirect("observations:members", saved.pk)
    title = body.name if body else _("New team or group")
    return render(request, "observations/simple_form.html", {"form": form, "title": title})


def members(request: HttpRequest, pk: Any) -> HttpResponse:
    body = get_body_to_manage(request, pk)
    form = MemberForm(request.POST or None, tenant_id=body.tenant_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(actor=request.user, body=body, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The member was added."))
            return redirect("observations:members", body.pk)
    rows = body.members.select_related("user")
    return render(request, "observations/members.html", {"body": body, "form": form, "rows": rows})


@require_POST
def member_remove(request: HttpRequest, pk: Any, member_pk: Any) -> HttpResponse:
    body = get_body_to_manage(request, pk)
    member = get_object_or_404(BodyMember, pk=member_pk, body=body)
    services.member_remove(actor=request.user, member=member)
    messages.success(request, _("The member was removed."))
    return redirect("observations:members", body.pk)


# A team's or a group's page ----------------------------------------------------------------


def body_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    body = get_body_for(request, pk)
    lowest = selectors.lowest_level(body.tenant_id)
    is_team = lowest is not None and body.level_id == lowest.pk
    context: dict[str, Any] = {"body": body, "is_team": is_team, "leads": body.leads(request.user)}
    if is_team:
        with transaction.atomic():
            observations = list(selectors.team_observations(body)[:100])
            audit.record(
                request.user,
                "observations.observations.viewed",
                obj=body,
                request=request,
                tenant_id=body.tenant_id,
            )
        context.update(
            observations=observations,
            phenomena=selectors.team_phenomena(body),
            meetings=body.team_meetings.all()[:10],
            feedback=selectors.feedback_for_team(body)[:30],
            show_writer=selectors.show_writer(body.tenant_id),
        )
    else:
        context.update(
            arrived=selectors.arrived_at(body),
            post_form=PostDownForm(teams=_teams_below(body)),
            initiatives=Initiative.objects.filter(body=body).select_related("phenomenon"),
        )
    return render(request, "observations/body_detail.html", context)


def _teams_below(body: Body) -> Any:
    ids: set[Any] = set()
    frontier = [body.pk]
    while frontier:
        below = Body.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in below if pk not in ids]
        ids.update(frontier)
    lowest = selectors.lowest_level(body.tenant_id)
    return Body.objects.filter(pk__in=ids, level=lowest)


@require_POST
def post_down(request: HttpRequest, pk: Any) -> HttpResponse:
    body = get_body_for(request, pk)
    form = PostDownForm(request.POST, teams=_teams_below(body))
    if form.is_valid():
        try:
            services.observation_post_down(
                actor=request.user,
                from_body=body,
                teams=form.cleaned_data["teams"],
                text=form.cleaned_data["text"],
            )
        except DomainError as error:
            form.add_error("text", str(error.message))
        else:
            messages.success(request, _("The observation was posted to the teams."))
            return redirect("observations:body", body.pk)
    return render(
        request,
        "observations/body_detail.html",
        {
            "body": body,
            "is_team": False,
            "arrived": selectors.arrived_at(body),
            "post_form": form,
            "leads": body.leads(request.user),
            "initiatives": Initiative.objects.filter(body=body).select_related("phenomenon"),
        },
    )


# Team meetings -----------------------------------------------------------------------------


def meeting_new(request: HttpRequest, pk: Any) -> HttpResponse:
    team = get_body_for(request, pk)
    require_lead(request, team)
    form = MeetingForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_open(actor=request.user, team=team, **form.cleaned_data)
        return redirect("observations:meeting", meeting.pk)
    return render(
        request,
        "observations/simple_form.html",
        {"form": form, "title": _("Open a team meeting"), "back": team},
    )


def _meeting_context(request: HttpRequest, meeting: Any, form: Any = None) -> dict[str, Any]:
    team = meeting.team
    observations = list(selectors.unassigned_observations(team))
    groups = selectors.suggested_groups(team, observations)
    previous = (
        team.team_meetings.filter(created_at__lt=meeting.created_at).order_by("-created_at").first()
    )
    return {
        "since": previous.created_at if previous else None,
        "meeting": meeting,
        "team": team,
        "groups": groups,
        "phenomena": selectors.team_phenomena(team).filter(status=PhenomenonStatus.OPEN),
        "decided": meeting.events.select_related("phenomenon").order_by("created_at"),
        "error_form": form,
        "leads": team.leads(request.user),
        "show_writer": selectors.show_writer(team.tenant_id),
    }


def meeting_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = get_meeting_for(request, pk)
    with transaction.atomic():
        context = _meeting_context(request, meeting)
        audit.record(
            request.user,
            "observations.observations.viewed",
            obj=meeting.team,
            request=request,
            tenant_id=meeting.team.tenant_id,
        )
    return render(request, "observations/meeting.html", context)


@require_POST
def meeting_group(request: HttpRequest, pk: Any) -> HttpResponse:
    """Accept a suggested group (all of it, or the ticked part: a split) as a new phenomenon,
    or add it to an existing one (a merge)."""
    meeting = get_meeting_for(request, pk)
    require_lead(request, meeting.team)
    form: GroupForm | None = GroupForm(request.POST, team=meeting.team)
    assert form is not None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["phenomenon"] is not None:
                services.phenomenon_add_observations(
                    actor=request.user,
                    phenomenon=data["phenomenon"],
                    observations=data["observations"],
                    meeting=meeting,
                )
            else:
                services.phenomenon_create(
                    actor=request.user,
                    team=meeting.team,
                    title=data["title"],
                    observations=data["observations"],
                    meeting=meeting,
                )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            form = None
    template = "observations/_groups.html" if request.htmx else "observations/meeting.html"  # type: ignore[attr-defined]
    status = 200 if form is None else 400
    if form is None and not request.htmx:  # type: ignore[attr-defined]
        return redirect("observations:meeting", meeting.pk)
    return render(request, template, _meeting_context(request, meeting, form), status=status)


@require_POST
def meeting_close(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = get_meeting_for(request, pk)
    require_lead(request, meeting.team)
    try:
        services.meeting_close(actor=request.user, meeting=meeting)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("observations:meeting", meeting.pk)


def meeting_minutes(request: HttpRequest, pk: Any) -> HttpResponse:
    meeting = get_meeting_for(request, pk)
    with transaction.atomic():
        pdf = exports.minutes_pdf(meeting)
        audit.record(
            request.user,
            "observations.meeting.printed",
            obj=meeting,
            request=request,
            tenant_id=meeting.team.tenant_id,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.held_on}.pdf"'
    return response


# Phenomena ---------------------------------------------------------------------------------


def _phenomenon_context(
    request: HttpRequest, phenomenon: Any, via: Body, **forms: Any
) -> dict[str, Any]:
    team = phenomenon.team
    at_team = via.pk == team.pk
    open_here = phenomenon.current_body_id == via.pk
    is_lead = via.leads(request.user)
    context: dict[str, Any] = {
        "phenomenon": phenomenon,
        "via": via,
        "at_team": at_team,
        "is_lead": is_lead,
        "observations": list(phenomenon.observations.select_related("area", "author")),
        "timeline": selectors.timeline(phenomenon),
        "monthly": selectors.monthly_counts(phenomenon),
        "trend": selectors.trend(phenomenon),
        "initiatives": phenomenon.initiatives.select_related("body").prefetch_related(
            "methods__texts"
        ),
        "show_writer": selectors.show_writer(phenomenon.tenant_id) and at_team,
        "indicator_labels": [INDICATOR_LABELS.get(c, c) for c in phenomenon.indicators],
        "can_shape": at_team
        and is_lead
        and phenomenon.status == PhenomenonStatus.OPEN
        and phenomenon.merged_into_id is None,
        "can_decide": open_here
        and not at_team
        and is_lead
        and phenomenon.status == PhenomenonStatus.SENT,
        "can_follow_up": open_here
        and not at_team
        and is_lead
        and phenomenon.status == PhenomenonStatus.DECIDED,
    }
    if context["can_shape"]:
        suggested = selectors.suggested_indicators(phenomenon)
        context.update(
            rename_form=forms.get("rename_form")
            or RenameForm(
                initial={"title": phenomenon.title, "description": phenomenon.description}
            ),
            merge_form=forms.get("merge_form") or MergeForm(phenomenon=phenomenon),
            split_form=forms.get("split_form") or SplitForm(phenomenon=phenomenon),
            send_form=forms.get("send_form")
            or SendForm(indicators=_indicator_choices(), initial={"indicators": suggested}),
        )
    if context["can_decide"] or context["can_follow_up"]:
        context.update(
            decision_form=forms.get("decision_form") or DecisionForm(),
            initiative_form=forms.get("initiative_form")
            or InitiativeForm(tenant_id=phenomenon.tenant_id),
        )
    return context


def phenomenon_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    phenomenon, via = get_phenomenon_for(request, pk)
    with transaction.atomic():
        context = _phenomenon_context(request, phenomenon, via)
        audit.record(
            request.user,
            "observations.phenomenon.viewed",
            obj=phenomenon,
            request=request,
            tenant_id=phenomenon.tenant_id,
            basis=f"body:{via.pk}",
        )
    return render(request, "observations/phenomenon.html", context)


FORMS = {
    "rename": RenameForm,
    "merge": MergeForm,
    "split": SplitForm,
    "send": SendForm,
    "decision": DecisionForm,
    "initiative": InitiativeForm,
}


@require_POST
def phenomenon_act(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    phenomenon, via = get_phenomenon_for(request, pk)
    if step not in FORMS:
        raise Http404
    require_lead(request, via)
    kwargs: dict[str, Any] = {}
    if step in ("merge", "split"):
        kwargs["phenomenon"] = phenomenon
    if step == "send":
        kwargs["indicators"] = _indicator_choices()
    if step == "initiative":
        kwargs["tenant_id"] = phenomenon.tenant_id
    form = FORMS[step](request.POST, **kwargs)
    if form.is_valid():
        try:
            _run_step(request, step, phenomenon, via, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("observations:phenomenon", phenomenon.pk)
    context = _phenomenon_context(request, phenomenon, via, **{f"{step}_form": form})
    return render(request, "observations/phenomenon.html", context, status=400)


def _run_step(
    request: HttpRequest, step: str, phenomenon: Any, via: Body, data: dict[str, Any]
) -> None:
    actor = request.user
    if step == "rename":
        services.phenomenon_rename(actor=actor, phenomenon=phenomenon, **data)
    elif step == "merge":
        services.phenomenon_merge(actor=actor, source=phenomenon, target=data["target"])
    elif step == "split":
        services.phenomenon_split(actor=actor, phenomenon=phenomenon, **data)
    elif step == "send":
        services.phenomenon_send(actor=actor, phenomenon=phenomenon, **data)
    elif step == "initiative":
        services.initiative_create(actor=actor, phenomenon=phenomenon, body=via, **data)
    elif data["kind"] == "escalate":
        services.phenomenon_escalate(
            actor=actor, phenomenon=phenomenon, body=via, reason=data["text"]
        )
    elif data["kind"] == "working_group":
        services.working_group_name(actor=actor, phenomenon=phenomenon, body=via, text=data["text"])
    else:
        services.phenomenon_respond(actor=actor, phenomenon=phenomenon, body=via, text=data["text"])


@require_POST
def initiative_status(request: HttpRequest, pk: Any) -> HttpResponse:
    initiative = get_object_or_404(
        Initiative.objects.select_related("body", "phenomenon"),
        pk=pk,
        body__tenant_id=tenant_id_of(request),
    )
    if not initiative.body.has_member(request.user):
        raise Http404
    require_lead(request, initiative.body)
    form = InitiativeStatusForm(request.POST)
    if form.is_valid():
        services.initiative_set_status(
            actor=request.user, initiative=initiative, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Saved."))
    return redirect("observations:body", initiative.body_id)


# Leadership view ---------------------------------------------------------------------------


def _leadership_scope(request: HttpRequest) -> tuple[Any, set[Any] | None]:
    membership = require_permission(request, LEAD)
    tenant_id = tenant_id_of(request)
    if membership.role == Role.COORDINATOR:  # the coordinator follows every level
        return tenant_id, None
    return tenant_id, body_ids_of(request.user, tenant_id)


def leadership(request: HttpRequest) -> HttpResponse:
    tenant_id, body_ids = _leadership_scope(request)
    rows = selectors.leadership_rows(tenant_id, body_ids)
    return render(
        request,
        "observations/leadership.html",
        {
            "rows": rows,
            "waiting": selectors.open_by_level_and_area(rows),
            "bodies": selectors.my_bodies(request.user, tenant_id),
        },
    )


def leadership_export(request: HttpRequest, fmt: str) -> HttpResponse:
    tenant_id, body_ids = _leadership_scope(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    with transaction.atomic():
        rows = selectors.leadership_rows(tenant_id, body_ids)
        response = exports.leadership_export(rows, fmt)
        audit.record(
            request.user,
            "observations.leadership.exported",
            request=request,
            tenant_id=tenant_id,
            detail={"format": fmt},
        )
    return response


def agenda_pdf(request: HttpRequest, pk: Any) -> HttpResponse:
    body = get_body_for(request, pk)
    with transaction.atomic():
        pdf = exports.agenda_pdf(body)
        audit.record(
            request.user,
            "observations.leadership.exported",
            obj=body,
            request=request,
            tenant_id=body.tenant_id,
            detail={"format": "pdf"},
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="agenda.pdf"'
    return response
