"""No database constraint's name reaches a user: every rule a form checks (the ModelForms and
the admin validate the model's constraints) has a message of its own in plain words."""

from __future__ import annotations

import contextlib
import importlib

from django import forms
from django.apps import apps
from django.contrib import admin
from django.db.models import CheckConstraint, UniqueConstraint


def _model_forms(cls=forms.ModelForm):
    for sub in cls.__subclasses__():
        yield sub
        yield from _model_forms(sub)


def _models_users_edit():
    for config in apps.get_app_configs():
        if config.name.startswith("arki."):
            with contextlib.suppress(ModuleNotFoundError):  # an app without forms
                importlib.import_module(f"{config.name}.forms")
    edited = {model for model in apps.get_models() if admin.site.is_registered(model)}
    edited |= {
        form._meta.model
        for form in _model_forms()
        if form.__module__.startswith("arki.") and form._meta.model is not None
    }
    return {m for m in edited if m.__module__.startswith("arki.")}


def test_every_constraint_a_form_checks_has_its_own_message():
    models = _models_users_edit()
    assert any(m._meta.label == "people.Child" for m in models)
    offenders = []
    for model in models:
        for constraint in model._meta.constraints:
            # A UniqueConstraint on fields without a condition is reported as "… with this …
            # already exists"; the others report their violation_error_message.
            checked = isinstance(constraint, CheckConstraint) or (
                isinstance(constraint, UniqueConstraint) and constraint.condition is not None
            )
            if checked and constraint.name in str(constraint.get_violation_error_message()):
                offenders.append(f"{model._meta.label}.{constraint.name}")
    assert offenders == []
