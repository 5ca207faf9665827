from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arki.organisations.models import Area


class ReferralForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Municipality or area"), queryset=Area.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    referrals = forms.IntegerField(label=_("Child protection referrals"), min_value=0)
    population_under_18 = forms.IntegerField(label=_("Population under 18"), min_value=1)
    source = forms.CharField(label=_("Source"), required=False, max_length=200)

    def __init__(self, *args, tenant, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(tenant=tenant)  # type: ignore[attr-defined]


class ReferralImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Columns: municipality, year, referrals, population_under_18."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return f
