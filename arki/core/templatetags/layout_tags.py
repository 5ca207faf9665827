"""The page header of ``base.html``, built in Python.

Every staff page renders it: through the template engine (a nav include with a ``{% url %}``
per item, the language list, three CSRF fields) it cost ~1 ms a request, a twentieth of a
page. The markup is that of the template it replaced (``arki/core/tests/test_site_header.py``
renders the old template next to this and compares them byte for byte).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from arki.core.formatting import csrf_input

register = template.Library()

_URLS: dict[tuple[Any, str, str], str] = {}


def cached_reverse(name: str) -> str:
    """``reverse(name)`` for a URL without arguments, kept per URLconf and script prefix."""
    key = (get_urlconf(), get_script_prefix(), name)
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(name)
    return url


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    esc = conditional_escape
    request: Any = context.get("request")
    user: Any = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    path = request.get_full_path() if request is not None else ""
    csrf = csrf_input(context.get("csrf_token"))
    home = esc(cached_reverse("core:home"))
    out = ['<header class="site-header">\n', f'    <a class="brand" href="{home}">Arki</a>\n']
    out.append("    \n")
    if authenticated:
        main = esc(gettext("Main"))
        out.append(f'    <nav aria-label="{main}">\n      <ul class="nav">\n        \n')
        out.append(f'        <li><a href="{home}">{esc(gettext("Home"))}</a></li>\n')
        children = esc(cached_reverse("people:child_list"))
        out.append(f'        <li><a href="{children}">{esc(gettext("Children"))}</a></li>\n')
        out.append("        ")
        for item in context.get("arki_nav") or ():
            url = esc(cached_reverse(item.url_name))
            out.append(f'<li><a href="{url}">{esc(item.label)}</a></li>')
        out.append("\n\n        \n      </ul>\n    </nav>\n    \n")
    out.append('    <div class="header-tools">\n')
    out.append(
        f'      <form action="{esc(cached_reverse("set_language"))}" method="post"'
        ' class="language-form">\n'
        f"        {csrf}\n"
        f'        <input name="next" type="hidden" value="{esc(path)}">\n'
        f'        <label for="language-select" class="visually-hidden">'
        f"{esc(gettext('Language'))}</label>\n"
        '        <select id="language-select" name="language">\n          \n          \n'
    )
    current = translation.get_language()
    for code, _name in context.get("ARKI_LANGUAGES") or ():
        info = translation.get_language_info(code)
        selected = " selected" if info["code"] == current else ""
        out.append(
            f'          <option value="{esc(info["code"])}"{selected}>'
            f"{esc(capfirst(info['name_local']))}</option>\n          \n"
        )
    out.append(
        "        </select>\n"
        f'        <button type="submit" class="button-small">{esc(gettext("Change"))}</button>\n'
        "      </form>\n      \n"
    )
    if authenticated:
        out.append(f'      <span class="who">{esc(user.get_full_name())}</span>\n      ')
        memberships = context.get("arki_memberships") or []
        membership = context.get("membership")
        if len(memberships) > 1:
            current_pk = getattr(membership, "pk", None)
            options = "".join(
                f'<option value="{esc(m.pk)}"{" selected" if m.pk == current_pk else ""}>'
                f"{esc(m)}</option>"
                for m in memberships
            )
            out.append(
                f'\n      <form action="{esc(cached_reverse("accounts:switch_membership"))}"'
                ' method="post" class="membership-form">\n'
                f"        {csrf}\n"
                '        <label for="membership-select" class="visually-hidden">'
                f"{esc(gettext('Acting as'))}</label>\n"
                f'        <select id="membership-select" name="membership">\n          {options}\n'
                "        </select>\n"
                '        <button type="submit" class="button-small">'
                f"{esc(gettext('Switch'))}</button>\n"
                "      </form>\n      "
            )
        elif membership:
            out.append(f'<span class="who">{esc(membership)}</span>')
        out.append(
            f'\n      <form action="{esc(cached_reverse("accounts:logout"))}" method="post">\n'
            f"        {csrf}\n"
            f'        <button type="submit" class="button-small">{esc(gettext("Log out"))}'
            "</button>\n      </form>\n      \n"
        )
    out.append("    </div>\n  </header>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
