"""A refused form on the training pages is shown again as it was sent, each error under its
field (not a message at the top of a fresh page)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arki.core.tests.html import error_under, parse
from arki.training import services
from arki.training.models import ModuleKind, TrainingSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(make_event):
    today = timezone.localdate()
    return make_event(starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=40))


def _field(response, tag: str, **attrs: str):
    field = parse(response.content).find(tag, **attrs)
    assert field is not None, (tag, attrs)
    return field


def test_refresher_interval_out_of_range_keeps_the_number_under_its_field(world, catalogue):
    response = world.client_for(world.coordinator).post(
        "/training/registry/settings/", {"refresher_interval_months": "500"}
    )
    assert response.status_code == 400
    field = _field(response, "input", name="refresher_interval_months")
    assert field["value"] == "500"
    assert error_under(field)
    assert not TrainingSettings.objects.filter(refresher_interval_months=500).exists()


def test_course_without_a_name_keeps_the_description(world, catalogue):
    course = next(iter(catalogue.values()))
    response = world.client_for(world.coordinator).post(
        f"/training/registry/courses/{course.pk}/edit/",
        {"name": "", "description": "Kirjoitettu kuvaus"},
    )
    assert response.status_code == 400
    assert "Kirjoitettu kuvaus" in _field(response, "textarea", name="description").text()
    assert error_under(_field(response, "input", name="name"))
    course.refresh_from_db()
    assert course.description != "Kirjoitettu kuvaus"


def test_places_out_of_range_keep_the_number_under_its_field(world, upcoming):
    response = world.client_for(world.coordinator).post(
        f"/training/events/{upcoming.pk}/capacity/", {"capacity": "9999"}
    )
    assert response.status_code == 400
    field = _field(response, "input", name="capacity")
    assert field["value"] == "9999"
    assert error_under(field)
    upcoming.refresh_from_db()
    assert upcoming.capacity == 10


def test_enrolling_someone_not_managed_shows_the_error_under_the_field(world, upcoming):
    response = world.client_for(world.manager).post(
        f"/training/events/{upcoming.pk}/enrol-staff/", {"user": str(world.outsider.pk)}
    )
    assert response.status_code == 400
    assert error_under(_field(response, "select", name="user"))


def test_a_bad_completion_date_stays_in_its_cell_with_the_error(world, upcoming, trainer, trainee):
    enrolment = services.enrol(actor=trainee, event=upcoming, user=trainee)
    theory = upcoming.course.modules.get(kind=ModuleKind.THEORY)
    response = world.client_for(trainer).post(
        f"/training/events/{upcoming.pk}/attendance/",
        {"enrolment": enrolment.pk, "module": theory.pk, "completed_on": "31.31.2026"},
    )
    assert response.status_code == 400
    field = _field(response, "input", id=f"d-{enrolment.pk}-{theory.pk}")
    assert field["value"] == "31.31.2026"
    assert field["aria-invalid"] == "true"
    assert error_under(field)
    assert not enrolment.attendance.exists()
