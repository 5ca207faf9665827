"""Forms of the accounts app that are not Django's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from arki.organisations.models import Tenant, Unit

from .models import Role


class GroupMappingForm(forms.Form):
    group = forms.CharField(
        label=_("Group at the identity service"),
        max_length=255,
        help_text=_("The group's name or identifier exactly as the identity service sends it."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = Unit.objects.filter(tenant=tenant, is_active=True).order_by("name")

    def clean_group(self) -> str:
        group = str(self.cleaned_data["group"]).strip()
        if not group:
            raise forms.ValidationError(_("Enter the group."))
        return group
