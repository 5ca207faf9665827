"""Access helpers of the observations app: records are fetched only through these.

A team's observations are seen by the team's members (and its coordinator/facilitator pair); a
phenomenon is seen by its team and by every body it was sent or escalated to. Anyone else gets
404, so that nothing reveals that a team or a phenomenon exists.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from arki.accounts.access import current_membership, has_permission

from .models import Body, Phenomenon, TeamMeeting

WRITE = "observations.observation:write"
MANAGE = "observations.structure:manage"
LEAD = "observations.leadership:view"


def tenant_id_of(request: HttpRequest) -> Any:
    membership = current_membership(request.user)
    if membership is None:
        raise PermissionDenied
    return membership.tenant_id


def _get(queryset: Any, pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def can_manage(request: HttpRequest) -> bool:
    return has_permission(request.user, MANAGE)


def get_body_for(request: HttpRequest, pk: Any) -> Body:
    """A body the user sits in (a member, its coordinator or facilitator); 404 otherwise, also
    for the structure's managers: managing who sits where does not open a team's
    observations."""
    tenant_id = tenant_id_of(request)
    body: Body = _get(Body.objects.in_tenant(tenant_id).select_related("level", "parent"), pk)
    if not body.has_member(request.user):
        raise Http404
    return body


def get_body_to_manage(request: HttpRequest, pk: Any) -> Body:
    """Any body of the tenant, for those who manage the structure (403 for others)."""
    if not can_manage(request):
        raise PermissionDenied
    tenant_id = tenant_id_of(request)
    return _get(Body.objects.in_tenant(tenant_id).select_related("level", "parent"), pk)  # type: ignore[no-any-return]


def require_lead(request: HttpRequest, body: Body) -> None:
    """Running a team's meeting or a group's decisions: its coordinator/facilitator pair."""
    if not body.leads(request.user):
        raise PermissionDenied


def body_ids_of(user: Any, tenant_id: Any) -> set[Any]:
    return set(Body.objects.in_tenant(tenant_id).of_user(user).values_list("pk", flat=True))


def get_phenomenon_for(request: HttpRequest, pk: Any) -> tuple[Phenomenon, Body]:
    """The phenomenon and the body through which the user sees it (their team, or a group it
    reached); 404 for everyone else."""
    tenant_id = tenant_id_of(request)
    phenomenon: Phenomenon = _get(
        Phenomenon.objects.filter(tenant_id=tenant_id).select_related(
            "team", "current_body", "current_body__level", "current_body__parent"
        ),
        pk,
    )
    mine = body_ids_of(request.user, tenant_id)
    if phenomenon.current_body_id in mine:
        return phenomenon, phenomenon.current_body
    if phenomenon.team_id in mine:
        return phenomenon, phenomenon.team
    reached = set(phenomenon.events.exclude(to_body=None).values_list("to_body_id", flat=True))
    for body_id in reached & mine:
        return phenomenon, Body.objects.get(pk=body_id)
    raise Http404


def get_meeting_for(request: HttpRequest, pk: Any) -> TeamMeeting:
    tenant_id = tenant_id_of(request)
    meeting: TeamMeeting = _get(
        TeamMeeting.objects.filter(team__tenant_id=tenant_id).select_related("team"), pk
    )
    if not meeting.team.has_member(request.user):
        raise Http404
    return meeting
