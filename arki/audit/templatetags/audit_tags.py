from django import template

from arki.audit.registry import label_for

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """An audit action code in plain words, in the reader's language."""
    return label_for(code)
