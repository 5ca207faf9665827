from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from arki.core.formatting import date_text, short_date, url_for_ids

register = template.Library()


@register.simple_tag
def open_discussion_rows(discussions: Iterable) -> SafeString:
    """The rows of the home page's "My LT discussions", built in Python (through the template
    engine each row cost ~0.2 ms: a URL, three dates, a choice label). The markup is the one
    the template loop produced (``arki/discussions/tests/test_home_rows.py`` compares them)."""
    esc = conditional_escape
    labels: dict[str, str] = {}  # the status labels, translated once per table
    detail_url = url_for_ids("discussions:detail", 2)
    parts = []
    for d in discussions:
        warn = " badge-warn" if d.status == "offered" else ""
        url = detail_url(d.child_id, d.pk)
        if d.status not in labels:
            labels[d.status] = esc(d.get_status_display())
        parts.append(
            "<tr>\n"
            f'      <td><a href="{esc(url)}">{esc(d.child.full_name)}</a></td>\n'
            f'      <td><span class="badge{warn}">{labels[d.status]}</span></td>\n'
            f"      <td>{esc(date_text(d.offered_on, 'SHORT_DATE_FORMAT'))}</td>\n"
            f"      <td>{esc(short_date(d.last_session))}</td>\n"
            f"      <td>{esc(short_date(d.next_date))}</td>\n"
            "    </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
