"""Family feedback: versioned, translatable question sets, single-use links and anonymous
answers.

Anonymity by construction: a link knows only coarse context (tenant, unit and its area, sector,
log book setting, month, context kind, language), never the family, child, guardian or the
discussion/meeting it followed. An answer does not point to its link and carries no timestamp,
so nothing leads from an answer back to a family.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from arki.organisations.models import Area, Sector, Setting, Tenant, Unit

LANGUAGES = ("fi", "sv", "en", "da")


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("yes / partly / no / can't say")
    TEXT = "text", _("free text")


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    CANT_SAY = "cant_say", _("Can't say")


class ContextKind(models.TextChoices):
    DISCUSSION = "discussion", _("LT discussion")
    MEETING = "meeting", _("network meeting")


class QuestionSetQuerySet(models.QuerySet["QuestionSet"]):
    def current_for(self, tenant: Tenant | None) -> QuestionSet | None:
        """The tenant's newest active version, else the shipped default."""
        own = self.filter(tenant=tenant, is_active=True).order_by("-version").first()
        if own is not None:
            return own
        return self.filter(tenant__isnull=True, is_active=True).order_by("-version").first()


class QuestionSet(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"))
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = QuestionSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback question set")
        verbose_name_plural = _("feedback question sets")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "version"], name="feedback_questionset_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant or '-'} v{self.version}"


class Question(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    texts = models.JSONField(_("texts"), default=dict)  # {"fi": "...", "sv": ..., ...}

    class Meta:
        verbose_name = _("feedback question")
        verbose_name_plural = _("feedback questions")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "key"], name="feedback_question_key")
        ]

    def __str__(self) -> str:
        return self.text()

    def text(self, language: str | None = None) -> str:
        language = language or translation.get_language() or "fi"
        return self.texts.get(language[:2]) or self.texts.get("fi") or self.texts.get("en") or ""


class FeedbackLink(models.Model):
    """A single-use invitation to answer. Only the hash of the token is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    context_kind = models.CharField(_("context"), max_length=20, choices=ContextKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    period = models.DateField(_("month"))  # always the first day of the month
    language = models.CharField(_("language"), max_length=5)
    expires_on = models.DateField(_("expires on"))
    is_spent = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("feedback link")
        verbose_name_plural = _("feedback links")

    def __str__(self) -> str:
        return f"{self.get_context_kind_display()} · {self.period:%m/%Y}"


class FeedbackResponse(models.Model):
    """One family's answers, with only coarse context: no link, no time, no person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    context_kind = models.CharField(_("context"), max_length=20, choices=ContextKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    period = models.DateField(_("month"))
    language = models.CharField(_("language"), max_length=5)

    class Meta:
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")

    def __str__(self) -> str:
        return f"{self.get_context_kind_display()} · {self.period:%m/%Y}"


class FeedbackAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(_("answer"), max_length=10, choices=Choice.choices, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")

    def __str__(self) -> str:
        return self.choice or "…"
