"""The open catalogue of evidence-based methods: what to use, how good the evidence is.

A method is edited as a working copy (``Method`` with its ``MethodText`` per language, its
references and its inclusion check) and published as numbered, immutable versions
(``MethodVersion.snapshot``). The public pages read only published snapshots, so a draft never
leaks and every published version stays citable.

The evaluation follows Kasvun tuki's handbook as data: the appraisal areas
(``AppraisalArea``) and the levels of the cumulative evidence scale (``EvidenceLevel``, each with
the area scores it requires) are rows, seeded by a migration and editable by a region; the code
only applies them. Ratings from other registries (``RatingRegistry``) are kept on each registry's
own scale, never converted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel
from arki.organisations.models import Tenant

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def localized(texts: dict[str, Any], language: str | None = None) -> Any:
    """The value in ``language`` (default: the active one), else Finnish, else any."""
    language = (language or get_language() or "fi")[:2]
    return texts.get(language) or texts.get("fi") or next(iter(texts.values()), "")


class MethodStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class TargetGroup(models.TextChoices):
    CHILD = "child", _("child")
    PARENTS = "parents", _("parents")
    FAMILY = "family", _("family")
    GROUP = "group", _("group")
    PROFESSIONALS = "professionals", _("professionals")


class MethodSetting(models.TextChoices):
    ECEC = "ecec", _("early childhood education")
    SCHOOL = "school", _("school")
    HEALTH = "health", _("health services")
    SOCIAL = "social", _("social services")
    FAMILY_WORK = "family_work", _("family work")
    NGO = "ngo", _("NGO")


# Kasvun tuki's five inclusion criteria: a method that fails one is not published.
INCLUSION_CRITERIA: list[tuple[str, Any]] = [
    ("inclusion_goal", _("The method has a stated goal.")),
    (
        "inclusion_under_18",
        _("Its target group is children or young people under 18 or their families."),
    ),
    ("inclusion_theory", _("It rests on a scientific theory.")),
    ("inclusion_training", _("Training is available in Finnish, Swedish or English.")),
    (
        "inclusion_ethics",
        _("It follows ethical values (the rights and dignity of the child and the family)."),
    ),
]


class AppraisalArea(BaseModel):
    """An area the reviewers score (description, theory, effectiveness, implementation)."""

    code = models.SlugField(_("code"), unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    names = models.JSONField(_("names"), default=dict, help_text=_("Name per language code."))
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=3)

    class Meta:
        verbose_name = _("appraisal area")
        verbose_name_plural = _("appraisal areas")
        ordering = ["order"]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def name(self) -> str:
        return localized(self.names) or self.code


class EvidenceLevel(BaseModel):
    """A level of the evidence scale. Cumulative levels (``rank`` > 0) require every lower
    cumulative level's scores too; "no effect" and "negative effects" stand outside the ladder
    (``rank`` 0) and require only their own scores."""

    code = models.SlugField(_("code"), unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    names = models.JSONField(_("names"), default=dict)
    requires = models.JSONField(
        _("required scores"), default=dict, help_text=_("Lowest score per appraisal area code.")
    )

    class Meta:
        verbose_name = _("evidence level")
        verbose_name_plural = _("evidence levels")
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def name(self) -> str:
        return localized(self.names) or self.code

    @property
    def is_cumulative(self) -> bool:
        return self.rank > 0


class RatingRegistry(BaseModel):
    """Another registry's scale (CEBC, Blueprints, EIF...): its own values, in its own order."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"), blank=True)
    scale = models.JSONField(_("scale"), default=list, help_text=_("The registry's own values."))

    class Meta:
        verbose_name = _("rating registry")
        verbose_name_plural = _("rating registries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MethodQuerySet(models.QuerySet["Method"]):
    def in_tenant(self, tenant_id: Any) -> MethodQuerySet:
        return self.filter(tenant_id=tenant_id)

    def public(self) -> MethodQuerySet:
        """Methods with a published version that are not archived (the public pages show the
        latest published version, also while its next version is being edited)."""
        return self.filter(published_version__gt=0).exclude(status=MethodStatus.ARCHIVED)


class Method(BaseModel):
    """The working copy of a method, edited by the catalogue's editors."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="methods")
    slug = models.SlugField(_("address name"), max_length=80)
    status = models.CharField(
        _("status"), max_length=12, choices=MethodStatus.choices, default=MethodStatus.DRAFT
    )
    age_min = models.PositiveSmallIntegerField(_("youngest age (years)"), default=0)
    age_max = models.PositiveSmallIntegerField(_("oldest age (years)"), default=17)
    target_groups = models.JSONField(_("for whom"), default=list, blank=True)
    service_settings = models.JSONField(_("settings"), default=list, blank=True)
    sessions = models.PositiveSmallIntegerField(_("number of sessions"), null=True, blank=True)
    duration = models.CharField(_("duration"), max_length=200, blank=True)
    training_provider = models.CharField(_("training provider"), max_length=200, blank=True)
    training_length = models.CharField(_("length of training"), max_length=200, blank=True)
    training_languages = models.JSONField(_("training languages"), default=list, blank=True)
    training_prerequisites = models.TextField(_("prerequisites for training"), blank=True)
    trainer_network = models.BooleanField(_("a trainer network exists"), default=False)
    tags = models.JSONField(_("phenomena and tags"), default=list, blank=True)
    inclusion_goal = models.BooleanField(_("stated goal"), default=False)
    inclusion_under_18 = models.BooleanField(_("target group under 18"), default=False)
    inclusion_theory = models.BooleanField(_("scientific theory"), default=False)
    inclusion_training = models.BooleanField(
        _("training in Finnish, Swedish or English"), default=False
    )
    inclusion_ethics = models.BooleanField(_("ethical values"), default=False)
    inclusion_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    inclusion_checked_at = models.DateTimeField(_("inclusion checked"), null=True, blank=True)
    evidence_level = models.ForeignKey(
        EvidenceLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="methods"
    )
    published_version = models.PositiveIntegerField(_("published version"), default=0)

    objects = MethodQuerySet.as_manager()

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__lte=models.F("age_max")), name="method_age_range"
            ),
            models.UniqueConstraint(fields=["tenant", "slug"], name="method_slug_per_tenant"),
        ]

    def __str__(self) -> str:
        return self.name

    def text_for(self, language: str | None = None) -> MethodText | None:
        texts = {text.language: text for text in self.texts.all()}
        return localized(texts, language) or None

    @property
    def name(self) -> str:
        text = self.text_for()
        return text.name if text else self.slug

    def inclusion_failures(self) -> list[Any]:
        return [label for field, label in INCLUSION_CRITERIA if not getattr(self, field)]


class MethodText(BaseModel):
    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("short description"))
    goal = models.TextField(_("goal"), blank=True)
    theory = models.TextField(_("theory it rests on"), blank=True)
    delivery = models.TextField(_("how it is done and who may run it"), blank=True)
    costs = models.TextField(_("costs"), blank=True)
    ethics = models.TextField(_("ethical notes"), blank=True)

    class Meta:
        verbose_name = _("method text")
        verbose_name_plural = _("method texts")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["method", "language"], name="method_text_language")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class Reference(BaseModel):
    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="references")
    citation = models.TextField(_("reference"))
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    url = models.URLField(_("address"), blank=True)

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.citation[:80]


class ExternalRating(BaseModel):
    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="ratings")
    registry = models.ForeignKey(RatingRegistry, on_delete=models.PROTECT, related_name="ratings")
    value = models.CharField(_("rating"), max_length=100)
    rated_on = models.DateField(_("rated on"))
    source = models.URLField(_("source"), blank=True, help_text=_("Where the rating is published."))
    review_due_on = models.DateField(_("review due"))

    class Meta:
        verbose_name = _("rating from another registry")
        verbose_name_plural = _("ratings from other registries")
        ordering = ["registry__name", "-rated_on"]

    def __str__(self) -> str:
        return f"{self.registry}: {self.value}"

    @property
    def is_due(self) -> bool:
        return self.review_due_on <= date.today()


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("being appraised")
    APPROVED = "approved", _("approved")


class Evaluation(BaseModel):
    """An appraisal of a method by two reviewers, resolved and approved by a third person."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="evaluations")
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.OPEN
    )
    level = models.ForeignKey(
        EvidenceLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    studies = models.ManyToManyField(Reference, blank=True, related_name="evaluations")
    reasoning = models.TextField(_("reasoning for the level"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.method} ({self.get_status_display()})"


class Appraisal(BaseModel):
    """One reviewer's score and reasoning for one area."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="appraisals")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(AppraisalArea, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    reasoning = models.TextField(_("reasoning"))

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "reviewer", "area"], name="appraisal_once_per_reviewer"
            )
        ]


class AreaResolution(BaseModel):
    """The agreed score of an area where the two reviewers disagreed, and why."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="resolutions")
    area = models.ForeignKey(AppraisalArea, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("agreed score"))
    reasoning = models.TextField(_("how the disagreement was resolved"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("resolved disagreement")
        verbose_name_plural = _("resolved disagreements")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "area"], name="resolution_once_per_area")
        ]


class MethodVersion(BaseModel):
    """A published version: the whole method as it was published, never changed."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    change_note = models.TextField(_("changes since the previous version"), blank=True)
    snapshot = models.JSONField()

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["method", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["method", "number"], name="method_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.method} v{self.number}"
