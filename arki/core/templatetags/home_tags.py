from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from arki.core.formatting import url_for_ids

register = template.Library()


@register.simple_tag
def child_links(children: Iterable) -> SafeString:
    """The home page's "My children" list items, built in Python (through the template engine
    each item cost ~25 µs, most of it the ``{% url %}``). The markup is the one the template
    loop produced (``arki/core/tests/test_home.py`` compares them)."""
    esc = conditional_escape
    url = url_for_ids("people:child_detail", 1)
    items = [f'<li><a href="{esc(url(c.pk))}">{esc(c.full_name)}</a></li>\n' for c in children]
    if not items:  # {% translate %} writes the translation as it is
        return mark_safe(f"<li>{gettext('You have no children on your list yet.')}</li>")  # noqa: S308
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped
