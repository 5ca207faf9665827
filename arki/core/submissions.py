"""Create forms that create once: a double click or a form sent again does not create the
record twice.

A create form mixes in ``OnceForm``: each blank form carries a new one-time token (a hidden
field). The view runs its create service through ``create_once``, which stores the token
(unique in the database) in the same transaction as the record and the address of what was
created. The same token sent again, even at the same moment, finds that row and gets the
address back instead of a second record::

    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = create_once(
            actor=request.user,
            token=form.token,
            create=lambda: services.child_create(actor=request.user, **form.service_data),
            url=lambda child: reverse("people:child_detail", args=[child.pk]),
        )
        return redirect(result.url)

A create service that raises leaves no token behind (one transaction), so the corrected form
can be sent again with the same token.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError
from .models import Submission

TOKEN_FIELD = "submission_token"  # noqa: S105 (a field name, not a secret)


class OnceForm(forms.Form):
    """A create form's one-time token: new in each blank form, kept in a refused one."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    @property
    def token(self) -> uuid.UUID | None:
        """The token the form was sent with (None: sent without one)."""
        return self.cleaned_data.get(TOKEN_FIELD)

    @property
    def service_data(self) -> dict[str, Any]:
        """The cleaned data without the token (what the create service takes)."""
        return {k: v for k, v in self.cleaned_data.items() if k != TOKEN_FIELD}


@dataclass(frozen=True)
class Created:
    url: str
    obj: Any = None  # None when the form had been sent before

    @property
    def again(self) -> bool:
        return self.obj is None


@transaction.atomic
def create_once(
    *,
    actor: Any,
    token: uuid.UUID | None,
    create: Callable[[], Any],
    url: Callable[[Any], str],
) -> Created:
    """Run ``create`` once per ``token`` (a form without one: every time). Sent again, the
    answer is the address of what the first one created."""
    if token is None:
        obj = create()
        return Created(url=url(obj), obj=obj)
    try:
        with transaction.atomic():
            row = Submission.objects.create(token=token, user=actor)
    except IntegrityError:
        earlier = Submission.objects.filter(token=token, user=actor).first()
        if earlier is None:  # another user's token: not theirs to follow
            raise DomainError(_("This form was already used. Reload the page.")) from None
        return Created(url=earlier.created_url)
    obj = create()
    row.created_url = url(obj)
    row.save(update_fields=["created_url", "updated_at"])
    return Created(url=row.created_url, obj=obj)
