"""The audit log page: labels in the reader's language, not codes; bad dates are form errors."""

from __future__ import annotations

import pytest
from django.utils import translation

from arki.audit import services as audit
from arki.audit.registry import ACTIONS
from arki.core.tests.test_i18n import compiled_messages  # noqa: F401 - the fixture

LANGUAGES = ["fi", "sv", "en", "da"]


@pytest.fixture
def logged(world):
    """Events with the codes that used to reach the page as they are stored."""
    audit.record(
        world.worker,
        "discussions.discussion.viewed",
        subjects=[world.child],
        basis="relationship:responsible",
    )
    audit.record(world.worker, "people.child.viewed", subjects=[world.child], basis="relationship")
    audit.record(world.guardian, "portal.session.started", subjects=[world.child], basis="guardian")
    return world


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_audit_page_shows_labels_in_the_readers_language_not_codes(logged, language):
    client = logged.client_for(logged.coordinator)
    page = client.get("/audit/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for code in ("discussions.discussion.viewed", "people.child.viewed", "portal.session.started"):
        assert code not in page
    assert "relationship:responsible" not in page
    with translation.override(language):
        assert str(ACTIONS["discussions.discussion.viewed"]) in page
        from arki.people.models import RelationshipKind

        assert str(RelationshipKind.RESPONSIBLE.label) in page


@pytest.mark.usefixtures("compiled_messages")
@pytest.mark.parametrize("language", ["fi", "sv", "da"])
def test_every_action_code_and_basis_has_a_translated_label(language):
    from arki.audit.labels import BASIS_LABELS, OTHER_ROLE_LABELS

    labels = {**ACTIONS, **{f"basis {k}": v for k, v in BASIS_LABELS.items() if k}}
    labels.update({f"role {k}": v for k, v in OTHER_ROLE_LABELS.items()})
    with translation.override("en"):
        english = {code: str(label) for code, label in labels.items()}
    with translation.override(language):
        untranslated = [code for code, label in labels.items() if str(label) == english[code]]
    assert untranslated == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "until=9999-12-31",
        "since=0001-01-01",
        "since=0001-01-01&until=9999-12-31",
        "since=3000-01-01",
    ],
)
def test_a_date_out_of_range_is_a_form_error_not_a_server_error(world, query):
    client = world.client_for(world.coordinator)
    response = client.get(f"/audit/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give a date between" in page
    assert "No events match." in page


@pytest.mark.django_db
def test_an_end_before_the_start_is_a_form_error(world):
    client = world.client_for(world.coordinator)
    page = client.get(
        "/audit/?since=2026-05-02&until=2026-05-01", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'id="id_until_error"' in page
    assert "The end cannot be before the start." in page


@pytest.mark.django_db
def test_a_hidden_page_position_out_of_range_is_not_a_server_error(world):
    client = world.client_for(world.coordinator)
    for before in ("0001-01-01T00:00:00", "9999-12-31T23:59:59", "x"):
        assert client.get(f"/audit/?before={before}").status_code == 200
