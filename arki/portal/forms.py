from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from arki.people.models import Child

from .models import CodeDelivery
from .questions import questions_for
from .services import child_may_have_link

CHILD_CHOICE = "child"


class LinkSendForm(forms.Form):
    """The worker picks who gets a portal link and whether a one-time code is needed."""

    recipient = forms.ChoiceField(label=_("Send the link to"), widget=forms.RadioSelect)
    child_email = forms.EmailField(
        label=_("The child's email address"),
        required=False,
        help_text=_("Only when the link is for the child."),
    )
    code_delivery = forms.ChoiceField(
        label=_("One-time code"),
        choices=CodeDelivery.choices,
        initial=CodeDelivery.NONE,
        help_text=_("A code makes the link safer: it is needed to open the link."),
    )

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in child.guardians.order_by("last_name")}
        choices: list[tuple[str, str]] = [
            (pk, f"{g} ({g.email or _('no email address')})") for pk, g in self.guardians.items()
        ]
        if child_may_have_link(child):
            choices.append((CHILD_CHOICE, str(_("%(name)s (the child)") % {"name": child})))
        self.fields["recipient"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        recipient = data.get("recipient")
        if recipient == CHILD_CHOICE:
            data["guardian"] = None
            if not data.get("child_email"):
                self.add_error("child_email", _("Give the child's email address."))
        elif recipient in self.guardians:
            data["guardian"] = self.guardians[recipient]
            if not data["guardian"].email:
                self.add_error(
                    "recipient",
                    _("This guardian has no email address. Add it on the child's page first."),
                )
        return data


class OpenLinkForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=6,
        min_length=6,
        help_text=_("The six-digit code you got in a separate message or from your worker."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, needs_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_code:
            del self.fields["code"]


ANSWER_MAX_LENGTH = 4000


class PreparationForm(forms.Form):
    """The parent's or the child's preparation: free text, all optional, at least one answer."""

    def __init__(self, *args: Any, respondent: str, meeting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in questions_for(respondent, meeting=meeting):
            self.fields[key] = forms.CharField(
                label=str(label),
                required=False,
                max_length=ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((value or "").strip() for value in data.values()):
            raise forms.ValidationError(_("Write an answer to at least one question."))
        return data

    @property
    def answers(self) -> dict[str, str]:
        return {key: (value or "").strip() for key, value in self.cleaned_data.items()}
