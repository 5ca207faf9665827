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
