from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from arki.organisations.models import Area, Sector, Unit

from .models import LANGUAGES, Choice, ContextKind, Question, QuestionKind
from .services import MAX_TEXT


class AnswerForm(forms.Form):
    """The family's answers: one radio group per choice question, a text box for free text."""

    def __init__(self, *args: Any, questions: list[Question], language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == QuestionKind.CHOICE:
                self.fields[question.key] = forms.ChoiceField(
                    label=question.text(language),
                    choices=Choice.choices,
                    widget=forms.RadioSelect,
                    required=False,
                )
            else:
                self.fields[question.key] = forms.CharField(
                    label=question.text(language),
                    widget=forms.Textarea(attrs={"rows": 4}),
                    max_length=MAX_TEXT,
                    required=False,
                )

    def clean(self):
        data = super().clean() or {}
        if not any((value or "").strip() for value in data.values()):
            raise forms.ValidationError(_("Answer at least one question."))
        return data


class SummaryFilterForm(forms.Form):
    period_from = forms.DateField(
        label=_("From month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    period_to = forms.DateField(
        label=_("To month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "–"), *Sector.choices], required=False
    )
    context_kind = forms.ChoiceField(
        label=_("After"), choices=[("", "–"), *ContextKind.choices], required=False
    )

    def __init__(self, *args: Any, tenant: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(tenant=tenant)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(tenant=tenant)  # type: ignore[attr-defined]


LANGUAGE_NAMES = dict(settings.LANGUAGES)


class QuestionSetForm(forms.Form):
    """Adapt the questions: edit texts per language, leave questions out, add one."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"{question.key}__keep"] = forms.BooleanField(
                label=_("Keep this question"), required=False, initial=True
            )
            for lang in LANGUAGES:
                self.fields[f"{question.key}__{lang}"] = forms.CharField(
                    label=LANGUAGE_NAMES[lang],
                    initial=question.texts.get(lang, ""),
                    required=False,
                    max_length=500,
                )
        self.fields["new__kind"] = forms.ChoiceField(
            label=_("Kind of the new question"), choices=QuestionKind.choices, required=False
        )
        for lang in LANGUAGES:
            self.fields[f"new__{lang}"] = forms.CharField(
                label=LANGUAGE_NAMES[lang], required=False, max_length=500
            )

    def groups(self) -> list[tuple[Any, list[Any]]]:
        """(question or None for the new one, its bound fields) for the template."""
        result: list[tuple[Any, list[Any]]] = []
        for question in self.questions:
            names = [f"{question.key}__keep", *[f"{question.key}__{lang}" for lang in LANGUAGES]]
            result.append((question, [self[name] for name in names]))
        names = ["new__kind", *[f"new__{lang}" for lang in LANGUAGES]]
        result.append((None, [self[name] for name in names]))
        return result

    def clean(self):
        data = super().clean() or {}
        for question in self.questions:
            if data.get(f"{question.key}__keep") and not data.get(f"{question.key}__fi"):
                self.add_error(f"{question.key}__fi", _("Every question needs a Finnish text."))
        if any(data.get(f"new__{lang}") for lang in LANGUAGES) and not data.get("new__fi"):
            self.add_error("new__fi", _("Every question needs a Finnish text."))
        return data

    def question_data(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        result = [
            {
                "key": q.key,
                "kind": q.kind,
                "texts": {lang: data.get(f"{q.key}__{lang}", "") for lang in LANGUAGES},
            }
            for q in self.questions
            if data.get(f"{q.key}__keep")
        ]
        if data.get("new__fi"):
            used = {q["key"] for q in result} | {q.key for q in self.questions}
            number = len(used) + 1
            while f"question-{number}" in used:
                number += 1
            result.append(
                {
                    "key": f"question-{number}",
                    "kind": data.get("new__kind") or QuestionKind.CHOICE,
                    "texts": {lang: data.get(f"new__{lang}", "") for lang in LANGUAGES},
                }
            )
        return result
