from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .retention import RECORD_TYPES


class RetentionPeriodForm(forms.Form):
    """A new period for one rule, within the record type's bounds."""

    period_days = forms.IntegerField(label=_("Kept for (days)"))

    def __init__(self, *args: Any, rule: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", str(rule.pk))
        kwargs.setdefault("initial", {"period_days": rule.period_days})
        super().__init__(*args, **kwargs)
        spec = RECORD_TYPES[rule.record_type]
        self.fields["period_days"] = forms.IntegerField(
            label=_("Kept for (days)"),
            min_value=spec.min_days,
            max_value=spec.max_days,
            help_text=_("From %(min)s to %(max)s days.")
            % {"min": spec.min_days, "max": spec.max_days},
        )
        self.rule = rule
