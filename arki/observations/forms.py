from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import User
from arki.methods.forms import CatalogueMethodsField
from arki.methods.selectors import methods_to_choose
from arki.organisations.models import Area

from .models import (
    TEXT_MAX,
    AgeGroup,
    Body,
    BodyMember,
    Initiative,
    InitiativeStatus,
    Level,
    Observation,
    ObservationSetting,
    Phenomenon,
)


class LevelForm(forms.ModelForm):
    class Meta:
        model = Level
        fields = ["name", "rank"]


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "level", "area", "parent", "coordinator", "facilitator", "meeting_rhythm"]

    def __init__(self, *args: Any, tenant_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = Level.objects.filter(tenant_id=tenant_id)  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.filter(tenant_id=tenant_id)  # type: ignore[attr-defined]
        parents = Body.objects.in_tenant(tenant_id)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        staff = User.objects.filter(memberships__tenant_id=tenant_id, is_active=True).distinct()
        self.fields["coordinator"].queryset = staff  # type: ignore[attr-defined]
        self.fields["facilitator"].queryset = staff  # type: ignore[attr-defined]


class MemberForm(forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ["user", "name", "organisation", "sector"]
        help_texts = {"name": _("For a partner without an account in Arki.")}

    def __init__(self, *args: Any, tenant_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__tenant_id=tenant_id, is_active=True
        ).distinct()

    def validate_unique(self) -> None:
        """Duplicate members are the service's clear error, not a constraint message."""

    def _post_clean(self) -> None:
        """The service builds the row (its rules give the form errors)."""


class SettingsForm(forms.Form):
    show_writer = forms.BooleanField(
        label=_("Show who wrote an observation"),
        required=False,
        help_text=_("Off: nobody sees an observation's writer, not even the team."),
    )


class ObservationForm(forms.Form):
    text = forms.CharField(
        label=_("What did you see?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
        help_text=_(
            "About a phenomenon, not a person: no names, identity codes or contact details."
        ),
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Body.objects.none())
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    age_group = forms.ChoiceField(
        label=_("Age group"), choices=[("", "—"), *AgeGroup.choices], required=False
    )
    setting = forms.ChoiceField(
        label=_("Setting"), choices=[("", "—"), *ObservationSetting.choices], required=False
    )
    tags = forms.CharField(label=_("Tags"), max_length=200, required=False)

    def __init__(self, *args: Any, teams: list[Body], tenant_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Body.objects.filter(pk__in=[t.pk for t in teams])  # type: ignore[attr-defined]
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
        self.fields["area"].queryset = Area.objects.filter(tenant_id=tenant_id)  # type: ignore[attr-defined]


class PostDownForm(forms.Form):
    text = forms.CharField(
        label=_("Observation or question to the teams"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Body.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    agenda = forms.CharField(
        label=_("Agenda"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendance"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(label=_("Other attendees"), max_length=400, required=False)

    def __init__(self, *args: Any, team: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [m.user_id for m in team.members.all() if m.user_id]
        ids += [u for u in (team.coordinator_id, team.facilitator_id) if u]
        self.fields["attendees"].queryset = User.objects.filter(pk__in=ids)  # type: ignore[attr-defined]


class GroupForm(forms.Form):
    """Accept a suggested group as a new phenomenon, or add it to an existing one."""

    observations = forms.ModelMultipleChoiceField(
        label=_("Observations"),
        queryset=Observation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Name of the phenomenon"), max_length=200, required=False)
    phenomenon = forms.ModelChoiceField(
        label=_("or add to"), queryset=Phenomenon.objects.none(), required=False
    )

    def __init__(self, *args: Any, team: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observations"].queryset = Observation.objects.filter(  # type: ignore[attr-defined]
            team=team, phenomenon__isnull=True
        )
        self.fields["phenomenon"].queryset = Phenomenon.objects.filter(  # type: ignore[attr-defined]
            team=team, merged_into__isnull=True, status="open"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("title", "").strip() and data.get("phenomenon") is None:
            raise forms.ValidationError(_("Name a new phenomenon or choose one to add to."))
        return data


class RenameForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=Phenomenon.objects.none())

    def __init__(self, *args: Any, phenomenon: Phenomenon, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Phenomenon.objects.filter(  # type: ignore[attr-defined]
            team_id=phenomenon.team_id, merged_into__isnull=True
        ).exclude(pk=phenomenon.pk)


class SplitForm(forms.Form):
    title = forms.CharField(label=_("Name of the new phenomenon"), max_length=200)
    observations = forms.ModelMultipleChoiceField(
        label=_("Observations to move"),
        queryset=Observation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, phenomenon: Phenomenon, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observations"].queryset = phenomenon.observations.all()  # type: ignore[attr-defined]


class SendForm(forms.Form):
    indicators = forms.MultipleChoiceField(
        label=_("Matching indicators"), required=False, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(
        label=_("Message to the group"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, indicators: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = indicators  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    KINDS = [
        ("response", _("a response")),
        ("working_group", _("a working group for local action")),
        ("escalate", _("escalation to the next level")),
    ]
    kind = forms.ChoiceField(label=_("Decision"), choices=KINDS)
    text = forms.CharField(
        label=_("Text"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The response, the working group and its members, or the reason to escalate."),
    )


class InitiativeForm(forms.ModelForm):
    methods = CatalogueMethodsField()

    class Meta:
        model = Initiative
        fields = ["what", "why", "who", "due_on"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "why": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, tenant_id: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        methods: CatalogueMethodsField = self.fields["methods"]  # type: ignore[assignment]
        methods.queryset = methods_to_choose(tenant_id)


class InitiativeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=InitiativeStatus.choices)
