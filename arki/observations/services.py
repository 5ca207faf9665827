"""Writes of the observations app. Each is one transaction and writes its own audit event.

No observation or phenomenon names a person; the audit events name the team, the observation or
the phenomenon as their object.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.methods.selectors import method_may_be_chosen
from arki.notifications.services import enqueue_email

from . import pii, selectors
from .grouping import get_embedder
from .models import (
    TEXT_MAX,
    Body,
    BodyMember,
    EventKind,
    Initiative,
    Level,
    Observation,
    Phenomenon,
    PhenomenonEvent,
    PhenomenonStatus,
    TeamMeeting,
    TenantObservationSettings,
)


class ObservationError(DomainError):
    pass


class PersonalDataError(ObservationError):
    """The text looks like it holds personal data; ``findings`` says what."""

    def __init__(self, findings: list[pii.Finding]) -> None:
        self.findings = findings
        kinds = ", ".join(dict.fromkeys(str(f.label) for f in findings))
        super().__init__(
            _(
                "Observations are about phenomena, not persons. Remove %(kinds)s from the text "
                "(%(found)s) and save again."
            )
            % {"kinds": kinds, "found": ", ".join(f.text for f in findings)}
        )


def check_personal_data(*, tenant_id: Any, text: str) -> None:
    """Raise ``PersonalDataError`` when ``text`` holds personal data."""
    findings = pii.find_personal_data(text, child_names=pii.tenant_child_names(tenant_id))
    if findings:
        raise PersonalDataError(findings)


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ObservationError(_("Write the observation."))
    if len(text) > TEXT_MAX:
        raise ObservationError(_("Keep it short: at most %(max)d characters.") % {"max": TEXT_MAX})
    return text


# Structure -------------------------------------------------------------------------------


@transaction.atomic
def level_save(
    *, actor: Any, tenant: Any, name: str, rank: int, level: Level | None = None
) -> Level:
    clash = Level.objects.filter(tenant=tenant, rank=rank)
    if level is not None:
        clash = clash.exclude(pk=level.pk)
    if clash.exists():
        raise ObservationError(_("Another level already has this rank."))
    if level is None:
        level = Level(tenant=tenant)
    level.name, level.rank = name, rank
    level.save()
    audit.record(actor, "observations.structure.saved", obj=level, tenant_id=tenant.pk)
    return level


@transaction.atomic
def body_save(*, actor: Any, tenant: Any, body: Body | None = None, **fields: Any) -> Body:
    parent = fields.get("parent")
    level = fields["level"]
    if parent is not None and parent.level.rank <= level.rank:
        raise ObservationError(_("A body reports to a body at a higher level."))
    if body is None:
        body = Body(tenant=tenant)
    for name, value in fields.items():
        setattr(body, name, value)
    body.save()
    audit.record(actor, "observations.structure.saved", obj=body, tenant_id=tenant.pk)
    return body


@transaction.atomic
def member_add(
    *,
    actor: Any,
    body: Body,
    user: Any = None,
    name: str = "",
    organisation: str = "",
    sector: str,
) -> BodyMember:
    if user is None and not name.strip():
        raise ObservationError(_("Choose a staff user or write the member's name."))
    if user is not None and body.members.filter(user=user).exists():
        raise ObservationError(_("This person is already a member."))
    member = BodyMember.objects.create(
        body=body, user=user, name=name.strip(), organisation=organisation, sector=sector
    )
    audit.record(actor, "observations.member.added", obj=body, tenant_id=body.tenant_id)
    return member


@transaction.atomic
def member_remove(*, actor: Any, member: BodyMember) -> None:
    body = member.body
    member.delete()
    audit.record(actor, "observations.member.removed", obj=body, tenant_id=body.tenant_id)


@transaction.atomic
def settings_save(*, actor: Any, tenant: Any, show_writer: bool) -> TenantObservationSettings:
    row, _created = TenantObservationSettings.objects.get_or_create(tenant=tenant)
    row.show_writer = show_writer
    row.save()
    audit.record(actor, "observations.settings.saved", obj=row, tenant_id=tenant.pk)
    return row


# Observations ----------------------------------------------------------------------------


def embed_observations(observations: Sequence[Observation]) -> None:
    """Compute and store the vectors of a stored-embedding method (the default model)."""
    embedder = get_embedder()
    if not embedder.stored or not observations:
        return
    vectors = embedder.embed([o.text for o in observations]).astype(np.float32)
    for observation, vector in zip(observations, vectors, strict=True):
        observation.embedding = vector.tobytes()
        observation.embedding_model = embedder.name
    Observation.objects.bulk_update(observations, ["embedding", "embedding_model"])


@transaction.atomic
def observation_create(
    *,
    actor: Any,
    team: Body,
    text: str,
    area: Any = None,
    age_group: str = "",
    setting: str = "",
    tags: str = "",
    from_body: Body | None = None,
    embed: bool = True,
) -> Observation:
    """Save an observation after the personal-data check. ``embed=False`` (bulk loads) leaves
    the vector to be computed and stored the first time the team's observations are grouped."""
    text = _clean_text(text)
    check_personal_data(tenant_id=team.tenant_id, text=text)
    observation = Observation.objects.create(
        tenant_id=team.tenant_id,
        team=team,
        author=actor,
        text=text,
        area=area,
        age_group=age_group,
        setting=setting,
        tags=tags.strip(),
        from_body=from_body,
    )
    if embed:
        embed_observations([observation])
    audit.record(
        actor, "observations.observation.created", obj=observation, tenant_id=team.tenant_id
    )
    return observation


