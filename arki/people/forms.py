from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Child, Guardian, GuardianRelation, NetworkPerson


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "expected_date",
            "national_id",
            "preferred_language",
        ]
        widgets = {
            "birth_date": DateInput(),
            "expected_date": DateInput(),
            "preferred_language": forms.Select(choices=settings.LANGUAGES),
        }

    def clean(self):
        data = super().clean() or {}
        if not data.get("birth_date") and not data.get("expected_date"):
            raise forms.ValidationError(_("Give the birth date or the expected date of birth."))
        return data


class GuardianForm(forms.ModelForm):
    relation = forms.ChoiceField(
        label=_("relation to the child"),
        choices=[("", "–"), *GuardianRelation.choices],
        required=False,
    )

    class Meta:
        model = Guardian
        fields = ["first_name", "last_name", "email", "phone", "preferred_language"]


class NetworkPersonForm(forms.ModelForm):
    class Meta:
        model = NetworkPerson
        fields = ["name", "relation", "email", "phone", "preferred_language"]


class AssignWorkerForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Child.objects.none())
    worker: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Responsible worker"), queryset=Child.objects.none()
    )

    def __init__(self, *args, unit, **kwargs):
        from arki.accounts.models import Membership, Role, User

        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Child.objects.in_unit(unit)  # type: ignore[attr-defined]
        self.fields["worker"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=Membership.objects.active()
            .filter(unit=unit, role__in=[Role.WORKER, Role.UNIT_MANAGER])
            .values("user_id"),
            is_active=True,
        )
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name()  # type: ignore[attr-defined]
