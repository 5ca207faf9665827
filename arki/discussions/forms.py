from __future__ import annotations

from collections.abc import Iterable, Sequence

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    ActionStatus,
    LogbookTemplate,
    Observation,
    ObservationKind,
    Outcome,
    OwnerKind,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OfferForm(forms.Form):
    offered_on = forms.DateField(
        label=_("Offered on"), widget=DateInput(), initial=timezone.localdate
    )
    template = forms.ModelChoiceField(label=_("Log book"), queryset=LogbookTemplate.objects.none())

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]


class RespondForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("The family's answer"),
        choices=[("accept", _("accepted")), ("decline", _("declined"))],
        widget=forms.RadioSelect,
    )
    responded_on = forms.DateField(
        label=_("Answered on"), widget=DateInput(), initial=timezone.localdate
    )
    reason = forms.CharField(
        label=_("Reason for declining (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput(), initial=timezone.localdate)
    participants = forms.CharField(label=_("Who took part"), max_length=500, required=False)
    child_took_part = forms.BooleanField(label=_("The child took part"), required=False)


class ObservationForm(forms.Form):
    section = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=ObservationKind.choices, widget=forms.HiddenInput)
    text = forms.CharField(max_length=500)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Working notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def serves_choices(observations: Iterable[Observation]) -> tuple[tuple[str, str], ...]:
    """The choices of ``ActionForm.serves`` in the active language (a hashable value, so a
    blank action form can be cached by it: ``BlankForm(ActionForm, serves_choices=…)``)."""
    return tuple((str(o.pk), f"{o.get_kind_display()}: {o.text[:60]}") for o in observations)


class ActionForm(forms.Form):
    what = forms.CharField(label=_("What will be done"), max_length=500)
    owner_kind = forms.ChoiceField(label=_("Who does it"), choices=OwnerKind.choices)
    owner_name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    serves = forms.ChoiceField(label=_("Strength or vulnerability it serves"), required=False)
    due_on = forms.DateField(label=_("By"), required=False, widget=DateInput())
    review_on = forms.DateField(label=_("Review on"), required=False, widget=DateInput())

    def __init__(self, *args, serves_choices: Sequence[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        serves: forms.ChoiceField = self.fields["serves"]  # type: ignore[assignment]
        serves.choices = [("", "–"), *serves_choices]

    def clean(self):
        data = super().clean() or {}
        due, review = data.get("due_on"), data.get("review_on")
        if due and review and review < due:
            self.add_error("review_on", _("The review date cannot be before the due date."))
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class SummaryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agreed_summary = forms.CharField(
        label=_("Agreed summary for the client record"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write only what the family agreed may go into the client record."),
    )
    keep_working_notes = forms.BooleanField(
        label=_("The family wants to keep the working notes"),
        required=False,
        help_text=_("Otherwise the working notes are deleted after the discussion is closed."),
    )


class CloseForm(SummaryForm):
    outcome = forms.ChoiceField(label=_("How the discussion ended"), choices=Outcome.choices)
    closed_on = forms.DateField(
        label=_("Closed on"), widget=DateInput(), initial=timezone.localdate
    )


class PlanLanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