@transaction.atomic
def observation_post_down(
    *, actor: Any, from_body: Body, teams: Iterable[Body], text: str
) -> list[Observation]:
    """A leadership group's own observation or question, posted to one or more teams."""
    text = _clean_text(text)
    check_personal_data(tenant_id=from_body.tenant_id, text=text)
    rows = [
        Observation.objects.create(
            tenant_id=from_body.tenant_id, team=team, author=actor, text=text, from_body=from_body
        )
        for team in teams
    ]
    if not rows:
        raise ObservationError(_("Choose at least one team."))
    embed_observations(rows)
    audit.record(
        actor, "observations.observation.posted_down", obj=from_body, tenant_id=from_body.tenant_id
    )
    return rows


# Team meetings and phenomena ---------------------------------------------------------------


@transaction.atomic
def meeting_open(
    *,
    actor: Any,
    team: Body,
    held_on: date,
    agenda: str = "",
    attendees: Iterable[Any] = (),
    other_attendees: str = "",
) -> TeamMeeting:
    meeting = TeamMeeting.objects.create(
        team=team,
        held_on=held_on,
        agenda=agenda,
        other_attendees=other_attendees,
        opened_by=actor,
    )
    meeting.attendees.set(list(attendees))
    audit.record(actor, "observations.meeting.opened", obj=meeting, tenant_id=team.tenant_id)
    return meeting


@transaction.atomic
def meeting_close(*, actor: Any, meeting: TeamMeeting) -> TeamMeeting:
    if meeting.closed_at is not None:
        raise ObservationError(_("The meeting is already closed."))
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["closed_at", "updated_at"])
    audit.record(
        actor, "observations.meeting.closed", obj=meeting, tenant_id=meeting.team.tenant_id
    )
    return meeting


def _event(
    phenomenon: Phenomenon,
    *,
    actor: Any,
    body: Body,
    kind: str,
    text: str = "",
    to_body: Body | None = None,
    meeting: TeamMeeting | None = None,
    **detail: Any,
) -> PhenomenonEvent:
    return PhenomenonEvent.objects.create(
        phenomenon=phenomenon,
        actor=actor,
        body=body,
        kind=kind,
        text=text,
        to_body=to_body,
        meeting=meeting,
        detail=detail,
    )


def _team_observations(team: Body, observations: Iterable[Observation]) -> list[Observation]:
    rows = list(observations)
    if any(o.team_id != team.pk for o in rows):
        raise ObservationError(_("Only the team's own observations can be grouped."))
    return rows


