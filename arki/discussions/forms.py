from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arki.core.submissions import OnceForm
from arki.methods.forms import CatalogueMethodField
from arki.methods.selectors import methods_to_choose
from arki.organisations.models import Setting

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


def age_range_label(low: int | None, high: int | None) -> str:
    """A log book's age range in years, as the titles say it (0–1, 2–3, 13–18)."""
    if high is not None and high < 0:
        return str(_("expecting a baby"))
    if low is None and high is None:
        return ""
    if high is None:
        return str(_("from %(low)s years") % {"low": (low or 0) // 12})
    return str(_("%(low)s–%(high)s years") % {"low": (low or 0) // 12, "high": high // 12})


def logbook_choices(templates: Iterable[LogbookTemplate]) -> list[tuple[str, list]]:
    """The log books grouped as one chooses them: by setting, then age (and whether the child
    takes part), each group listing its languages."""
    setting_order = {value: n for n, value in enumerate(Setting.values)}
    language_order = {code: n for n, (code, _name) in enumerate(settings.LANGUAGES)}
    language_names = dict(settings.LANGUAGES)
    groups: dict[tuple, list[LogbookTemplate]] = {}
    for t in templates:
        key = (
            setting_order.get(t.setting, 99),
            t.age_min_months if t.age_min_months is not None else -999,
            t.child_present,
        )
        groups.setdefault(key, []).append(t)
    choices = []
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda t: (language_order.get(t.language, 99), t.title))
        first = members[0]
        parts = [str(first.get_setting_display())]
        age = age_range_label(first.age_min_months, first.age_max_months)
        if age:
            parts.append(age)
        if first.child_present:
            parts.append(str(_("the child takes part")))
        options = [
            (
                str(t.pk),
                f"{language_names.get(t.language, t.language)}: {t.title} ({t.version})",
            )
            for t in members
        ]
        choices.append((", ".join(parts), options))
    return choices


class OfferForm(forms.Form):
    offered_on = forms.DateField(
        label=_("Offered on"), widget=DateInput(), initial=timezone.localdate
    )
    template = forms.ModelChoiceField(
        label=_("Log book"),
        queryset=LogbookTemplate.objects.none(),
        help_text=_("Grouped by setting and the child's age; each group lists its languages."),
    )
    alongside_open = forms.BooleanField(
        label=_("Offer another discussion although one is open"), required=False
    )

    def __init__(self, *args, templates, open_discussions=(), **kwargs):
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField = self.fields["template"]  # type: ignore[assignment]
        field.queryset = templates
        # Shown in <optgroup>s (setting and age → language); the queryset still validates.
        field.choices = [("", "---------"), *logbook_choices(templates)]
        if not open_discussions:  # asked only while the child has an open discussion
            del self.fields["alongside_open"]


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


@dataclass(frozen=True)
class Conflict:
    """What a refused stale save shows: the text saved meanwhile and the editor's own."""

    saved: Any
    yours: Any


class VersionedForm(forms.Form):
    """A form editing shared data: it carries the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    conflict: Conflict | None = None

    def rebase(self, version: int, conflict: Conflict) -> None:
        """After a refused stale save: keep what was typed, and base it on the saved version,
        so that saving again (having seen the other text) replaces it deliberately."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        data[self.add_prefix("version")] = str(version)
        self.data = data
        self.conflict = conflict


class ObservationForm(forms.Form):
    """Add a strength or a vulnerability to one section of the log book."""

    LABELS = {
        ObservationKind.STRENGTH: _("Add a strength"),
        ObservationKind.VULNERABILITY: _("Add a vulnerability"),
    }

    section = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=ObservationKind.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        max_length=500, error_messages={"required": _("Write a few words first.")}
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text = self.fields["text"]
        text.label = self.LABELS.get(kind, "")  # type: ignore[call-overload]
        text.widget.attrs["placeholder"] = text.label


class NoteForm(VersionedForm):
    """A section's working notes; ``version`` is 0 while the section has none."""

    text = forms.CharField(
        label=_("Working notes (the family's)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def serves_choices(observations: Iterable[Observation]) -> list[tuple[str, str]]:
    """The choices of ``ActionForm.serves`` in the active language."""
    return [(str(o.pk), f"{o.get_kind_display()}: {o.text[:60]}") for o in observations]


class ActionForm(OnceForm):
    """A new action plan item; sent twice (a double click), it still adds one item."""

    what = forms.CharField(label=_("What will be done"), max_length=500)
    owner_kind = forms.ChoiceField(label=_("Who does it"), choices=OwnerKind.choices)
    owner_name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    serves = forms.ChoiceField(label=_("Strength or vulnerability it serves"), required=False)
    due_on = forms.DateField(label=_("By"), required=False, widget=DateInput())
    review_on = forms.DateField(label=_("Review on"), required=False, widget=DateInput())
    method = CatalogueMethodField()

    def __init__(
        self, *args, serves_choices: Sequence[tuple[str, str]] = (), tenant_id: Any = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        serves: forms.ChoiceField = self.fields["serves"]  # type: ignore[assignment]
        serves.choices = [("", "–"), *serves_choices]
        method: CatalogueMethodField = self.fields["method"]  # type: ignore[assignment]
        method.queryset = methods_to_choose(tenant_id)

    def clean(self):
        data = super().clean() or {}
        due, review = data.get("due_on"), data.get("review_on")
        if due and review and review < due:
            self.add_error("review_on", _("The review date cannot be before the due date."))
        return data


class ActionStatusForm(VersionedForm):
    """An action plan item's status (and its removal, by the form's other button)."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class SummaryForm(VersionedForm):
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
