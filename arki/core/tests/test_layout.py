"""The page header (``includes/site_header.html``) and the form layout
(``includes/form_fields.html``): what the user sees and what assistive technology reads."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import engines
from django.utils.safestring import mark_safe

from arki.accounts.models import Role
from arki.core.tests.factories import MembershipFactory, UnitFactory, UserFactory


@pytest.mark.django_db
def test_anonymous_header_has_the_language_form_and_no_navigation(client):
    body = client.get("/accounts/login/?next=/a%20b").content.decode()
    header = body.split('<header class="site-header">')[1].split("</header>")[0]
    assert 'id="language-select"' in header and "<nav" not in header
    assert 'name="csrfmiddlewaretoken"' in header
    assert "Log out" not in header and "Kirjaudu ulos" not in header


@pytest.mark.django_db
def test_header_shows_the_user_escaped_and_their_memberships():
    user = UserFactory(first_name='Aino "A" <b>', last_name="Työntekijä & co")
    MembershipFactory(user=user, role=Role.WORKER, unit=UnitFactory(name="Päiväkoti <Omena>"))
    MembershipFactory(user=user, role=Role.COORDINATOR)
    from django.test import Client

    client = Client()
    client.force_login(user)
    body = client.get("/?q=<x>", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    header = body.split('<header class="site-header">')[1].split("</header>")[0]
    assert "Aino &quot;A&quot; &lt;b&gt; Työntekijä &amp; co" in header
    assert "<b>" not in header and "<x>" not in header
    assert 'id="membership-select"' in header and "Päiväkoti &lt;Omena&gt;" in header
    assert '<nav aria-label="Main">' in header and 'href="/children/"' in header
    assert ">Log out</button>" in header


class Sample(forms.Form):
    name = forms.CharField(max_length=3, help_text="Short & <sweet>")
    agree = forms.BooleanField(help_text=mark_safe("<em>must</em>"))
    secret = forms.CharField(required=False, widget=forms.HiddenInput)


def _render(form: forms.Form) -> str:
    template = engines["django"].from_string('{% include "includes/form_fields.html" %}')
    return template.render({"form": form})


def test_each_field_has_its_label_and_help_text_tied_to_it():
    html = _render(Sample())
    assert '<label for="id_name">' in html and '<label for="id_agree">' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert '<div class="helptext" id="id_name_helptext">Short &amp; &lt;sweet&gt;</div>' in html
    assert 'type="hidden" name="secret"' in html


def test_errors_are_under_their_field_and_described_by_it():
    form = Sample({"name": "<script>x</script>", "secret": "s"})
    form.add_error(None, "Something <b>broke</b>")
    html = _render(form)
    assert 'aria-invalid="true"' in html
    assert re.search(r'aria-describedby="id_name_helptext id_name_error"', html)
    name_field = html.split('<label for="id_name">')[1].split('<div class="field')[0]
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in name_field
    assert 'id="id_name_error"' in name_field  # the error is in the field's own block
    assert name_field.index('id="id_name"') < name_field.index('id="id_name_error"')
    assert "Something &lt;b&gt;broke&lt;/b&gt;" in html and "<script>" not in html


def test_a_project_template_overrides_djangos_widget_template(tmp_path, settings):
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "text.html").write_text('<input data-project-widget name="{{ widget.name }}">')
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    html = _render(Sample())
    assert '<input data-project-widget name="name">' in html
    assert 'type="checkbox"' in html  # the templates not overridden are Django's own
