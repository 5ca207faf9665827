"""Import of already-trained staff: all rows or none, each bad row reported."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from arki.accounts.models import Qualification
from arki.audit.models import AuditEvent
from arki.training import imports
from arki.training.models import QualificationGrant

pytestmark = pytest.mark.django_db


def csv_bytes(rows, delimiter=","):
    return "\n".join(delimiter.join(r) for r in rows).encode("utf-8")


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def snapshot():
    return sorted(Qualification.objects.values_list("user_id", "kind", "completed_on")), (
        QualificationGrant.objects.count()
    )


def test_good_csv_imports_every_row(world, trainer):
    content = csv_bytes(
        [
            ["email", "qualification", "completed_on", "trainer"],
            [world.colleague.email, "network_meeting", "31.5.2024", trainer.email],
            [world.manager.email, "neuvonpito", "2023-01-15", ""],
            [world.other_area_worker.email, "LP-kouluttaja", "2022-02-02", ""],
        ],
        delimiter=";",
    )
    count = imports.import_file(
        actor=world.coordinator, tenant=world.tenant, content=content, filename="koulutetut.csv"
    )
    assert count == 3
    q = Qualification.objects.get(user=world.colleague, kind="network_meeting")
    assert q.completed_on == date(2024, 5, 31)
    assert QualificationGrant.objects.get(user=world.colleague).trained_by == trainer
    assert world.manager.has_qualification("network_meeting")
    assert world.other_area_worker.has_qualification("trainer")
    assert AuditEvent.objects.filter(action="training.import.completed").count() == 1


BAD_ROWS = [
    ["email", "qualification", "completed_on"],
    ["COLLEAGUE", "discussion", "2024-01-01"],  # row 2: good (email case-insensitive)
    ["nobody@example.fi", "discussion", "2024-01-01"],  # row 3: unknown email
    ["MANAGER", "wizard", "2024-01-01"],  # row 4: unknown qualification
    ["OTHER", "discussion", "1.13.2024"],  # row 5: bad date
    ["OUTSIDER", "discussion", "2024-01-01"],  # row 6: other tenant's staff
    ["COLLEAGUE", "discussion", "2024-02-01"],  # row 7: duplicate of row 2
    ["MANAGER", "discussion", "2999-01-01"],  # row 8: future date
]


def _rows(world):
    swap = {
        "COLLEAGUE": world.colleague.email.upper(),
        "MANAGER": world.manager.email,
        "OTHER": world.other_area_worker.email,
        "OUTSIDER": world.outsider.email,
    }
    return [[swap.get(c, c) for c in row] for row in BAD_ROWS]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_bad_rows_change_nothing_and_each_is_reported(world, kind):
    before = snapshot()
    rows = _rows(world)
    content = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_file(
            actor=world.coordinator, tenant=world.tenant, content=content, filename=f"f.{kind}"
        )
    reported = [(e.row, e.column) for e in failure.value.errors]
    assert reported == [
        (3, "email"),
        (4, "qualification"),
        (5, "completed_on"),
        (6, "email"),
        (7, "qualification"),
        (8, "completed_on"),
    ]
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action__startswith="training.").exists()


def test_xlsx_dates_and_good_rows_import(world):
    content = xlsx_bytes(
        [
            ["Sähköposti", "Pätevyys", "Suoritettu"],
            [world.colleague.email, "discussion", date(2021, 4, 1)],
        ]
    )
    assert (
        imports.import_file(
            actor=world.coordinator, tenant=world.tenant, content=content, filename="a.xlsx"
        )
        == 1
    )
    assert Qualification.objects.get(user=world.colleague).completed_on == date(2021, 4, 1)


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"", "empty.csv"),
        (b"\xff\xfe\x00garbage", "latin.csv"),
        (b"not a zip", "broken.xlsx"),
        (b"email,qualification\nx,y", "missing.csv"),
        (b"anything", "file.pdf"),
    ],
)
def test_malformed_files_get_a_clear_error(world, content, filename):
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_file(
            actor=world.coordinator, tenant=world.tenant, content=content, filename=filename
        )
    assert failure.value.errors and all(str(e.message) for e in failure.value.errors)


def test_upload_page_shows_each_bad_row_in_the_users_language(world):
    client = world.client_for(world.coordinator)
    upload = SimpleUploadedFile("f.csv", csv_bytes(_rows(world)), content_type="text/csv")
    before = snapshot()
    response = client.post(
        "/training/registry/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="fi"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tällä sähköpostiosoitteella ei löydy työntekijää." in body
    assert body.count("<tr><td>") >= 6
    assert snapshot() == before


def test_upload_page_imports_a_good_file(world):
    client = world.client_for(world.coordinator)
    content = csv_bytes(
        [
            ["email", "qualification", "completed_on"],
            [world.colleague.email, "discussion", "2024-01-01"],
        ]
    )
    response = client.post(
        "/training/registry/import/", {"file": SimpleUploadedFile("f.csv", content)}
    )
    assert response.status_code == 302
    assert world.colleague.qualifications.get().completed_on == date(2024, 1, 1)


def test_worker_cannot_import(world):
    response = world.client_for(world.worker).post(
        "/training/registry/import/", {"file": SimpleUploadedFile("f.csv", b"x")}
    )
    assert response.status_code == 403


def test_management_command_reports_rows_and_imports_nothing(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(_rows(world)))
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("training_import", world.tenant.slug, str(path), "--language", "en")
    assert snapshot() == before
    good = tmp_path / "good.csv"
    good.write_bytes(
        csv_bytes(
            [
                ["email", "qualification", "completed_on"],
                [world.manager.email, "trainer", "2020-01-01"],
            ]
        )
    )
    out = io.StringIO()
    call_command("training_import", world.tenant.slug, str(good), stdout=out)
    assert "1 qualifications imported" in out.getvalue()
