from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import ics
from .models import Repeat, Weekday

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _local_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=LocalDateTimeInput(), input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"]
    )


class BusyForm(forms.Form):
    starts_at = _local_field(_("Busy from"))
    ends_at = _local_field(_("Busy until"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Calendar file (.ics)"),
        required=False,
        help_text=_("Export your own calendar as an .ics file (at most 2 MB)."),
    )
    content = forms.CharField(
        label=_("Or paste the calendar's content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=ics.MAX_BYTES,
    )

    def clean(self):
        data = super().clean() or {}
        upload, text = data.get("file"), (data.get("content") or "").strip()
        if not upload and not text:
            raise forms.ValidationError(_("Choose a calendar file or paste its content."))
        if upload and text:
            raise forms.ValidationError(_("Choose a file or paste the calendar, not both."))
        if upload is not None and upload.size > ics.MAX_BYTES:
            self.add_error("file", _("The calendar is too large (at most 2 MB)."))
        return data

    def calendar_content(self) -> bytes | str:
        upload = self.cleaned_data.get("file")
        return upload.read() if upload else self.cleaned_data["content"]


class SlotForm(forms.Form):
    target = forms.ChoiceField(label=_("Unit or area"))
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), widget=TimeInput())
    every_weeks = forms.TypedChoiceField(
        label=_("Repeats"), choices=Repeat.choices, coerce=int, initial=Repeat.WEEKLY
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(), required=False)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {t.value: t for t in targets}
        areas = [(t.value, t.label) for t in targets if t.area is not None]
        units = [(t.value, t.label) for t in targets if t.unit is not None]
        groups = [(_("Areas"), areas), (_("Units"), units)]
        choices = [group for group in groups if group[1]]
        if len(choices) == 1:
            choices = choices[0][1]  # type: ignore[assignment]
        self.fields["target"].choices = choices  # type: ignore[attr-defined]


class FindTimesForm(forms.Form):
    duration = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=90
    )
    buffer_before = forms.IntegerField(
        label=_("Free time before (minutes)"), min_value=0, max_value=240, initial=15
    )
    buffer_after = forms.IntegerField(
        label=_("Free time after (minutes)"), min_value=0, max_value=240, initial=15
    )
    earliest = forms.DateField(label=_("Not before"), widget=DateInput(), required=False)

    def values(self) -> dict | None:
        """The cleaned values (the initial ones when the form was not sent); None if invalid."""
        initial = {name: field.initial for name, field in self.fields.items()}
        if not self.is_bound:
            return initial
        if not self.is_valid():
            return None
        return {**initial, **{k: v for k, v in self.cleaned_data.items() if v is not None}}
