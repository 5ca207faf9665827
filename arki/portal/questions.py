"""The preparation questions, in simple words. Kept in code so that the answers' keys stay
stable; the wording is translated."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PARENT_QUESTIONS: list[tuple[str, Promise]] = [
    ("going_well", _("What is going well in your child's everyday life?")),
    ("worries", _("What worries you?")),
    ("hopes", _("What do you hope for?")),
    ("worker_should_know", _("What should the worker know?")),
]

CHILD_QUESTIONS: list[tuple[str, Promise]] = [
    ("going_well", _("What is going well?")),
    ("hard", _("What is hard?")),
    ("wishes", _("What do I wish for?")),
]

# Before a network meeting: what the family hopes from it and who could help.
PARENT_MEETING_QUESTIONS: list[tuple[str, Promise]] = [
    ("hopes", _("What do we hope from the meeting?")),
    ("worries", _("What worries us?")),
    ("who_can_help", _("Who could help us, and how?")),
    ("going_well", _("What is going well?")),
    ("chair_should_know", _("What else should the chair of the meeting know?")),
]

CHILD_MEETING_QUESTIONS: list[tuple[str, Promise]] = [
    ("going_well", _("What is going well?")),
    ("hard", _("What is hard?")),
    ("who_helps", _("Who helps me? Who else could help?")),
    ("adults_should_know", _("What do I want the adults in the meeting to know?")),
    ("wishes", _("What do I wish for?")),
]


def questions_for(respondent: str, *, meeting: bool = False) -> list[tuple[str, Promise]]:
    """The questions for a guardian or the child, before a discussion (or in general) or
    before a network meeting."""
    if meeting:
        return CHILD_MEETING_QUESTIONS if respondent == "child" else PARENT_MEETING_QUESTIONS
    return CHILD_QUESTIONS if respondent == "child" else PARENT_QUESTIONS
