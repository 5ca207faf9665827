"""The page header, built in Python, is the markup ``base.html`` used to produce."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from arki.accounts.models import Role
from arki.core.tests.factories import MembershipFactory, UnitFactory, UserFactory

# The header of base.html as it was before it was built in Python (core/_nav_extra.html
# inlined as it rendered, with its trailing newline).
OLD_HEADER = """{% load i18n %}{% get_current_language as LANGUAGE_CODE %}<header class="site-header">
    <a class="brand" href="{% url 'core:home' %}">Arki</a>
    {% if user.is_authenticated %}
    <nav aria-label="{% translate 'Main' %}">
      <ul class="nav">
        {% block nav %}
        <li><a href="{% url 'core:home' %}">{% translate "Home" %}</a></li>
        <li><a href="{% url 'people:child_list' %}">{% translate "Children" %}</a></li>
        {% for item in arki_nav %}<li><a href="{% url item.url_name %}">{{ item.label }}</a></li>{% endfor %}

        {% endblock %}
      </ul>
    </nav>
    {% endif %}
    <div class="header-tools">
      <form action="{% url 'set_language' %}" method="post" class="language-form">
        {% csrf_token %}
        <input name="next" type="hidden" value="{{ request.get_full_path }}">
        <label for="language-select" class="visually-hidden">{% translate "Language" %}</label>
        <select id="language-select" name="language">
          {% get_language_info_list for ARKI_LANGUAGES as languages %}
          {% for language in languages %}
          <option value="{{ language.code }}"{% if language.code == LANGUAGE_CODE %} selected{% endif %}>{{ language.name_local|capfirst }}</option>
          {% endfor %}
        </select>
        <button type="submit" class="button-small">{% translate "Change" %}</button>
      </form>
      {% if user.is_authenticated %}
      <span class="who">{{ user.get_full_name }}</span>
      {% if arki_memberships|length > 1 %}
      <form action="{% url 'accounts:switch_membership' %}" method="post" class="membership-form">
        {% csrf_token %}
        <label for="membership-select" class="visually-hidden">{% translate "Acting as" %}</label>
        <select id="membership-select" name="membership">
          {% for m in arki_memberships %}<option value="{{ m.pk }}"{% if m.pk == membership.pk %} selected{% endif %}>{{ m }}</option>{% endfor %}
        </select>
        <button type="submit" class="button-small">{% translate "Switch" %}</button>
      </form>
      {% elif membership %}<span class="who">{{ membership }}</span>{% endif %}
      <form action="{% url 'accounts:logout' %}" method="post">
        {% csrf_token %}
        <button type="submit" class="button-small">{% translate "Log out" %}</button>
      </form>
      {% endif %}
    </div>
  </header>"""  # noqa: E501

MARKER = "<!-- new -->"


def _render_both(request) -> tuple[str, str]:
    """Both headers in one render, so they share the request's CSRF token."""
    django = engines["django"]
    source = OLD_HEADER + MARKER + "{% load layout_tags %}{% site_header %}"
    old, new = django.from_string(source).render({}, request).split(MARKER)
    return old, new


def _request(user, path="/children/?q=<b>&x=1", memberships=()):
    request = RequestFactory().get(path)
    request.user = user
    memberships = list(memberships)
    if memberships:
        request.membership = memberships[0]
        request.arki_memberships = memberships
        user.current_membership = memberships[0]
    return request


@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_anonymous_header_matches_the_old_template(language):
    with translation.override(language):
        old, new = _render_both(_request(AnonymousUser(), path="/accounts/login/?next=/a%20b"))
    assert "language-select" in new and "<nav" not in new
    assert new == old


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
@pytest.mark.parametrize("role", [Role.WORKER, Role.COORDINATOR, Role.ADMIN])
def test_one_membership_header_matches_the_old_template(language, role):
    user = UserFactory(first_name='Aino "A" <b>', last_name="Työntekijä & co")
    membership = MembershipFactory(user=user, role=role, unit=UnitFactory(name="Päiväkoti <Omena>"))
    with translation.override(language):
        old, new = _render_both(_request(user, memberships=[membership]))
    assert "&lt;b&gt;" in new and 'class="nav"' in new
    assert new == old


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "en"])
def test_membership_switcher_matches_the_old_template(language):
    user = UserFactory()
    first = MembershipFactory(user=user, role=Role.WORKER)
    second = MembershipFactory(user=user, role=Role.LEADERSHIP)
    with translation.override(language):
        old, new = _render_both(_request(user, memberships=[second, first]))
    assert "membership-select" in new and new.count(" selected") == 2  # a language, a membership
    assert new == old


@pytest.mark.django_db
def test_user_without_a_membership_matches_the_old_template():
    user = UserFactory()
    with translation.override("fi"):
        old, new = _render_both(_request(user))
    assert '<span class="who">' in new and "membership" not in new
    assert new == old
