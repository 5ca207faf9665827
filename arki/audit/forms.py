from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
