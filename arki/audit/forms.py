from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# The dates a search may give: wide enough for any log, and far from the ends of the calendar
# (the start of 1 January of the year 1 in UTC is in the year 0 in Helsinki, and the day
# after 31 December 9999 does not exist).
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def _in_range(day: date | None) -> date | None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            _("Give a date between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={
                "earliest": date_format(EARLIEST, "SHORT_DATE_FORMAT"),
                "latest": date_format(LATEST, "SHORT_DATE_FORMAT"),
            },
        )
    return day


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=100)
    action = forms.CharField(label=_("Action code begins with"), required=False, max_length=80)
    subject = forms.UUIDField(label=_("Child or guardian (identifier)"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    disclosures_only = forms.BooleanField(label=_("Disclosures only"), required=False)
    before = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def clean_since(self) -> date | None:
        return _in_range(self.cleaned_data.get("since"))

    def clean_until(self) -> date | None:
        return _in_range(self.cleaned_data.get("until"))

    def clean_before(self) -> Any:
        before = self.cleaned_data.get("before")
        if before is not None and not EARLIEST <= before.date() <= LATEST:
            raise forms.ValidationError(self.fields["before"].error_messages["invalid"])
        return before

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # "before" is the page's position in the log, from an "Older events" link, not typed:
        # one that cannot be read starts from the newest events instead of being an error
        # nobody could see or correct.
        if self.errors.pop("before", None) is not None:
            data["before"] = None
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end cannot be before the start."))
        return data


class _RequestFields(forms.Form):
    requester = forms.CharField(
        label=_("Who asked"),
        max_length=200,
        help_text=_("For example: the child's mother, by letter of 2 December."),
    )
    reason = forms.CharField(
        label=_("Reason for the search"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit log with the search and the report."),
    )


class SubjectSearchForm(_RequestFields):
    """Find the child a subject access request is about, with who asked and why."""

    text = forms.CharField(
        label=_("Child's name or personal identity code"), min_length=2, max_length=100
    )

    field_order = ["text", "requester", "reason"]


class SubjectAccessRequestForm(_RequestFields):
    """The child found, with the same who and why: the request is recorded and answered."""

    child = forms.UUIDField(widget=forms.HiddenInput)
