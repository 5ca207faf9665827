from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import Membership, Role, User
from arki.core.submissions import OnceForm
from arki.organisations.models import Unit

from .models import Child, Guardian, GuardianRelation, NetworkPerson
from .services import child_problems


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
        }

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data  # a field already refused: no second message about the same thing
        problems = child_problems(
            country=self.country,
            birth_date=data.get("birth_date"),
            expected_date=data.get("expected_date"),
            national_id=data.get("national_id") or "",
            preferred_language=data.get("preferred_language") or "",
        )
        for field, message in problems:
            self.add_error(field, message)
        return data


class ChildCreateForm(OnceForm, ChildForm):
    """Adding a child: sent twice (a double click), it still adds the child once."""


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
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Child.objects.in_unit(unit)  # type: ignore[attr-defined]
        self.fields["worker"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=Membership.objects.active()
            .filter(unit=unit, role__in=[Role.WORKER, Role.UNIT_MANAGER])
            .values("user_id"),
            is_active=True,
        )
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name()  # type: ignore[attr-defined]


class ChildSearchForm(forms.Form):
    """The child list's search: part of a name, the unit the child is in now, and the state
    of the child's newest discussion."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    state = forms.ChoiceField(label=_("Discussion"), required=False)

    def __init__(
        self, *args: Any, units: Any = (), states: Sequence[tuple[str, Any]] = (), **kwargs: Any
    ) -> None:
        """``units``: the units to choose from; ``states``: (value, label) of the discussion
        states (``show_counts`` adds how many children are in each)."""
        super().__init__(*args, **kwargs)
        unit: forms.ModelChoiceField = self.fields["unit"]  # type: ignore[assignment]
        unit.queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("name")
        self.states = list(states)
        self.show_counts({})

    def show_counts(self, counts: dict[str, int]) -> None:
        """Name in each state's choice how many children it would list."""
        state: forms.ChoiceField = self.fields["state"]  # type: ignore[assignment]
        state.choices = [
            ("", _("All")),
            *(
                (value, format_lazy("{} ({})", label, counts[value]) if counts else label)
                for value, label in self.states
            ),
        ]
