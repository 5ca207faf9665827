from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import (
    INCLUSION_CRITERIA,
    AppraisalArea,
    EvidenceLevel,
    Method,
    MethodSetting,
    MethodStatus,
    RatingRegistry,
    Reference,
    TargetGroup,
)
from .services import METHOD_FIELDS

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


def _tags(value: str) -> list[str]:
    return sorted({tag.strip() for tag in value.split(",") if tag.strip()}, key=str.casefold)


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    tag = forms.ChoiceField(label=_("Phenomenon or topic"), required=False)
    age = forms.IntegerField(
        label=_("Child's age (years)"), required=False, min_value=0, max_value=17
    )
    setting = forms.ChoiceField(
        label=_("Setting"), required=False, choices=[("", _("any"))] + MethodSetting.choices
    )
    level = forms.ChoiceField(label=_("Evidence"), required=False)
    training_language = forms.ChoiceField(
        label=_("Training language"), required=False, choices=[("", _("any"))] + LANGUAGE_CHOICES
    )

    def __init__(self, *args: Any, tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag_field, level_field = self.fields["tag"], self.fields["level"]
        assert isinstance(tag_field, forms.ChoiceField)
        assert isinstance(level_field, forms.ChoiceField)
        tag_field.choices = [("", _("any"))] + [(tag, tag) for tag in tags]
        level_field.choices = [("", _("any"))] + [
            (level.code, level.name) for level in EvidenceLevel.objects.all()
        ]


class MethodForm(forms.Form):
    slug = forms.SlugField(
        label=_("Address name"),
        max_length=80,
        help_text=_("Lowercase letters, digits and hyphens; part of the method's public address."),
    )
    age_min = forms.IntegerField(
        label=_("Youngest age (years)"), min_value=0, max_value=17, initial=0
    )
    age_max = forms.IntegerField(
        label=_("Oldest age (years)"), min_value=0, max_value=17, initial=17
    )
    target_groups = forms.MultipleChoiceField(
        label=_("For whom"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    service_settings = forms.MultipleChoiceField(
        label=_("Settings"), choices=MethodSetting.choices, widget=forms.CheckboxSelectMultiple
    )
    sessions = forms.IntegerField(
        label=_("Number of sessions"), required=False, min_value=1, max_value=500
    )
    duration = forms.CharField(label=_("Duration"), required=False, max_length=200)
    training_provider = forms.CharField(
        label=_("Training provider"), required=False, max_length=200
    )
    training_length = forms.CharField(label=_("Length of training"), required=False, max_length=200)
    training_languages = forms.MultipleChoiceField(
        label=_("Training languages"),
        required=False,
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    training_prerequisites = forms.CharField(
        label=_("Prerequisites for training"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    trainer_network = forms.BooleanField(label=_("A trainer network exists"), required=False)
    tags = forms.CharField(
        label=_("Phenomena and tags"),
        required=False,
        max_length=1000,
        help_text=_("Separate with commas."),
    )

    def __init__(
        self, *args: Any, tenant_id: Any, method: Method | None = None, **kwargs: Any
    ) -> None:
        self.tenant_id = tenant_id
        if method is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(method, name) for name in METHOD_FIELDS},
                    "slug": method.slug,
                    "tags": ", ".join(method.tags),
                },
            )
        super().__init__(*args, **kwargs)
        self.method = method
        if method is not None:
            self.fields["slug"].disabled = True

    def clean_tags(self) -> list[str]:
        return _tags(self.cleaned_data["tags"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The oldest age must not be below the youngest."))
        slug = data.get("slug")
        if (
            self.method is None
            and slug
            and Method.objects.in_tenant(self.tenant_id).filter(slug=slug).exists()
        ):
            self.add_error("slug", _("A method with this address name exists already."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in METHOD_FIELDS}


class MethodTextForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    summary = forms.CharField(
        label=_("Short description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    goal = forms.CharField(
        label=_("Goal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    theory = forms.CharField(
        label=_("Theory it rests on"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    delivery = forms.CharField(
        label=_("How it is done and who may run it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    costs = forms.CharField(
        label=_("Costs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ethics = forms.CharField(
        label=_("Ethical notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if any(data.values()):
            for required in ("name", "summary"):
                if not data.get(required):
                    self.add_error(
                        required, _("Needed when anything else is written in this language.")
                    )
        return data


class InclusionForm(forms.Form):
    def __init__(self, *args: Any, method: Method, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {field: getattr(method, field) for field, _l in INCLUSION_CRITERIA}
        )
        super().__init__(*args, **kwargs)
        for field, label in INCLUSION_CRITERIA:
            self.fields[field] = forms.BooleanField(label=label, required=False)


class ReferenceForm(forms.Form):
    citation = forms.CharField(
        label=_("Reference"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    doi = forms.RegexField(
        label=_("DOI"),
        required=False,
        regex=r"^10\.\d{4,9}/\S+$",
        max_length=200,
        error_messages={"invalid": _("A DOI looks like 10.1234/abc.")},
    )
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")


class RatingForm(forms.Form):
    registry = forms.ModelChoiceField(label=_("Registry"), queryset=RatingRegistry.objects.all())
    value = forms.CharField(label=_("Rating on the registry's own scale"), max_length=100)
    rated_on = forms.DateField(label=_("Rated on"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.URLField(label=_("Source"), required=False, assume_scheme="https")
    review_due_on = forms.DateField(
        label=_("Review due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Two years after the rating if left empty."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        registry = data.get("registry")
        if registry is not None and data.get("value") and data["value"] not in registry.scale:
            self.add_error(
                "value",
                _("Use one of the registry's own values: %(values)s.")
                % {"values": ", ".join(registry.scale)},
            )
        return data


class AppraisalForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=AppraisalArea.objects.all())
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=10)
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        area = data.get("area")
        if area is not None and data.get("score") is not None and data["score"] > area.max_score:
            self.add_error("score", _("The highest score is %(max)s.") % {"max": area.max_score})
        return data


class ResolutionForm(AppraisalForm):
    pass


class ApprovalForm(forms.Form):
    level = forms.ModelChoiceField(label=_("Overall level"), queryset=EvidenceLevel.objects.all())
    studies = forms.ModelMultipleChoiceField(
        label=_("Studies the level rests on"),
        queryset=Reference.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reasoning = forms.CharField(
        label=_("Reasoning for the level"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, method: Method, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        studies = self.fields["studies"]
        assert isinstance(studies, forms.ModelMultipleChoiceField)
        studies.queryset = method.references.all()


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("Changes since the previous version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("JSON or CSV file"))


class StatusFilterForm(forms.Form):
    q = forms.CharField(label=_("Phenomenon, topic or name"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any"))] + MethodStatus.choices
    )


class CatalogueMethodField(forms.ModelChoiceField):
    """An optional method from the region's published catalogue (free text stays possible in
    the form's own fields). Set ``queryset`` with ``selectors.methods_to_choose(tenant_id)``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Method from the catalogue (optional)"))
        kwargs.setdefault("empty_label", "–")
        super().__init__(queryset=Method.objects.none(), **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class CatalogueMethodsField(forms.ModelMultipleChoiceField):
    """Any number of the region's published methods, ticked. Set ``queryset`` with
    ``selectors.methods_to_choose(tenant_id)``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Methods from the catalogue (optional)"))
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset=Method.objects.none(), **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return obj.name
