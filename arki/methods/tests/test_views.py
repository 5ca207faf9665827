"""The pages: the public catalogue without login, the staff's pages by permission, import."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from arki.audit.models import AuditEvent
from arki.methods import services, transfer
from arki.methods.models import Method, MethodStatus
from arki.training.models import (
    Attendance,
    Course,
    CourseKind,
    CourseModule,
    Enrolment,
    EnrolmentStatus,
    ModuleKind,
    TrainingEvent,
)

pytestmark = pytest.mark.django_db


def test_the_public_catalogue_needs_no_login_and_shows_only_published_methods(catalogue):
    catalogue.published("kids-club")
    catalogue.draft("secret-draft")
    anonymous = Client()
    page = anonymous.get("/methods/pohjanmaa/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kerho fi" in body
    assert "secret-draft" not in body
    assert anonymous.get("/methods/pohjanmaa/secret-draft/").status_code == 404
    assert anonymous.get("/methods/pohjanmaa/kids-club/").status_code == 200
    assert anonymous.get("/methods/pohjanmaa/kids-club/v1/").status_code == 200
    assert anonymous.get("/methods/pohjanmaa/kids-club/v2/").status_code == 404
    # A region without published methods has no public catalogue.
    assert anonymous.get("/methods/lolland/").status_code == 404


def test_the_public_page_is_in_the_readers_language(catalogue):
    catalogue.published("kids-club")
    anonymous = Client(headers={"accept-language": "sv"})
    assert "Kerho sv" in anonymous.get("/methods/pohjanmaa/kids-club/").content.decode()


def test_public_filters(catalogue):
    catalogue.published("kids-club")  # ages 3-12, ecec and school, training fi/en, loneliness
    catalogue.published(
        "teen-group", age_min=13, age_max=17, service_settings=["ngo"], tags=["bullying"]
    )
    anonymous = Client()

    def names(query: str) -> set[str]:
        page = anonymous.get(f"/methods/pohjanmaa/?{query}").content.decode()
        return {
            slug for slug in ("kids-club", "teen-group") if f"/methods/pohjanmaa/{slug}/" in page
        }

    assert names("") == {"kids-club", "teen-group"}
    assert names("age=15") == {"teen-group"}
    assert names("setting=ecec") == {"kids-club"}
    assert names("tag=bullying") == {"teen-group"}
    assert names("training_language=sv") == set()
    assert names("age=99") == {"kids-club", "teen-group"}  # a bad filter is a form error
    assert anonymous.get("/methods/pohjanmaa/?age=99").status_code == 200


def test_the_json_endpoint_gives_the_published_snapshot(catalogue):
    method = catalogue.published("kids-club")
    data = Client().get("/methods/pohjanmaa/catalogue.json").json()
    assert [m["slug"] for m in data["methods"]] == ["kids-club"]
    version = Client().get("/methods/pohjanmaa/kids-club/v1.json").json()
    assert version["version"] == 1
    assert version["texts"]["en"]["name"] == "Kerho en"
    assert version["age_max"] == method.age_max


def _train(world, method, user, trainer):
    course = Course.objects.create(
        tenant=world.tenant, kind=CourseKind.METHOD, name="Kerho training", method=method
    )
    module = CourseModule.objects.create(course=course, kind=ModuleKind.THEORY, name="T", hours=5)
    event = TrainingEvent.objects.create(
        tenant=world.tenant,
        course=course,
        starts_on="2026-01-10",
        ends_on="2026-01-11",
        place="Vaasa",
        capacity=10,
    )
    event.trainers.add(trainer)
    enrolment = Enrolment.objects.create(
        event=event, user=user, status=EnrolmentStatus.ENROLLED, queued_at="2026-01-01T10:00Z"
    )
    Attendance.objects.create(enrolment=enrolment, module=module, completed_on="2026-01-11")


def test_staff_see_where_people_are_trained_and_the_public_does_not(catalogue):
    world = catalogue.world
    method = catalogue.published("kids-club")
    _train(world, method, world.worker, world.other_area_worker)
    staff_page = world.client_for(catalogue.leader).get("/methods/manage/kids-club/")
    assert staff_page.status_code == 200
    rows = staff_page.content.decode()
    assert "Vaasa" in rows and "Mustasaari" in rows
    assert "Vaasa</td><td>1</td><td>0</td>" in rows.replace("\n", "")
    assert "Mustasaari</td><td>0</td><td>1</td>" in rows.replace("\n", "")
    public_page = Client().get("/methods/pohjanmaa/kids-club/").content.decode()
    assert "Mustasaari" not in public_page and "Vaasa" not in public_page


def test_staff_pages_need_login_and_editing_needs_the_editor_permission(catalogue):
    world = catalogue.world
    catalogue.draft("kids-club")
    assert Client().get("/methods/manage/").status_code == 302
    worker = world.client_for(world.worker)
    assert worker.get("/methods/manage/").status_code == 200
    assert worker.get("/methods/manage/kids-club/").status_code == 200
    assert worker.get("/methods/manage/new/").status_code == 403
    assert worker.post("/methods/manage/kids-club/workflow/submit/").status_code == 403
    # Another region's staff do not find the method at all.
    assert world.client_for(world.outsider).get("/methods/manage/kids-club/").status_code == 404


def test_an_editor_creates_and_publishes_a_method_through_the_pages(catalogue):
    world = catalogue.world
    editor = world.client_for(catalogue.editor)
    form = {
        "slug": "new-method",
        "age_min": "0",
        "age_max": "6",
        "target_groups": ["family"],
        "service_settings": ["health"],
        "tags": "sleep, screens",
    }
    for code in ("fi", "sv", "en", "da"):
        form[f"text-{code}-name"] = f"Uni {code}"
        form[f"text-{code}-summary"] = f"Unesta {code}"
    # A language with a goal but no name: the error stands under the field, typed text kept.
    form["text-da-name"] = ""
    response = editor.post("/methods/manage/new/", form)
    assert response.status_code == 200
    assert "Unesta da" in response.content.decode()
    assert not Method.objects.exists()
    form["text-da-name"] = "Søvn"
    response = editor.post("/methods/manage/new/", form)
    assert response.status_code == 302
    method = Method.objects.get(slug="new-method")
    assert method.tags == ["screens", "sleep"]
    editor.post(
        "/methods/manage/new-method/inclusion/",
        {
            f: "on"
            for f in (
                "inclusion_goal",
                "inclusion_under_18",
                "inclusion_theory",
                "inclusion_training",
                "inclusion_ethics",
            )
        },
    )
    editor.post("/methods/manage/new-method/workflow/submit/")
    response = editor.post("/methods/manage/new-method/workflow/publish/", {"change_note": ""})
    assert response.status_code == 302
    method.refresh_from_db()
    assert (method.status, method.published_version) == (MethodStatus.PUBLISHED, 1)
    assert Client().get("/methods/pohjanmaa/new-method/").status_code == 200


def test_publishing_an_incomplete_method_shows_what_is_missing(catalogue):
    world = catalogue.world
    method = services.method_save(actor=catalogue.editor, tenant=world.tenant, slug="half")
    services.method_texts_save(
        actor=catalogue.editor, method=method, texts={"fi": {"name": "Puoli", "summary": "S"}}
    )
    services.method_submit(actor=catalogue.editor, method=method)
    response = world.client_for(catalogue.editor).post(
        "/methods/manage/half/workflow/publish/", {"change_note": ""}
    )
    assert response.status_code == 200
    assert "sv, en, da" in response.content.decode()
    method.refresh_from_db()
    assert method.published_version == 0


def test_import_with_a_bad_row_changes_nothing_and_reports_each_bad_row(catalogue):
    world = catalogue.world
    editor = world.client_for(catalogue.editor)
    good = {
        "slug": "good-one",
        "age_min": 1,
        "age_max": 5,
        "texts": {"fi": {"name": "Hyvä", "summary": "S"}},
    }
    bad_age = {
        "slug": "bad-age",
        "age_min": 9,
        "age_max": 3,
        "texts": {"fi": {"name": "A", "summary": "S"}},
    }
    bad_text = {
        "slug": "bad-text",
        "texts": {"fi": {"name": "", "summary": ""}},
        "settings": ["moon"],
    }
    payload = json.dumps(
        {"format": "arki-methods", "version": 1, "methods": [good, bad_age, bad_text]}
    )
    upload = io.BytesIO(payload.encode())
    upload.name = "methods.json"
    response = editor.post("/methods/manage/import/", {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "nuorin ikä on vanhinta suurempi" in body
    assert "moon" in body
    assert not Method.objects.exists()
    upload = io.BytesIO(json.dumps({"format": "arki-methods", "methods": [good]}).encode())
    upload.name = "methods.json"
    assert editor.post("/methods/manage/import/", {"file": upload}).status_code == 302
    assert Method.objects.get(slug="good-one").status == MethodStatus.DRAFT
    assert AuditEvent.objects.filter(action="methods.catalogue.imported").count() == 1


def test_a_file_that_is_not_an_export_is_refused_clearly(catalogue):
    editor = catalogue.world.client_for(catalogue.editor)
    for name, content in (
        ("x.json", b"{not json"),
        ("x.csv", b"a,b\n1,2\n"),
        ("x.txt", b"hi"),
        ("x.csv", b"\xff\xfe\x00bad"),
    ):
        upload = io.BytesIO(content)
        upload.name = name
        response = editor.post("/methods/manage/import/", {"file": upload})
        assert response.status_code == 200
        assert (
            "Nothing was imported" in response.content.decode()
            or "Mitään ei tuotu" in response.content.decode()
        )
    assert not Method.objects.exists()


def test_export_round_trips_through_csv_and_json(catalogue):
    method = catalogue.published("kids-club")
    services.reference_add(
        actor=catalogue.editor, method=method, citation="Study 2020", doi="10.1/x"
    )
    methods = list(Method.objects.all())
    for text, name in (
        (transfer.export_json(methods), "m.json"),
        (transfer.export_csv(methods), "m.csv"),
    ):
        records = transfer.parse(text.encode(), name)
        clean, problems = transfer.validate(records[0], catalogue.world.tenant)
        assert problems == []
        assert clean is not None
        assert clean["texts"]["sv"]["name"] == "Kerho sv"
        assert clean["settings"] == ["ecec", "school"]
        assert clean["references"][0]["citation"].startswith("Study 2020")
    response = catalogue.world.client_for(catalogue.editor).get("/methods/manage/export.csv")
    assert response.status_code == 200
    assert b"kids-club" in response.content
    assert AuditEvent.objects.filter(action="methods.catalogue.exported").exists()


def test_the_training_registry_adds_a_course_in_a_catalogue_method(catalogue):
    world = catalogue.world
    method = catalogue.published("kids-club")
    coordinator = world.client_for(world.coordinator)
    response = coordinator.post(
        "/training/registry/courses/new/", {"name": "Kerho course", "method": str(method.pk)}
    )
    assert response.status_code == 302
    course = Course.objects.get(name="Kerho course")
    assert (course.kind, course.method) == (CourseKind.METHOD, method)
    # A second course in another method is allowed (only LT's kinds are one per region).
    coordinator.post("/training/registry/courses/new/", {"name": "Kerho advanced", "method": ""})
    assert Course.objects.filter(kind=CourseKind.METHOD).count() == 2
    # Another region's method cannot be chosen.
    other = Method.objects.create(tenant=world.outsider.memberships.get().tenant, slug="foreign")
    response = coordinator.post(
        f"/training/registry/courses/{course.pk}/edit/", {"name": "X", "method": str(other.pk)}
    )
    course.refresh_from_db()
    assert course.method == method
    assert "Kerho course" in coordinator.get("/training/registry/").content.decode()


def test_lt_qualifications_count_as_lt_practitioners(catalogue):
    from arki.methods.lt import lt_method_load
    from arki.methods.selectors import trained_by_area

    world = catalogue.world
    lt = lt_method_load(actor=None, tenant=world.tenant)
    assert trained_by_area(lt) == []
    Course.objects.create(tenant=world.tenant, kind=CourseKind.DISCUSSION, name="LT", method=lt)
    rows = {row.area: row.practitioners for row in trained_by_area(lt)}
    # worker, colleague and manager in Vaasa; the other area's worker in Mustasaari.
    assert rows == {"Vaasa": 3, "Mustasaari": 1}
