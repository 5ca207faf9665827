from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from arki.core.formatting import date_text, url_for_ids

register = template.Library()


@register.simple_tag
def open_meeting_rows(meetings: Iterable, user_id: Any) -> SafeString:
    """The rows of the home page's "Network meetings", built in Python (through the template
    engine each row cost ~0.2 ms: a URL, a date, a choice label and eight translations). The
    markup is the one the template loop produced (``arki/meetings/tests/test_home_rows.py``
    compares them). ``{% translate %}`` wrote translations unescaped, and so does this."""
    esc = conditional_escape
    meetings = list(meetings)
    if not meetings:
        empty = gettext("No open network meetings. Plan one from the child's page.")
        return mark_safe(f'<tr><td colspan="4">{empty}</td></tr>')  # noqa: S308
    child, status, when, chair = (gettext(s) for s in ("Child", "Status", "When", "Chair"))
    follow_up = f' <span class="muted">({gettext("follow-up")})</span>'
    no_time, you = gettext("time not agreed yet"), gettext("you")
    detail_url = url_for_ids("meetings:detail", 2)
    labels: dict[str, str] = {}
    parts = []
    for m in meetings:
        if m.status not in labels:
            labels[m.status] = esc(m.get_status_display())
        warn = " badge-warn" if m.status == "planning" else ""
        starts = esc(date_text(m.starts_at, "SHORT_DATETIME_FORMAT")) if m.starts_at else no_time
        chaired = you if m.chair_id == user_id else esc(m.chair.get_full_name())
        parts.append(
            "<tr>\n"
            f'      <td data-label="{child}"><a href="{esc(detail_url(m.child_id, m.pk))}">'
            f"{esc(m.child.full_name)}</a>{follow_up if m.previous_id else ''}</td>\n"
            f'      <td data-label="{status}"><span class="badge{warn}">{labels[m.status]}'
            "</span></td>\n"
            f'      <td data-label="{when}">{starts}</td>\n'
            f'      <td data-label="{chair}">{chaired}</td>\n'
            "    </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
