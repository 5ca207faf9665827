"""Pages: who may do what, and that what the user does reaches the database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from arki.accounts.models import QualificationKind
from arki.audit.models import AuditEvent
from arki.training import services
from arki.training.models import CourseKind, Enrolment, EnrolmentStatus, ModuleKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(make_event):
    today = timezone.localdate()
    return make_event(starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=40))


@pytest.mark.parametrize(
    "url",
    ["/training/registry/", "/training/registry/events/new/", "/training/registry/import/"],
)
def test_worker_cannot_manage_the_registry(world, catalogue, url):
    assert world.client_for(world.worker).get(url).status_code == 403


def test_worker_cannot_edit_a_course_or_settings(world, catalogue):
    client = world.client_for(world.worker)
    course = catalogue[CourseKind.DISCUSSION]
    assert client.get(f"/training/registry/courses/{course.pk}/").status_code == 403
    response = client.post("/training/registry/settings/", {"refresher_interval_months": 1})
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(world):
    response = world.client_for(None).get("/training/registry/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_coordinator_sees_the_registry_and_edits_hours(world, catalogue, upcoming):
    client = world.client_for(world.coordinator)
    response = client.get("/training/registry/")
    assert response.status_code == 200
    assert upcoming.place in response.content.decode()
    course = catalogue[CourseKind.DISCUSSION]
    theory = course.modules.get(kind=ModuleKind.THEORY)
    prefix = f"m{theory.pk.hex[:8]}"
    response = client.post(
        f"/training/registry/courses/{course.pk}/",
        {
            f"save-{theory.pk}": "1",
            f"{prefix}-name": "Teoria",
            f"{prefix}-kind": "theory",
            f"{prefix}-hours": "6",
            f"{prefix}-order": "1",
            f"{prefix}-is_active": "on",
        },
    )
    assert response.status_code == 302
    theory.refresh_from_db()
    assert theory.hours == 6 and theory.name == "Teoria"
    assert AuditEvent.objects.filter(action="training.catalogue.changed").count() == 1


def test_coordinator_creates_an_event_with_a_qualified_trainer(world, catalogue, trainer):
    response = world.client_for(world.coordinator).post(
        "/training/registry/events/new/",
        {
            "course": catalogue[CourseKind.NETWORK_MEETING].pk,
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-01",
            "place": "Seinäjoki",
            "capacity": "12",
            "trainers": [trainer.pk],
        },
    )
    assert response.status_code == 302
    assert world.tenant.training_events.get().trainers.get() == trainer


def test_worker_enrols_themself_and_sees_it(world, upcoming):
    client = world.client_for(world.worker)
    assert upcoming.place in client.get("/training/").content.decode()
    response = client.post(f"/training/events/{upcoming.pk}/enrol/")
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=world.worker)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.enrolled_by == world.worker


def test_enrol_needs_post(world, upcoming):
    assert (
        world.client_for(world.worker).get(f"/training/events/{upcoming.pk}/enrol/").status_code
        == 405
    )
    assert not Enrolment.objects.exists()


def test_outsider_cannot_see_or_enrol_in_another_tenants_event(world, upcoming):
    client = world.client_for(world.outsider)
    assert client.post(f"/training/events/{upcoming.pk}/enrol/").status_code == 404
    assert client.get(f"/training/events/{upcoming.pk}/").status_code == 404


def test_manager_enrols_their_staff_but_not_other_units(world, upcoming):
    client = world.client_for(world.manager)
    client.post(f"/training/events/{upcoming.pk}/enrol-staff/", {"user": world.colleague.pk})
    client.post(
        f"/training/events/{upcoming.pk}/enrol-staff/", {"user": world.other_area_worker.pk}
    )
    assert list(Enrolment.objects.values_list("user", flat=True)) == [world.colleague.pk]


def test_worker_cannot_enrol_others_or_cancel_their_enrolment(world, upcoming):
    enrolment = services.enrol(actor=world.colleague, event=upcoming, user=world.colleague)
    client = world.client_for(world.worker)
    response = client.post(
        f"/training/events/{upcoming.pk}/enrol-staff/", {"user": world.colleague.pk}
    )
    assert response.status_code == 403
    assert client.post(f"/training/enrolments/{enrolment.pk}/cancel/").status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_worker_cannot_see_the_event_page(world, upcoming):
    assert world.client_for(world.worker).get(f"/training/events/{upcoming.pk}/").status_code == 403


def test_trainer_sees_trainees_and_signs_off_practice(world, make_event, trainer, trainee):
    today = timezone.localdate()
    upcoming = make_event(starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=3))
    enrolment = services.enrol(actor=trainee, event=upcoming, user=trainee)
    client = world.client_for(trainer)
    assert trainee.get_full_name() in client.get("/training/trainees/").content.decode()
    page = client.get(f"/training/events/{upcoming.pk}/").content.decode()
    assert "Sign off" in page or "Kuittaa" in page
    for module in upcoming.course.modules.all():
        response = client.post(
            f"/training/events/{upcoming.pk}/attendance/",
            {"enrolment": enrolment.pk, "module": module.pk, "completed_on": today.isoformat()},
        )
        assert response.status_code == 302
    assert trainee.has_qualification(QualificationKind.DISCUSSION)
    practice = enrolment.attendance.get(module__kind=ModuleKind.PRACTICE)
    assert practice.signed_off_by == trainer


def test_coordinator_cannot_sign_off_practice_through_the_page(world, upcoming, trainee):
    enrolment = services.enrol(actor=trainee, event=upcoming, user=trainee)
    practice = upcoming.course.modules.get(kind=ModuleKind.PRACTICE)
    world.client_for(world.coordinator).post(
        f"/training/events/{upcoming.pk}/attendance/",
        {"enrolment": enrolment.pk, "module": practice.pk, "completed_on": "2025-01-01"},
    )
    assert not enrolment.attendance.exists()


def test_another_worker_cannot_record_attendance(world, upcoming, trainee):
    enrolment = services.enrol(actor=trainee, event=upcoming, user=trainee)
    theory = upcoming.course.modules.get(kind=ModuleKind.THEORY)
    response = world.client_for(world.colleague).post(
        f"/training/events/{upcoming.pk}/attendance/",
        {"enrolment": enrolment.pk, "module": theory.pk, "completed_on": "2025-01-01"},
    )
    assert response.status_code == 403
    assert not enrolment.attendance.exists()


def test_coordinator_sees_who_is_due(world, catalogue):
    # world.worker's discussion qualification is from 2025-05-01: due 2027-05-01 (24 months).
    world.worker.qualifications.update(completed_on=date(2020, 1, 1))
    page = world.client_for(world.coordinator).get("/training/registry/").content.decode()
    assert world.worker.get_full_name() in page
    assert (
        world.colleague.get_full_name() not in page
        or world.colleague.qualifications.filter(completed_on__lt=date(2024, 1, 1)).exists()
    )


def test_my_training_shows_due_date(world):
    world.worker.qualifications.update(completed_on=date(2024, 3, 15))
    page = (
        world.client_for(world.worker).get("/training/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "03/15/2026" in page  # the English short date format


def test_home_page_reminds_the_worker_of_a_due_refresher(world):
    today = timezone.localdate()
    world.worker.qualifications.update(completed_on=today.replace(year=today.year - 2))
    body = world.client_for(world.worker).get("/").content.decode()
    assert "/training/" in body and "refresher-h" in body
    assert "refresher-h" not in world.client_for(world.colleague).get("/").content.decode()


def test_a_refresher_attended_moves_the_due_date(world, make_event, trainer):
    from arki.training.selectors import refresher_state

    world.worker.qualifications.update(completed_on=date(2022, 1, 10))
    assert refresher_state(world.worker, world.tenant.pk, date(2025, 1, 1)).status == "due"
    event = make_event(CourseKind.REFRESHER, starts_on=date(2024, 6, 1), ends_on=date(2024, 6, 1))
    enrolment = services.enrol(actor=world.worker, event=event, user=world.worker)
    module = event.course.modules.get()
    services.attendance_record(
        actor=world.coordinator, enrolment=enrolment, module=module, completed_on=date(2024, 6, 1)
    )
    state = refresher_state(world.worker, world.tenant.pk, date(2025, 1, 1))
    assert state.last_refresher == date(2024, 6, 1)
    assert state.due_on == date(2026, 6, 1) and state.status == "ok"
    # An earlier refresher recorded later does not move it back; the latest one counts.
    earlier = make_event(CourseKind.REFRESHER, starts_on=date(2023, 3, 1), ends_on=date(2023, 3, 1))
    enrolment = services.enrol(actor=world.worker, event=earlier, user=world.worker)
    services.attendance_record(
        actor=world.coordinator,
        enrolment=enrolment,
        module=earlier.course.modules.get(),
        completed_on=date(2023, 3, 1),
    )
    assert refresher_state(world.worker, world.tenant.pk, date(2025, 1, 1)).last_refresher == date(
        2024, 6, 1
    )


def test_coordinator_changes_the_refresher_interval(world, catalogue):
    from arki.training.selectors import refresher_state

    world.worker.qualifications.update(completed_on=date(2024, 1, 1))
    response = world.client_for(world.coordinator).post(
        "/training/registry/settings/", {"refresher_interval_months": "36"}
    )
    assert response.status_code == 302
    assert refresher_state(world.worker, world.tenant.pk, date(2025, 1, 1)).due_on == date(
        2027, 1, 1
    )


def test_coordinator_pages_render(world, catalogue, upcoming):
    client = world.client_for(world.coordinator)
    course = catalogue[CourseKind.DISCUSSION]
    for url in (
        "/training/registry/",
        f"/training/registry/courses/{course.pk}/",
        "/training/registry/events/new/",
        "/training/registry/import/",
        f"/training/events/{upcoming.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'style="' not in response.content.decode()


def test_bad_module_hours_are_refused_with_a_message(world, catalogue):
    course = catalogue[CourseKind.DISCUSSION]
    response = world.client_for(world.coordinator).post(
        f"/training/registry/courses/{course.pk}/",
        {"add": "1", "new-name": "X", "new-kind": "other", "new-hours": "lots", "new-order": "1"},
    )
    assert response.status_code == 400
    assert course.modules.count() == 3


def test_trainer_sees_imported_trainees_they_trained(world, trainer):
    from arki.training import imports

    content = (
        "email,qualification,completed_on,trainer\n"
        f"{world.colleague.email},discussion,2024-01-01,{trainer.email}\n"
    )
    imports.import_file(
        actor=world.coordinator, tenant=world.tenant, content=content.encode(), filename="a.csv"
    )
    body = world.client_for(trainer).get("/training/trainees/").content.decode()
    assert world.colleague.get_full_name() in body
    assert world.colleague.get_full_name() not in (
        world.client_for(world.worker).get("/training/trainees/").content.decode()
    )


def test_an_overdue_refresher_is_told_on_the_home_page_and_when_offering_a_discussion(world):
    offer = f"/discussions/children/{world.child.pk}/new/"
    client = world.client_for(world.worker)
    assert 'id="refresher-overdue"' not in client.get(offer).content.decode()
    world.worker.qualifications.update(completed_on=date(2020, 1, 1))  # due 1.1.2022
    home = client.get("/").content.decode()
    assert "Täydennyskoulutuksesi on myöhässä: se erääntyi 1.1.2022." in home
    page = client.get(offer).content.decode()
    assert 'id="refresher-overdue"' in page and "/training/" in page
    registry = world.client_for(world.coordinator).get("/training/registry/").content.decode()
    assert world.worker.get_full_name() in registry


def test_participants_who_completed_are_shown_as_completed(world, make_event, trainer, trainee):
    event = make_event(starts_on=date(2026, 1, 10), ends_on=date(2026, 2, 10))
    enrolment = services.enrol(actor=trainee, event=event, user=trainee)
    modules = list(event.course.modules.all())
    for module in modules[:-1]:
        services.attendance_record(
            actor=trainer, enrolment=enrolment, module=module, completed_on=date(2026, 2, 10)
        )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    services.attendance_record(
        actor=trainer, enrolment=enrolment, module=modules[-1], completed_on=date(2026, 2, 10)
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    page = world.client_for(trainer).get(f"/training/events/{event.pk}/").content.decode()
    assert ">suorittanut<" in page and ">ilmoittautunut<" not in page


def test_the_completion_date_offered_is_the_trainings_date(world, make_event, trainer, trainee):
    event = make_event(starts_on=date(2026, 1, 10), ends_on=date(2026, 1, 12))
    services.enrol(actor=trainee, event=event, user=trainee)
    page = world.client_for(trainer).get(f"/training/events/{event.pk}/").content.decode()
    assert 'name="completed_on" value="2026-01-12"' in page
    assert f'value="{timezone.localdate().isoformat()}"' not in page


def test_a_completion_before_the_training_is_an_error_under_its_date(
    world, make_event, trainer, trainee
):
    event = make_event(starts_on=date(2026, 1, 10), ends_on=date(2026, 1, 12))
    enrolment = services.enrol(actor=trainee, event=event, user=trainee)
    theory = event.course.modules.get(kind=ModuleKind.THEORY)
    response = world.client_for(trainer).post(
        f"/training/events/{event.pk}/attendance/",
        {"enrolment": enrolment.pk, "module": theory.pk, "completed_on": "2026-01-09"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    cell = f"d-{enrolment.pk}-{theory.pk}"
    assert f'aria-describedby="{cell}_error"' in body and 'value="2026-01-09"' in body
    assert f'id="{cell}_error"' in body and "ennen koulutuksen alkua" in body
    assert not enrolment.attendance.exists()
