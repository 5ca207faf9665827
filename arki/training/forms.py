from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arki.methods.models import Method

from .models import CourseModule, ModuleKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SettingsForm(forms.Form):
    refresher_interval_months = forms.IntegerField(
        label=_("Refresher interval (months)"), min_value=1, max_value=120
    )


class ModuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ModuleKind.choices)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0, max_value=999, max_digits=5, decimal_places=1
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def for_module(cls, module: CourseModule, data=None) -> ModuleForm:
        initial = {
            "name": module.name,
            "kind": module.kind,
            "hours": module.hours,
            "order": module.order,
            "is_active": module.is_active,
        }
        return cls(data, initial=initial, prefix=f"m{module.pk.hex[:8]}")


class EventForm(forms.Form):
    course: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Course"), queryset=None)  # type: ignore[arg-type]
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    trainers: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only staff with the trainer qualification are listed."),
    )

    def __init__(self, *args, courses, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
        self.fields["trainers"].queryset = trainers  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The training cannot end before it starts."))
        return data


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)


class EnrolOtherForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=None,  # type: ignore[arg-type]
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    enrolment = forms.UUIDField(widget=forms.HiddenInput)
    module = forms.UUIDField(widget=forms.HiddenInput)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: email, qualification (discussion, network_meeting or trainer), "
            "completed_on (2024-05-31 or 31.5.2024) and optionally trainer (the trainer's email)."
        ),
    )


class CourseForm(forms.Form):
    """A course's name and the catalogue method it trains."""

    name = forms.CharField(label=_("Name"), max_length=200)
    method: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Method it trains"),
        queryset=None,
        required=False,
        help_text=_("From the region's methods catalogue."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, tenant_id, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["method"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Method.objects.in_tenant(tenant_id)
            .exclude(status="archived")
            .prefetch_related("texts")
            .order_by("slug")
        )
