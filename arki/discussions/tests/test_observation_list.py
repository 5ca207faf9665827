"""A log book section's observation list, built in Python, is the markup the template used
to produce."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

# discussions/_observation_list.html as it was before the list was built in Python.
OLD_TEMPLATE = '{% load i18n %}<ul class="items" aria-label="{{ list_label }}">\n{% for o in items %}<li><span>{{ o.text }}</span>{% if discussion.is_editable %}{% url \'discussions:observation_remove\' child.pk discussion.pk o.pk as remove_url %}\n  <form method="post" action="{{ remove_url }}" hx-post="{{ remove_url }}" hx-target="#section-{{ section.pk }}" hx-swap="outerHTML">{% csrf_token %}<button type="submit" class="button-secondary button-small-inline" aria-label="{% blocktranslate with text=o.text %}Remove “{{ text }}”{% endblocktranslate %}">×</button></form>{% endif %}</li>\n{% empty %}<li class="muted">{% translate "None yet." %}</li>{% endfor %}\n</ul>\n{% if discussion.is_editable %}\n<form method="post" action="{{ observation_add_url }}" hx-post="{{ observation_add_url }}" hx-target="#section-{{ section.pk }}" hx-swap="outerHTML" class="inline-form">\n  {% csrf_token %}\n  <input type="hidden" name="section" value="{{ section.pk }}">\n  <input type="hidden" name="kind" value="{{ kind }}">\n  <label for="add-{{ kind }}-{{ section.pk }}" class="visually-hidden">{{ add_label }}</label>\n  <input type="text" id="add-{{ kind }}-{{ section.pk }}" name="text" maxlength="500" required placeholder="{{ add_label }}"{% if focus_kind == kind %} data-autofocus{% endif %}>\n  <button type="submit">{% translate "Add" %}</button>\n</form>\n{% endif %}\n'  # noqa: E501


def _context(*, editable: bool, items: list, csrf: str | None = "tok<en>") -> dict:
    context = {
        "discussion": SimpleNamespace(pk=uuid.uuid4(), is_editable=editable),
        "child": SimpleNamespace(pk=uuid.uuid4()),
        "section": SimpleNamespace(pk=uuid.uuid4()),
        "items": items,
        "kind": "strength",
        "list_label": "Vahvuudet & <muut>",
        "add_label": 'Lisää "vahvuus"',
        "observation_add_url": "/discussions/x/observations/?a=1&b=2",
    }
    if csrf is not None:
        context["csrf_token"] = csrf
    return context


ITEMS = [
    SimpleNamespace(pk=uuid.uuid4(), text='Leikkii <b>hyvin</b> & "iloisesti"'),
    SimpleNamespace(pk=uuid.uuid4(), text="Nukkuu hyvin"),
]


@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
@pytest.mark.parametrize("editable", [True, False])
@pytest.mark.parametrize("items", [ITEMS, []])
@pytest.mark.parametrize("csrf", ["tok<en>", None])
def test_observation_list_matches_the_old_template(language, editable, items, csrf):
    django = engines["django"]
    new = django.get_template("discussions/_observation_list.html")
    old = django.from_string(OLD_TEMPLATE)
    context = _context(editable=editable, items=items, csrf=csrf)
    with translation.override(language):
        assert new.render(context) == old.render(context)


def test_observation_text_is_escaped():
    rendered = (
        engines["django"]
        .get_template("discussions/_observation_list.html")
        .render(_context(editable=True, items=ITEMS))
    )
    assert "Leikkii &lt;b&gt;hyvin&lt;/b&gt; &amp; &quot;iloisesti&quot;" in rendered
    assert "<b>" not in rendered
