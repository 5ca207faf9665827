from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import User
from arki.organisations.models import Area, Sector, Unit

from .models import ConsentChannel, DirectoryEntry, EntryKind
from .services import QUESTION_MAX_LENGTH

TEXT_FIELDS = ("title", "description", "expertise")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )
    area = forms.ModelChoiceField(
        label=_("Municipality or area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All areas"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )

    def __init__(self, *args: Any, tenant_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["area"].queryset = Area.objects.filter(tenant_id=tenant_id)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            tenant_id=tenant_id, directory_entries__isnull=False
        ).distinct()


class DirectoryEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    area = forms.ModelChoiceField(
        label=_("Municipality or area"), queryset=Area.objects.none(), required=False
    )
    user = forms.ModelChoiceField(
        label=_("Professional's user account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("For a professional: the person who answers the requests."),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("New requests are announced here (without any details of the child)."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("Shown in the directory"), required=False, initial=True)

    def __init__(self, *args: Any, tenant: Any, entry: DirectoryEntry | None = None, **kwargs):
        if entry is not None:
            initial = {
                "kind": entry.kind,
                "name": entry.name,
                "sector": entry.sector,
                "unit": entry.unit_id,
                "area": entry.area_id,
                "user": entry.user_id,
                "email": entry.email,
                "phone": entry.phone,
                "is_active": entry.is_active,
            }
            for text in entry.texts.all():
                for field in TEXT_FIELDS:
                    initial[f"{field}_{text.language}"] = getattr(text, field)
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(tenant=tenant, is_active=True)  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.filter(tenant=tenant)  # type: ignore[attr-defined]
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__tenant=tenant, memberships__is_active=True, is_active=True
        ).distinct()
        for code, name in settings.LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                max_length=200,
                required=False,
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=4000,
                required=False,
            )
            self.fields[f"expertise_{code}"] = forms.CharField(
                label=_("Can help with (%(language)s)") % {"language": name},
                max_length=1000,
                required=False,
                help_text=_("Keywords, separated by commas."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{code}") for code, _name in settings.LANGUAGES):
            raise forms.ValidationError(_("Give a title in at least one language."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        texts = {
            code: {field: data.get(f"{field}_{code}", "") for field in TEXT_FIELDS}
            for code, _name in settings.LANGUAGES
        }
        keys = ("kind", "name", "sector", "unit", "area", "user", "email", "phone", "is_active")
        return {**{key: data[key] for key in keys}, "texts": texts}


class ConsultationForm(forms.Form):
    entry = forms.ModelChoiceField(
        label=_("Service or professional"), queryset=DirectoryEntry.objects.none()
    )
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=QUESTION_MAX_LENGTH,
        help_text=_(
            "The request is anonymous: do not write the child's or the family's name or other "
            "identifying details unless the family has agreed to share them."
        ),
    )
    share_identity = forms.BooleanField(
        label=_("The family consented to sharing the child's name and date of birth"),
        required=False,
    )
    consent_given_by = forms.CharField(
        label=_("Consent given by"),
        max_length=200,
        required=False,
        help_text=_("For example the guardian's name."),
    )
    consent_channel = forms.ChoiceField(
        label=_("How consent was given"),
        choices=[("", "—"), *ConsentChannel.choices],
        required=False,
    )
    consent_given_at = forms.DateTimeField(
        label=_("When consent was given"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    CONSENT_FIELDS = ("share_identity", "consent_given_by", "consent_channel", "consent_given_at")

    def __init__(self, *args: Any, tenant_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = (  # type: ignore[attr-defined]
            DirectoryEntry.objects.in_tenant(tenant_id).active().order_by("name")
        )
        self.fields["consent_given_at"].initial = timezone.localtime().replace(
            second=0, microsecond=0
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("share_identity"):
            required = {
                "consent_given_by": _("Record who gave the consent."),
                "consent_channel": _("Record how the consent was given."),
                "consent_given_at": _("Record when the consent was given."),
            }
            for field, message in required.items():
                if not data.get(field):
                    self.add_error(field, message)
            given_at = data.get("consent_given_at")
            if given_at and given_at > timezone.now():
                self.add_error(
                    "consent_given_at", _("The time of consent cannot be in the future.")
                )
        return data

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("entry", "question")]

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CONSENT_FIELDS]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=QUESTION_MAX_LENGTH
    )