@transaction.atomic
def phenomenon_create(
    *,
    actor: Any,
    team: Body,
    title: str,
    description: str = "",
    observations: Iterable[Observation] = (),
    meeting: TeamMeeting | None = None,
) -> Phenomenon:
    if not title.strip():
        raise ObservationError(_("Give the phenomenon a name."))
    rows = _team_observations(team, observations)
    phenomenon = Phenomenon.objects.create(
        tenant_id=team.tenant_id,
        team=team,
        current_body=team,
        title=title.strip(),
        description=description,
    )
    Observation.objects.filter(pk__in=[o.pk for o in rows]).update(phenomenon=phenomenon)
    _event(
        phenomenon,
        actor=actor,
        body=team,
        kind=EventKind.CREATED,
        meeting=meeting,
        text=title.strip(),
        count=len(rows),
    )
    audit.record(actor, "observations.phenomenon.created", obj=phenomenon, tenant_id=team.tenant_id)
    return phenomenon


@transaction.atomic
def phenomenon_add_observations(
    *,
    actor: Any,
    phenomenon: Phenomenon,
    observations: Iterable[Observation],
    meeting: TeamMeeting | None = None,
) -> Phenomenon:
    _require_live(phenomenon)
    rows = _team_observations(phenomenon.team, observations)
    if not rows:
        raise ObservationError(_("Choose at least one observation."))
    Observation.objects.filter(pk__in=[o.pk for o in rows]).update(phenomenon=phenomenon)
    _event(
        phenomenon,
        actor=actor,
        body=phenomenon.team,
        kind=EventKind.OBSERVATIONS,
        meeting=meeting,
        count=len(rows),
    )
    audit.record(
        actor,
        "observations.phenomenon.observations_added",
        obj=phenomenon,
        tenant_id=phenomenon.tenant_id,
    )
    return phenomenon


def _require_live(phenomenon: Phenomenon) -> None:
    if phenomenon.merged_into_id is not None:
        raise ObservationError(_("This phenomenon was merged into another one."))


@transaction.atomic
def phenomenon_rename(
    *,
    actor: Any,
    phenomenon: Phenomenon,
    title: str,
    description: str,
    meeting: TeamMeeting | None = None,
) -> Phenomenon:
    _require_live(phenomenon)
    if not title.strip():
        raise ObservationError(_("Give the phenomenon a name."))
    old = phenomenon.title
    phenomenon.title, phenomenon.description = title.strip(), description
    phenomenon.save(update_fields=["title", "description", "updated_at"])
    _event(
        phenomenon,
        actor=actor,
        body=phenomenon.team,
        kind=EventKind.RENAMED,
        meeting=meeting,
        text=phenomenon.title,
        old=old,
    )
    audit.record(
        actor, "observations.phenomenon.renamed", obj=phenomenon, tenant_id=phenomenon.tenant_id
    )
    return phenomenon


@transaction.atomic
def phenomenon_merge(
    *, actor: Any, source: Phenomenon, target: Phenomenon, meeting: TeamMeeting | None = None
) -> Phenomenon:
    source = Phenomenon.objects.select_for_update().get(pk=source.pk)
    if source.merged_into_id is not None:
        raise ObservationError(_("This phenomenon was already merged into another one."))
    if source.pk == target.pk:
        raise ObservationError(_("A phenomenon cannot be merged into itself."))
    _require_live(target)
    if source.team_id != target.team_id:
        raise ObservationError(_("Only the same team's phenomena can be merged."))
    if source.status != PhenomenonStatus.OPEN:
        raise ObservationError(_("A phenomenon sent to leadership cannot be merged."))
    moved = source.observations.update(phenomenon=target)
    source.merged_into = target
    source.status = PhenomenonStatus.CLOSED
    source.save(update_fields=["merged_into", "status", "updated_at"])
    _event(
        target,
        actor=actor,
        body=target.team,
        kind=EventKind.MERGED,
        meeting=meeting,
        text=source.title,
        count=moved,
    )
    _event(
        source,
        actor=actor,
        body=source.team,
        kind=EventKind.MERGED,
        meeting=meeting,
        text=target.title,
    )
    audit.record(actor, "observations.phenomenon.merged", obj=target, tenant_id=target.tenant_id)
    return target


