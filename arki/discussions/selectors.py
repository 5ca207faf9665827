"""Reads of LT discussions."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import User
from arki.people.models import Child
from arki.people.selectors import my_children_and_cases

from .models import (
    ActionItem,
    ActionStatus,
    Discussion,
    DiscussionSession,
    DiscussionStatus,
    LogbookSection,
    LogbookTemplate,
    Observation,
    WorkingNote,
)

# A child's discussion state: the status of the child's newest discussion, or none yet.
NO_DISCUSSION = "none"
CHILD_STATES: list[tuple[str, Any]] = [
    (NO_DISCUSSION, _("no discussion yet")),
    *DiscussionStatus.choices,
]


def with_discussion_state(children: QuerySet[Child]) -> QuerySet[Child]:
    """``children`` annotated with ``discussion_state`` (``CHILD_STATES``): one correlated
    subquery per child on the index (child, offered_on), no rows multiplied."""
    newest = (
        Discussion.objects.filter(child_id=OuterRef("pk"))
        .order_by("-offered_on", "-created_at")
        .values("status")[:1]
    )
    return children.annotate(discussion_state=Coalesce(Subquery(newest), Value(NO_DISCUSSION)))


def discussion_state_counts(children: QuerySet[Child]) -> dict[str, int]:
    """How many of ``children`` are in each discussion state (every state, zeros too), in
    one grouped query."""
    rows = (
        with_discussion_state(children.order_by())
        .values("discussion_state")  # type: ignore[misc]  # an annotation, not a field
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys((value for value, _label in CHILD_STATES), 0)
    for row in rows:
        counts[row["discussion_state"]] = row["n"]
    return counts


def discussions_for_child(child: Child) -> QuerySet[Discussion]:
    """The child's discussions, newest first, with the fields the child page's panel shows
    (its unit's name, no lead, no session dates: each join and column costs ORM time)."""
    return (
        Discussion.objects.filter(child=child)
        .select_related("unit")
        .only("id", "offered_on", "status", "outcome", "unit__name")
        .order_by("-offered_on")
    )


def open_discussions_for_child(child: Any) -> QuerySet[Discussion]:
    """The child's open discussions (offered or accepted), with what the offer page shows."""
    return discussions_for_child(child).filter(
        status__in=[DiscussionStatus.OFFERED, DiscussionStatus.ACCEPTED]
    )


def _open_with_dates(lead: Any) -> QuerySet[Discussion]:
    """The lead's open discussions with their last session and the next review of an
    unfinished action, the first 50 by offer date."""
    unfinished = ~Q(action_items__status__in=[ActionStatus.DONE, ActionStatus.DROPPED])
    return (
        Discussion.objects.open()
        .filter(lead_id=lead)
        .only("id", "child_id", "status", "offered_on")
        .annotate(
            last_session=Max("sessions__held_on"),
            next_date=Min("action_items__review_on", filter=unfinished),
        )
        .order_by("offered_on")[:50]
    )


def my_open_discussions(user: User) -> list[Discussion]:
    """The worker's discussions that are not finished, with their next date (the fields the
    home page shows). One query: the last session and the next review of an unfinished action
    are a maximum and a minimum, which the join of both (sessions × actions) leaves as they
    are. The children (their names) are the request's ``my_children_and_cases``, which the
    home page reads anyway (joining them cost ~0.5 ms of query building); a child no longer on
    the lead's list is read in one more query."""

    discussions = list(_open_with_dates(user.pk))
    if not discussions:
        return discussions
    children = {child.pk: child for child in my_children_and_cases(user).children}
    missing = {d.child_id for d in discussions} - children.keys()
    if missing:
        children.update(
            (child.pk, child)
            for child in Child.objects.filter(pk__in=missing).only("id", "first_name", "last_name")
        )
    for discussion in discussions:
        discussion.child = children[discussion.child_id]
    return discussions


def discussion_for_child(child: Child, discussion_id: Any) -> Discussion | None:
    """The child's discussion, with the ``child`` given (already read by the access check,
    so not joined again); None when the child has no such discussion."""
    try:
        found = (
            Discussion.objects.filter(child_id=child.pk, pk=discussion_id)
            .select_related("template", "unit", "lead")
            .get()
        )
    except (Discussion.DoesNotExist, ValidationError, ValueError):
        return None  # no such discussion of this child (or not a UUID)
    found.child = child
    return found


def logbook_sections(template_id: Any) -> list[LogbookSection]:
    """The template's sections, each with ``guiding_questions``: two queries."""
    sections = list(
        LogbookSection.objects.filter(template_id=template_id).prefetch_related("questions")
    )
    for section in sections:
        section.guiding_questions = tuple(section.questions.all())  # type: ignore[attr-defined]
    return sections


def discussion_page(discussion: Discussion) -> dict[str, Any]:
    """Everything the discussion page shows, in a fixed number of queries (six, however many
    rows the discussion has)."""
    sections = logbook_sections(discussion.template_id)
    observations: dict[Any, dict[str, list[Observation]]] = defaultdict(
        lambda: {"strength": [], "vulnerability": []}
    )
    all_observations = list(Observation.objects.filter(discussion_id=discussion.pk))
    for obs in all_observations:
        obs.discussion = discussion
        observations[obs.section_id][obs.kind].append(obs)
    notes = {n.section_id: n for n in WorkingNote.objects.filter(discussion_id=discussion.pk)}
    for section in sections:
        section.strengths = observations[section.pk]["strength"]  # type: ignore[attr-defined]
        section.vulnerabilities = observations[section.pk]["vulnerability"]  # type: ignore[attr-defined]
        section.note = notes.get(section.pk)  # type: ignore[attr-defined]
    sessions = list(DiscussionSession.objects.filter(discussion_id=discussion.pk))
    actions = list(
        ActionItem.objects.filter(discussion_id=discussion.pk).select_related("owner_worker")
    )
    for note in notes.values():
        note.discussion = discussion
    for session in sessions:
        session.discussion = discussion
    for action in actions:
        action.discussion = discussion
    return {
        "sections": sections,
        "observations": all_observations,
        "sessions": sessions,
        "actions": _with_served(actions, all_observations),
    }


def _with_served(actions: list[ActionItem], observations: list[Observation]) -> list[ActionItem]:
    """Each item's ``serves`` from the discussion's observations already read (joining them
    again costs the ORM more than the lookup); one more query only for an item serving an
    observation of another discussion, which the services do not make."""
    by_pk = {o.pk: o for o in observations}
    missing = {a.serves_id for a in actions if a.serves_id and a.serves_id not in by_pk}
    if missing:
        by_pk.update(Observation.objects.in_bulk(missing))
    for a in actions:
        if a.serves_id in by_pk:
            a.serves = by_pk[a.serves_id]
    return actions


def plan_for_print(discussion: Discussion) -> dict[str, Any]:
    return {
        "actions": list(
            discussion.action_items.select_related(
                "owner_worker", "serves", "method"
            ).prefetch_related("method__texts")
        ),
        "strengths": list(
            discussion.observations.filter(kind="strength").select_related("section")
        ),
        "sessions": list(discussion.sessions.all()),
    }


def discussion_dates(tenant_id: Any) -> QuerySet:
    """Exportable dates without identifiers: offered, first session held, network meeting
    needed, per discussion with its unit (eVaka-style reporting)."""
    return (
        Discussion.objects.filter(tenant_id=tenant_id)
        .values(
            "id",
            "unit__name",
            "unit__sector",
            "unit__area__name",
            "offered_on",
            "network_meeting_needed_on",
            "status",
            "outcome",
        )
        .annotate(held_on=Min("sessions__held_on"))
        .order_by("offered_on", "id")
    )


def prefetch_plan(qs: QuerySet[Discussion]) -> QuerySet[Discussion]:
    return qs.prefetch_related(Prefetch("action_items", queryset=ActionItem.objects.all()))


def templates_available_to(tenant_id: Any) -> QuerySet[LogbookTemplate]:
    """The log book templates a discussion in the tenant may use."""
    return LogbookTemplate.objects.available_to(tenant_id)


def action_item_of(discussion: Discussion, pk: Any) -> ActionItem | None:
    """The discussion's action item as saved now (None once removed)."""
    return ActionItem.objects.filter(discussion=discussion, pk=pk).first()
