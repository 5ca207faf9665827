"""Blank forms whose ``{% form_fields %}`` markup is rendered once per process and kept.

A page that shows an empty form builds it (a deep copy of every field) and lays out its
fields (a label and a widget each, ~0.1 ms a field) on every request, although nobody has
typed anything into it and the markup is the same for every request that shares its key.
``BlankForm(SessionForm)`` stands for ``SessionForm()`` in a template context;
``{% form_fields %}`` of it (``includes/form_fields.html``) is the same bytes, taken from a
small least-recently-used cache when it has been rendered before.

What the markup of a form built as ``form_class(**kwargs)`` and never bound can depend on,
and where each is in the key:

* the form class: its fields, widgets, labels, help texts, ``required`` (the ``required``
  attribute), its class attributes (``prefix``, ``use_required_attribute``,
  ``label_suffix``, template names). Key: the class.
* the constructor's keyword arguments: ``prefix``, ``auto_id`` (the ``id``/``for``
  attributes and the help text and error ids made from it), ``initial``, ``label_suffix``,
  ``use_required_attribute``, a form's own arguments such as choices. Key: all of them, so
  they must be hashable values (tuples, strings, numbers; not querysets) or dicts of them
  (``initial``). The defaults are the same for every call.
* the active language: labels, help texts, choice labels and the ``:`` label suffix are
  lazy translations, activated per request by ``LocaleMiddleware``. Key: ``get_language()``.
* today's date in the current time zone: the date fields' ``initial=timezone.localdate``.
  Key: ``timezone.localdate()``. Any other callable initial value (``timezone.now``, a
  counter…) could change between two requests with the same key, so such a form is refused.
* settings (the form renderer, templates, formats, translations): fixed for the life of a
  process; a test that overrides any setting empties the cache.
* never the request or the data: ``data`` and ``files`` are refused, so a bound form, and
  with it any error message, is never cached. A form with errors (a refused POST shown
  again) is passed to the template as the form itself and rendered fresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from django import forms
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.safestring import SafeString

MAX_ENTRIES = 256

_cache: OrderedDict[Hashable, SafeString] = OrderedDict()
_lock = threading.Lock()


class _Items(tuple):
    """A dict argument (``initial``) as the sorted tuple of its items, to be a key."""


class BlankForm:
    """``form_class(**kwargs)``, unbound, as ``{% form_fields %}`` renders it (cached)."""

    __slots__ = ("form_class", "kwargs")

    def __init__(self, form_class: type[forms.BaseForm], /, **kwargs: Any) -> None:
        if "data" in kwargs or "files" in kwargs:
            raise TypeError("a BlankForm is never bound: render the bound form itself")
        self.form_class = form_class
        self.kwargs = tuple(
            (name, _Items(sorted(value.items())) if isinstance(value, dict) else value)
            for name, value in sorted(kwargs.items())
        )
        hash(self.kwargs)  # a TypeError now rather than at render time

    def key(self) -> Hashable:
        return (self.form_class, translation.get_language(), timezone.localdate(), self.kwargs)

    def build(self) -> forms.BaseForm:
        """The form itself (what is rendered on a cache miss)."""
        form = self.form_class(**self._arguments())
        for name, field in form.fields.items():
            initial = form.initial.get(name, field.initial)
            if callable(initial) and initial is not timezone.localdate:
                raise ValueError(
                    f"{self.form_class.__name__}.{name}: the initial value {initial!r} is not "
                    "in the cache key; render this form without BlankForm"
                )
        return form

    def _arguments(self) -> dict[str, Any]:
        return {n: dict(v) if isinstance(v, _Items) else v for n, v in self.kwargs}

    def fields_html(self) -> SafeString:
        key = self.key()
        with _lock:
            html = _cache.get(key)
            if html is not None:
                _cache.move_to_end(key)
                return html
        from arki.core.templatetags.form_tags import render_form_fields

        html = render_form_fields(self.build())
        with _lock:
            _cache[key] = html
            while len(_cache) > MAX_ENTRIES:
                _cache.popitem(last=False)
        return html

    def __repr__(self) -> str:
        return f"BlankForm({self.form_class.__name__}, **{self._arguments()!r})"


def clear() -> None:
    with _lock:
        _cache.clear()


def cached_count() -> int:
    return len(_cache)


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    clear()
