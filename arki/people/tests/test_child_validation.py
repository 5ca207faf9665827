"""A child's details that cannot be true are refused with a message under the field, by the
form and by the service; no database constraint's name ever reaches the user."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db.models import CheckConstraint, UniqueConstraint
from django.utils import timezone

from arki.core.exceptions import DomainError
from arki.people import services
from arki.people.models import Child

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Venla",
    "last_name": "Virtanen",
    "birth_date": "2019-06-01",
    "preferred_language": "fi",
    "national_id": "010619A123B",
}


def _post(world, **changes):
    data = {**VALID, **changes}
    return world.client_for(world.worker).post("/children/new/", data)


@pytest.mark.parametrize(
    "changes,field",
    [
        (
            {"birth_date": (date.today() + timedelta(days=30)).isoformat(), "national_id": ""},
            "birth_date",
        ),
        ({"expected_date": "2026-03-01"}, "expected_date"),
        ({"birth_date": "", "national_id": ""}, "birth_date"),
        ({"national_id": "123"}, "national_id"),
        ({"national_id": "010619A123C"}, "national_id"),  # wrong check character
        ({"national_id": "020619A1234"}, "national_id"),  # another birth date
        ({"preferred_language": "xx"}, "preferred_language"),
    ],
    ids=["future", "both-dates", "no-date", "123", "checksum", "other-date", "language"],
)
def test_details_that_cannot_be_true_are_form_errors_under_their_field(world, changes, field):
    before = Child.objects.count()
    response = _post(world, **changes)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert not form.non_field_errors()
    assert Child.objects.count() == before
    body = response.content.decode()
    for constraint in Child._meta.constraints:
        assert constraint.name not in body


def test_a_valid_child_is_added_with_the_code_normalised(world):
    response = _post(world, national_id=" 010619a123b ")
    assert response.status_code == 302
    assert Child.objects.get(first_name="Venla").national_id == "010619A123B"


def test_the_service_refuses_the_same_details(world):
    world.worker.current_membership = world.worker.memberships.first()
    tomorrow = timezone.localdate() + timedelta(days=1)
    cases = [
        ({"birth_date": tomorrow}, "birth_date"),
        ({"birth_date": date(2019, 6, 1), "expected_date": date(2019, 6, 2)}, "expected_date"),
        ({"birth_date": date(2019, 6, 1), "national_id": "123"}, "national_id"),
        ({"birth_date": date(2019, 6, 1), "preferred_language": "xx"}, "preferred_language"),
        ({"expected_date": date(2027, 1, 1), "national_id": "010619A123B"}, "national_id"),
    ]
    for details, field in cases:
        with pytest.raises(DomainError) as refused:
            services.child_create(actor=world.worker, first_name="A", last_name="B", **details)
        assert refused.value.field == field
    with pytest.raises(DomainError):
        services.child_update(
            actor=world.worker, child=world.child, basis="test", preferred_language="xx"
        )


def test_a_danish_child_needs_a_cpr_number(world):
    world.tenant.country = "DK"
    world.tenant.save()
    assert _post(world).context["form"].errors["national_id"]  # a Finnish code
    response = _post(world, national_id="010619-4123")
    assert response.status_code == 302


def test_no_constraint_shows_its_name_to_a_user():
    """Each rule a form or the admin may check shows a message of its own, never the default
    one, which names the constraint."""
    for model in apps.get_app_config("people").get_models():
        for constraint in model._meta.constraints:
            checked = isinstance(constraint, CheckConstraint) or (
                isinstance(constraint, UniqueConstraint) and constraint.condition is not None
            )
            if checked:
                message = str(constraint.get_violation_error_message())
                assert constraint.name not in message, (model, constraint.name)
