from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from arki.methods.forms import CatalogueMethodField
from arki.methods.selectors import methods_to_choose

from .models import ConsentScope, InviteeKind, Response


class PlanForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the meeting is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topics = forms.CharField(
        label=_("Topics, in words the family agreed"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Who"),
        choices=[
            (InviteeKind.PROFESSIONAL, _("professional")),
            (InviteeKind.NETWORK_PERSON, _("from the family's own network")),
            (InviteeKind.CHILD, _("the child")),
        ],
    )
    professional = forms.CharField(
        label=_("Professional's username or email"),
        required=False,
        max_length=200,
        help_text=_("A worker in this county or region."),
    )
    network_person = forms.ChoiceField(label=_("Person from the family's network"), required=False)
    name = forms.CharField(label=_("Name (if not found above)"), required=False, max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="fi")
    role_label = forms.CharField(label=_("Role"), required=False, max_length=200)
    expected_contribution = forms.CharField(
        label=_("What they are expected to bring"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, network=(), **kwargs):
        super().__init__(*args, **kwargs)
        field: forms.ChoiceField = self.fields["network_person"]  # type: ignore[assignment]
        field.choices = [("", "–")] + [(str(p.pk), str(p)) for p in network]


class PaperConsentForm(forms.Form):
    invitee = forms.UUIDField(widget=forms.HiddenInput)
    scope = forms.ChoiceField(label=_("Consent"), choices=ConsentScope.choices)


class ProposalForm(forms.Form):
    text = forms.CharField(label=_("Proposal"), max_length=500)
    owner = forms.CharField(label=_("Who would do it"), required=False, max_length=200)
    due_on = forms.DateField(
        label=_("By"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    method = CatalogueMethodField()

    def __init__(self, *args: Any, tenant_id: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        method: CatalogueMethodField = self.fields["method"]  # type: ignore[assignment]
        method.queryset = methods_to_choose(tenant_id)


LOCAL_DATETIME = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def _local_datetime(label, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[LOCAL_DATETIME, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        error_messages={"invalid": _("Give the time as a date and a time.")},
    )


class ScheduleForm(forms.Form):
    """Any time and place; the "find a time" page posts only ``starts_at`` and ``ends_at``."""

    starts_at = _local_datetime(_("Starts"))
    ends_at = _local_datetime(_("Ends"))
    location = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("Leave the place and the link empty to keep the ones already set."),
    )
    video_link = forms.URLField(label=_("Video link"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "schedule-%s")
        super().__init__(*args, **kwargs)

    def mark_missing(self, meeting) -> bool:
        """Mark what the meeting still lacks once this time is set (a place or a video link,
        when neither is given nor set before), on its field; True when something is."""
        data = self.cleaned_data if self.is_valid() else {}
        if not data:
            return False
        if data.get("location") or data.get("video_link"):
            return False
        if meeting.location or meeting.video_link:
            return False
        self.add_error("location", _("Give the place of the meeting or a video link."))
        self.fields["location"].widget.attrs["autofocus"] = True
        return True


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the meeting is cancelled (kept in the log, not sent)"),
        required=False,
        max_length=500,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cancel-%s")
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Response.YES, _("Yes, I am coming")),
            (Response.NO, _("No, I cannot come")),
            (Response.PROPOSE, _("I propose another time")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your answer.")},
    )
    proposed_starts_at = _local_datetime(_("The time you propose"), required=False)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("response") == Response.PROPOSE and not data.get("proposed_starts_at"):
            self.add_error("proposed_starts_at", _("Give the time you propose."))
        return data


class PhaseNoteForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Notes"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


class HoldForm(forms.Form):
    took_part = forms.MultipleChoiceField(
        label=_("Who took part"), required=False, widget=forms.CheckboxSelectMultiple
    )
    held_at = _local_datetime(_("When the meeting was held"), required=False)

    def __init__(self, *args, invitees=(), **kwargs):
        super().__init__(*args, **kwargs)
        field: forms.MultipleChoiceField = self.fields["took_part"]  # type: ignore[assignment]
        field.choices = [(str(i.pk), str(i)) for i in invitees]


class ResponsibleForm(forms.Form):
    workers = forms.MultipleChoiceField(
        label=_("Responsible worker (one, or a pair)"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        field: forms.MultipleChoiceField = self.fields["workers"]  # type: ignore[assignment]
        field.choices = [(str(u.pk), u.get_full_name() or u.get_username()) for u in candidates]

    def clean_workers(self):
        workers = self.cleaned_data["workers"]
        if len(workers) > 2:
            raise forms.ValidationError(_("Name one responsible worker, or a pair."))
        return workers


class ReportForm(forms.Form):
    correction_note = forms.CharField(
        label=_("What this version corrects"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