@transaction.atomic
def phenomenon_split(
    *,
    actor: Any,
    phenomenon: Phenomenon,
    observations: Iterable[Observation],
    title: str,
    meeting: TeamMeeting | None = None,
) -> Phenomenon:
    _require_live(phenomenon)
    rows = [o for o in observations if o.phenomenon_id == phenomenon.pk]
    if not rows:
        raise ObservationError(_("Choose the observations to split off."))
    new = phenomenon_create(
        actor=actor, team=phenomenon.team, title=title, observations=rows, meeting=meeting
    )
    _event(
        phenomenon,
        actor=actor,
        body=phenomenon.team,
        kind=EventKind.SPLIT,
        meeting=meeting,
        text=new.title,
        count=len(rows),
    )
    return new


# Leadership --------------------------------------------------------------------------------


def _feed_back(phenomenon: Phenomenon, event: PhenomenonEvent) -> None:
    """Tell the team that raised the phenomenon what was decided (email through the outbox)."""
    team = phenomenon.team
    users: set[Any] = {m.user for m in team.members.select_related("user") if m.user is not None}
    users |= {u for u in (team.coordinator, team.facilitator) if u is not None}
    for user in sorted(users, key=lambda u: u.email):
        if not user.email or not user.is_active:
            continue
        language = user.preferred_language or "fi"
        with override(language):
            subject = str(_("What happened to our observations: %(title)s")) % {
                "title": phenomenon.title
            }
            body = str(
                _("%(body)s: %(step)s on %(date)s.\n\n%(text)s\n\nSee the team's page in Arki.")
            ) % {
                "body": event.body.name,
                "step": event.get_kind_display(),
                "date": timezone.localdate(event.created_at).isoformat(),
                "text": event.text,
            }
        enqueue_email(
            to=user.email,
            subject=subject,
            body_text=body,
            tenant_id=phenomenon.tenant_id,
            kind="observations.feedback",
            language=language,
            related_object=phenomenon,
            dedupe_key=f"observations.feedback:{event.pk}:{user.pk}",
        )


def _require_at(phenomenon: Phenomenon, body: Body) -> None:
    _require_live(phenomenon)
    if phenomenon.current_body_id != body.pk:
        raise ObservationError(_("This phenomenon is not with this group now."))


@transaction.atomic
def phenomenon_send(
    *, actor: Any, phenomenon: Phenomenon, indicators: Sequence[str] = (), text: str = ""
) -> Phenomenon:
    _require_live(phenomenon)
    team = phenomenon.team
    if phenomenon.current_body_id != team.pk or phenomenon.status != PhenomenonStatus.OPEN:
        raise ObservationError(_("This phenomenon was already sent."))
    if team.parent is None:
        raise ObservationError(
            _("The team reports to no leadership group. Set it in the team's details.")
        )
    count = phenomenon.observations.count()
    phenomenon.current_body = team.parent
    phenomenon.status = PhenomenonStatus.SENT
    phenomenon.indicators = list(indicators)
    phenomenon.sent_at = timezone.now()
    phenomenon.save()
    _event(
        phenomenon,
        actor=actor,
        body=team,
        to_body=team.parent,
        kind=EventKind.SENT,
        text=text,
        count=count,
        trend=selectors.trend(phenomenon),
        indicators=list(indicators),
    )
    audit.record(
        actor, "observations.phenomenon.sent", obj=phenomenon, tenant_id=phenomenon.tenant_id
    )
    return phenomenon


def _decide(
    phenomenon: Phenomenon, *, actor: Any, body: Body, kind: str, text: str, **detail: Any
) -> PhenomenonEvent:
    _require_at(phenomenon, body)
    event = _event(phenomenon, actor=actor, body=body, kind=kind, text=text, **detail)
    if phenomenon.first_response_at is None:
        phenomenon.first_response_at = event.created_at
    if kind != EventKind.ESCALATED:
        phenomenon.status = PhenomenonStatus.DECIDED
    phenomenon.save()
    _feed_back(phenomenon, event)
    return event


