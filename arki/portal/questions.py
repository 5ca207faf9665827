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


def questions_for(respondent: str) -> list[tuple[str, Promise]]:
    return CHILD_QUESTIONS if respondent == "child" else PARENT_QUESTIONS
