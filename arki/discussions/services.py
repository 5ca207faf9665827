"""Writes of the LT discussion. One transaction each, with its own audit event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import QualificationKind
from arki.audit import services as audit
from arki.core.concurrency import save_versioned
from arki.core.exceptions import (
    ConflictError,
    DomainError,
    InvalidTransitionError,
    NotQualifiedError,
)
from arki.core.registry import occasion_ended
from arki.methods.selectors import method_may_be_chosen
from arki.people.models import Child, RelationshipKind
from arki.people.services import relationship_start

from .models import (
    ActionItem,
    ActionStatus,
    Discussion,
    DiscussionSession,
    DiscussionStatus,
    LogbookQuestion,
    LogbookSection,
    LogbookTemplate,
    Observation,
    Outcome,
    OwnerKind,
    WorkingNote,
)


# -- log book templates ---------------------------------------------------------------------
@transaction.atomic
def logbook_import(*, data: dict[str, Any], tenant: Any = None) -> tuple[LogbookTemplate, bool]:
    """Create a template version from validated file data; the same version again is a no-op."""
    existing = LogbookTemplate.objects.filter(
        tenant=tenant, code=data["code"], version=data["version"], language=data["language"]
    ).first()
    if existing is not None:
        return existing, False
    template = LogbookTemplate.objects.create(
        tenant=tenant,
        code=data["code"],
        version=data["version"],
        language=data["language"],
        setting=data["setting"],
        age_min_months=data.get("age_min_months"),
        age_max_months=data.get("age_max_months"),
        child_present=data["child_present"],
        title=data["title"],
        introduction=data.get("introduction") or "",
        licence=data.get("licence") or "",
    )
    for order, section_data in enumerate(data["sections"], start=1):
        section = LogbookSection.objects.create(
            template=template,
            order=order,
            key=section_data["key"],
            environment=section_data["environment"],
            title=section_data["title"],
        )
        LogbookQuestion.objects.bulk_create(
            LogbookQuestion(section=section, order=n, text=text)
            for n, text in enumerate(section_data["questions"], start=1)
        )
    return template, True


def suggest_template(
    *,
    tenant_id: Any,
    unit: Any,
    child: Child,
    child_present: bool = False,
    language: str | Sequence[str] = "fi",
    on: date | None = None,
) -> LogbookTemplate | None:
    """The template for the unit's setting and the child's age; the tenant's own first, the
    latest version, in the requested language: the first of ``language`` (the family's, in
    order of preference) that has one, else Finnish."""
    preferred = [language] if isinstance(language, str) else list(language)
    candidates = list(LogbookTemplate.objects.available_to(tenant_id).filter(setting=unit.setting))
    age = child.age_in_months(on)

    def fits(t: LogbookTemplate) -> bool:
        if age is None:
            return t.age_min_months is None
        return (t.age_min_months is None or t.age_min_months <= age) and (
            t.age_max_months is None or age <= t.age_max_months
        )

    def rank(t: LogbookTemplate) -> tuple:
        version = tuple(int(p) if p.isdigit() else 0 for p in t.version.split("."))
        return (
            fits(t),
            t.child_present == child_present,
            -preferred.index(t.language) if t.language in preferred else -len(preferred),
            t.language == "fi",
            t.tenant_id is not None,
            version,
        )

    return max(candidates, key=rank, default=None)


# -- the discussion -------------------------------------------------------------------------
def _require_qualified(actor: Any) -> None:
    if not actor.has_qualification(QualificationKind.DISCUSSION):
        raise NotQualifiedError(_("Only a worker trained for the LT discussion can lead one."))


def _require_not_future(day: date, field: str, message: Any) -> None:
    if day > timezone.localdate():
        raise DomainError(message, field=field)


def _require_status(discussion: Discussion, *statuses: str) -> None:
    if discussion.status not in statuses:
        raise InvalidTransitionError()


def _record(actor: Any, code: str, discussion: Discussion, **kwargs: Any) -> None:
    audit.record(
        actor,
        code,
        subjects=[discussion.child],
        obj=discussion,
        basis=kwargs.pop("basis", "relationship:discussion_lead"),
        **kwargs,
    )


@transaction.atomic
def discussion_offer(
    *,
    actor: Any,
    child: Child,
    unit: Any,
    template: LogbookTemplate,
    offered_on: date,
    alongside_open: bool = False,
) -> Discussion:
    """Offer a discussion. While the child has an open one (offered or accepted), another is
    offered only when the worker confirms it (``alongside_open``), having seen the open one."""
    _require_qualified(actor)
    Child.objects.select_for_update().filter(pk=child.pk).first()  # one offer at a time
    if not alongside_open and Discussion.objects.open().filter(child=child).exists():
        raise DomainError(
            _(
                "The child already has an open LT discussion. Look at it first; offer another "
                "only if it is really needed, and confirm that."
            ),
            field="alongside_open",
        )
    if template.tenant_id not in (None, child.tenant_id):
        raise DomainError(_("That log book is not available here."), field="template")
    _require_not_future(
        offered_on, "offered_on", _("A discussion cannot be offered on a date in the future.")
    )
    discussion = Discussion.objects.create(
        tenant_id=child.tenant_id,
        child=child,
        unit=unit,
        lead=actor,
        template=template,
        offered_on=offered_on,
    )
    relationship_start(
        child=child, user=actor, kind=RelationshipKind.DISCUSSION_LEAD, source_id=discussion.pk
    )
    _record(actor, "discussions.discussion.offered", discussion)
    return discussion


def _require_answer_date(discussion: Discussion, responded_on: date) -> None:
    if responded_on < discussion.offered_on:
        raise DomainError(
            _("The family cannot answer before the discussion was offered."),
            field="responded_on",
        )
    _require_not_future(responded_on, "responded_on", _("The answer date cannot be in the future."))


@transaction.atomic
def discussion_accept(*, actor: Any, discussion: Discussion, responded_on: date) -> Discussion:
    _require_status(discussion, DiscussionStatus.OFFERED)
    _require_answer_date(discussion, responded_on)
    save_versioned(
        discussion,
        expected_version=None,
        status=DiscussionStatus.ACCEPTED,
        responded_on=responded_on,
    )
    _record(actor, "discussions.discussion.accepted", discussion)
    return discussion


@transaction.atomic
def discussion_decline(
    *, actor: Any, discussion: Discussion, responded_on: date, reason: str = ""
) -> Discussion:
    _require_status(discussion, DiscussionStatus.OFFERED)
    _require_answer_date(discussion, responded_on)
    save_versioned(
        discussion,
        expected_version=None,
        status=DiscussionStatus.DECLINED,
        responded_on=responded_on,
        decline_reason=reason,
    )
    _record(actor, "discussions.discussion.declined", discussion)
    return discussion


@transaction.atomic
def session_add(
    *,
    actor: Any,
    discussion: Discussion,
    held_on: date,
    participants: str = "",
    child_took_part: bool = False,
) -> DiscussionSession:
    _require_status(discussion, DiscussionStatus.ACCEPTED)
    Discussion.objects.select_for_update().filter(pk=discussion.pk).first()
    last = discussion.sessions.aggregate(n=Max("number"))["n"] or 0
    if last >= DiscussionSession.MAX_SESSIONS:
        raise DomainError(_("A discussion has at most three sessions."))
    if held_on < discussion.offered_on:
        raise DomainError(
            _("A session cannot be before the discussion was offered."), field="held_on"
        )
    if discussion.responded_on and held_on < discussion.responded_on:
        raise DomainError(
            _("A session cannot be before the family accepted the discussion."), field="held_on"
        )
    _require_not_future(held_on, "held_on", _("Record a session once it has been held."))
    session = DiscussionSession.objects.create(
        discussion=discussion,
        number=last + 1,
        held_on=held_on,
        participants=participants,
        child_took_part=child_took_part,
    )
    _record(actor, "discussions.discussion.session_added", discussion)
    return session


def _section_of(discussion: Discussion, section_id: Any) -> LogbookSection:
    section = LogbookSection.objects.filter(
        pk=section_id, template_id=discussion.template_id
    ).first()
    if section is None:
        raise DomainError(_("That section is not part of this log book."))
    return section


@transaction.atomic
def observation_add(
    *, actor: Any, discussion: Discussion, section_id: Any, kind: str, text: str
) -> Observation:
    _require_status(discussion, DiscussionStatus.ACCEPTED)
    section = _section_of(discussion, section_id)
    text = text.strip()
    if not text:
        raise DomainError(_("Write a few words first."))
    order = (discussion.observations.aggregate(n=Max("order"))["n"] or 0) + 1
    observation = Observation.objects.create(
        discussion=discussion, section=section, kind=kind, text=text[:500], order=order
    )
    _record(actor, "discussions.discussion.observation_added", discussion)
    return observation


@transaction.atomic
def observation_remove(*, actor: Any, observation: Observation) -> None:
    discussion = observation.discussion
    _require_status(discussion, DiscussionStatus.ACCEPTED)
    observation.delete()
    _record(actor, "discussions.discussion.observation_removed", discussion)


@transaction.atomic
def note_save(
    *,
    actor: Any,
    discussion: Discussion,
    section_id: Any,
    text: str,
    expected_version: int | None = None,
) -> WorkingNote:
    """Save one section's working notes. ``expected_version`` is the version the editor loaded
    (0 for notes not yet written); if someone saved in between, ConflictError and nothing is
    saved. None: the caller did not load the notes for editing (no check)."""
    _require_status(discussion, DiscussionStatus.ACCEPTED)
    section = _section_of(discussion, section_id)
    note = WorkingNote.objects.filter(discussion=discussion, section=section).first()
    if note is None:
        if expected_version:
            raise ConflictError()
        try:
            with transaction.atomic():
                note = WorkingNote.objects.create(discussion=discussion, section=section, text=text)
        except IntegrityError as exc:  # another editor wrote the first notes at the same moment
            raise ConflictError() from exc
    else:
        if expected_version == 0:
            raise ConflictError()  # written by someone else since the editor loaded the page
        save_versioned(note, expected_version=expected_version, text=text)
    _record(actor, "discussions.discussion.note_saved", discussion)
    return note


@transaction.atomic
def action_add(
    *,
    actor: Any,
    discussion: Discussion,
    what: str,
    owner_kind: str,
    owner_worker: Any = None,
    owner_name: str = "",
    serves: Observation | None = None,
    due_on: date | None = None,
    review_on: date | None = None,
    method: Any = None,
) -> ActionItem:
    """An item of the action plan; ``method``: a published method of the region's catalogue
    that the item uses (optional)."""
    _require_status(discussion, DiscussionStatus.ACCEPTED)
    if method is not None and not method_may_be_chosen(method, discussion.tenant_id):
        raise DomainError(
            _("Choose a published method of your region's catalogue."), field="method"
        )
    if serves is not None and serves.discussion_id != discussion.pk:
        raise DomainError(_("That strength or vulnerability is not part of this discussion."))
    if owner_kind == OwnerKind.WORKER and owner_worker is None and not owner_name:
        owner_worker = actor
    item = ActionItem.objects.create(
        discussion=discussion,
        what=what.strip()[:500],
        owner_kind=owner_kind,
        owner_worker=owner_worker,
        owner_name=owner_name,
        serves=serves,
        due_on=due_on,
        review_on=review_on,
        method=method,
    )
    _record(actor, "discussions.discussion.action_added", discussion)
    return item


@transaction.atomic
def action_update(
    *, actor: Any, item: ActionItem, status: str, expected_version: int | None = None
) -> ActionItem:
    """Change an item's status; with ``expected_version``, refused with ConflictError if
    someone changed the item since the editor loaded it."""
    if status not in ActionStatus.values:
        raise DomainError(_("Unknown status."))
    save_versioned(item, expected_version=expected_version, status=status)
    _record(actor, "discussions.discussion.action_updated", item.discussion)
    return item


@transaction.atomic
def action_remove(*, actor: Any, item: ActionItem, expected_version: int | None = None) -> None:
    """Remove an item; with ``expected_version``, refused with ConflictError if someone
    changed it since the editor loaded it (they may not want it gone any more)."""
    discussion = item.discussion
    _require_status(discussion, DiscussionStatus.ACCEPTED)
    rows = ActionItem.objects.filter(pk=item.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.delete()[0]:
        raise ConflictError()
    _record(actor, "discussions.discussion.action_removed", discussion)


@transaction.atomic
def summary_save(
    *,
    actor: Any,
    discussion: Discussion,
    expected_version: int,
    agreed_summary: str,
    keep_working_notes: bool,
) -> Discussion:
    """Refused with ConflictError if someone saved the discussion since it was loaded."""
    _require_status(discussion, DiscussionStatus.ACCEPTED, DiscussionStatus.CLOSED)
    save_versioned(
        discussion,
        expected_version=expected_version,
        agreed_summary=agreed_summary,
        keep_working_notes=keep_working_notes,
    )
    _record(actor, "discussions.discussion.summary_saved", discussion)
    return discussion


@transaction.atomic
def discussion_close(
    *,
    actor: Any,
    discussion: Discussion,
    expected_version: int,
    outcome: str,
    agreed_summary: str,
    keep_working_notes: bool,
    closed_on: date,
) -> Discussion:
    _require_status(discussion, DiscussionStatus.ACCEPTED)
    if not discussion.sessions.exists():
        raise DomainError(_("Record at least one session before closing the discussion."))
    if outcome not in Outcome.values:
        raise DomainError(_("Choose how the discussion ended."))
    if outcome == Outcome.PLAN_MADE and not discussion.action_items.exists():
        raise DomainError(_("Add at least one action plan item, or choose another outcome."))
    # Sessions are never before the offer (session_add), so the last one bounds both.
    last_session = discussion.sessions.aggregate(day=Max("held_on"))["day"]
    if closed_on < last_session:
        raise DomainError(
            _("A discussion cannot be closed before its last session (%(day)s).")
            % {"day": formats.date_format(last_session, "SHORT_DATE_FORMAT")},
            field="closed_on",
        )
    _require_not_future(
        closed_on, "closed_on", _("A discussion cannot be closed on a date in the future.")
    )
    save_versioned(
        discussion,
        expected_version=expected_version,
        status=DiscussionStatus.CLOSED,
        outcome=outcome,
        agreed_summary=agreed_summary,
        keep_working_notes=keep_working_notes,
        closed_on=closed_on,
        network_meeting_needed_on=closed_on if outcome == Outcome.NETWORK_MEETING_NEEDED else None,
    )
    _record(actor, "discussions.discussion.closed", discussion)
    occasion_ended(
        actor=actor,
        child=discussion.child,
        unit=discussion.unit,
        context_kind="discussion",
        source=discussion,
        on=closed_on,
    )
    return discussion


def working_notes_due(*, now: Any = None, retention_days: int | None = None, tenant_id: Any = None):
    """The discussions whose working notes are past the retention period: closed more than
    ``retention_days`` (by default ``ARKI_WORKING_NOTES_RETENTION_DAYS``) ago, the family did
    not choose to keep them, and not yet purged.

    Only a closing date that can be true starts the retention period: never one in the
    future (the cutoff is at most today), nor one before the discussion was offered or before
    its last session (such a row is left alone, its notes kept, until the date is corrected)."""
    now = now or timezone.now()
    if retention_days is None:
        retention_days = settings.ARKI_WORKING_NOTES_RETENTION_DAYS
    cutoff = timezone.localdate(now) - timedelta(days=max(retention_days, 0))
    due = Discussion.objects.filter(
        status=DiscussionStatus.CLOSED,
        closed_on__lte=cutoff,
        closed_on__gte=F("offered_on"),
        keep_working_notes=False,
        notes_purged_at__isnull=True,
    ).exclude(sessions__held_on__gt=F("closed_on"))
    if tenant_id is not None:
        due = due.filter(tenant_id=tenant_id)
    return due.select_related("child").order_by("closed_on", "pk")


def purge_working_notes(
    *, now: Any = None, retention_days: int | None = None, tenant_id: Any = None
) -> int:
    """Delete the family's working notes of the discussions ``working_notes_due`` lists.
    Idempotent; one audit event per discussion. Run by the retention job
    (``arki.operations.retention``, rule "working notes")."""
    now = now or timezone.now()
    due = working_notes_due(now=now, retention_days=retention_days, tenant_id=tenant_id)
    purged = 0
    for discussion in due.iterator():
        with transaction.atomic():
            count, _detail = WorkingNote.objects.filter(discussion=discussion).delete()
            Discussion.objects.filter(pk=discussion.pk).update(notes_purged_at=now)
            audit.record(
                None,
                "discussions.discussion.notes_purged",
                subjects=[discussion.child],
                obj=discussion,
                basis="retention",
                tenant_id=discussion.tenant_id,
                detail={"actor_label": "Arki", "notes": count},
            )
        purged += 1
    return purged