@transaction.atomic
def phenomenon_respond(
    *, actor: Any, phenomenon: Phenomenon, body: Body, text: str
) -> PhenomenonEvent:
    if not text.strip():
        raise ObservationError(_("Write the response."))
    event = _decide(phenomenon, actor=actor, body=body, kind=EventKind.RESPONSE, text=text.strip())
    audit.record(
        actor, "observations.phenomenon.responded", obj=phenomenon, tenant_id=phenomenon.tenant_id
    )
    return event


@transaction.atomic
def working_group_name(
    *, actor: Any, phenomenon: Phenomenon, body: Body, text: str
) -> PhenomenonEvent:
    if not text.strip():
        raise ObservationError(_("Name the working group and its members."))
    event = _decide(
        phenomenon, actor=actor, body=body, kind=EventKind.WORKING_GROUP, text=text.strip()
    )
    audit.record(
        actor,
        "observations.phenomenon.working_group",
        obj=phenomenon,
        tenant_id=phenomenon.tenant_id,
    )
    return event


@transaction.atomic
def initiative_create(
    *,
    actor: Any,
    phenomenon: Phenomenon,
    body: Body,
    what: str,
    why: str,
    who: str,
    due_on: date,
    methods: Any = (),
) -> Initiative:
    """An initiative decided jointly; ``methods``: published methods of the region's catalogue
    that it will use (optional)."""
    _require_at(phenomenon, body)
    methods = list(methods)
    if any(not method_may_be_chosen(m, phenomenon.tenant_id) for m in methods):
        raise DomainError(_("Choose a published method of your region's catalogue."))
    initiative = Initiative.objects.create(
        phenomenon=phenomenon, body=body, what=what, why=why, who=who, due_on=due_on
    )
    initiative.methods.set(methods)
    _decide(
        phenomenon,
        actor=actor,
        body=body,
        kind=EventKind.INITIATIVE,
        text=f"{what}\n{why}\n{who}, {due_on.isoformat()}",
        initiative=str(initiative.pk),
    )
    audit.record(
        actor, "observations.initiative.created", obj=phenomenon, tenant_id=phenomenon.tenant_id
    )
    return initiative


@transaction.atomic
def initiative_set_status(*, actor: Any, initiative: Initiative, status: str) -> Initiative:
    """An initiative's progress is an outcome the team hears about too."""
    if status == initiative.status:
        return initiative
    initiative.status = status
    initiative.save(update_fields=["status", "updated_at"])
    phenomenon = initiative.phenomenon
    event = _event(
        phenomenon,
        actor=actor,
        body=initiative.body,
        kind=EventKind.INITIATIVE_STATUS,
        text=f"{initiative.what}: {initiative.get_status_display()}",
        initiative=str(initiative.pk),
        status=status,
    )
    _feed_back(phenomenon, event)
    audit.record(
        actor, "observations.initiative.updated", obj=phenomenon, tenant_id=phenomenon.tenant_id
    )
    return initiative


@transaction.atomic
def phenomenon_escalate(
    *, actor: Any, phenomenon: Phenomenon, body: Body, reason: str
) -> Phenomenon:
    if not reason.strip():
        raise ObservationError(_("Write why the phenomenon goes to the next level."))
    _require_at(phenomenon, body)
    if body.level.next_level() is None:
        raise ObservationError(
            _("%(level)s is the top level: there is no level to escalate to.")
            % {"level": body.level.name}
        )
    if body.parent is None:
        raise ObservationError(_("This group reports to no body at the next level."))
    target = body.parent
    _decide(
        phenomenon,
        actor=actor,
        body=body,
        kind=EventKind.ESCALATED,
        text=reason.strip(),
        to_body=target,
    )
    phenomenon.current_body = target
    phenomenon.status = PhenomenonStatus.SENT
    phenomenon.save(update_fields=["current_body", "status", "updated_at"])
    audit.record(
        actor, "observations.phenomenon.escalated", obj=phenomenon, tenant_id=phenomenon.tenant_id
    )
    return phenomenon
