"""First-time setup of a real tenant from a file of its units."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from arki.accounts.models import Membership, Role, User
from arki.audit.models import AuditEvent
from arki.organisations.models import Tenant, Unit

CSV = (
    "kunta;yksikkö;sektori;lokikirja\n"
    "Joensuu;Päiväkoti Kielo;ecec;ecec\n"
    "Joensuu;Rantakylän koulu;koulu;koulu, vuosiluokat 1–6\n"
    "Kontiolahti;Neuvola;child health clinic and health services;\n"
)


def run(tmp_path, content, name="units.csv", **options):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = io.StringIO()
    call_command(
        "setup_tenant",
        str(path),
        name="Pohjois-Karjalan hyvinvointialue",
        slug="siun",
        stdout=out,
        **options,
    )
    return out.getvalue()


@pytest.mark.django_db
def test_a_tenant_its_areas_units_and_first_administrator(tmp_path):
    out = run(tmp_path, CSV, admin_username="admin.siun", admin_email="admin@siun.fi",
              admin_name="Anna Admin")  # fmt: skip
    assert "2 areas and 3 units created." in out
    tenant = Tenant.objects.get(slug="siun")
    units = {u.name: (u.area.name, u.sector, u.setting) for u in Unit.objects.filter(tenant=tenant)}
    assert units == {
        "Päiväkoti Kielo": ("Joensuu", "ecec", "ecec"),
        "Rantakylän koulu": ("Joensuu", "school", "school_1_6"),  # Finnish labels accepted
        "Neuvola": ("Kontiolahti", "health", "services"),
    }
    admin = User.objects.get(username="admin.siun")
    password = out.split("password ")[1].split(" ")[0]
    assert admin.check_password(password) and admin.get_full_name() == "Anna Admin"
    assert Membership.objects.get(user=admin).role == Role.ADMIN
    assert AuditEvent.objects.filter(action="operations.tenant.set_up").count() == 1
    # Again with one more unit: only that is created, the administrator's password is kept.
    out = run(tmp_path, CSV + "Kontiolahti;Lehmon koulu;school;\n", admin_username="admin.siun")
    assert "0 areas and 1 units created." in out and "password" not in out
    assert Unit.objects.filter(tenant=tenant).count() == 4
    assert User.objects.get(username="admin.siun").check_password(password)


@pytest.mark.django_db
def test_an_xlsx_file_works_too(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["area", "unit", "sector"])
    sheet.append(["Lieksa", "Perhekeskus", "family"])
    data = io.BytesIO()
    book.save(data)
    assert "1 areas and 1 units created." in run(tmp_path, data.getvalue(), name="u.xlsx")


@pytest.mark.django_db
def test_bad_rows_are_each_named_and_nothing_is_set_up(tmp_path):
    bad = (
        "area;unit;sector\nJoensuu;Kielo;ecec\nJoensuu;;police\nJoensuu;X;spaceport\n"
        "Joensuu;kielo;ecec\n"
    )
    with pytest.raises(CommandError) as failure:
        run(tmp_path, bad)
    message = str(failure.value)
    assert "Nothing was set up." in message
    assert "row 3 unit" in message and "row 4 sector" in message and "row 5 unit" in message
    assert not Tenant.objects.filter(slug="siun").exists()
    with pytest.raises(CommandError, match="row 1 sector"):
        run(tmp_path, "area;unit\nJoensuu;Kielo\n")
    with pytest.raises(CommandError, match="units.csv.gone"):
        call_command("setup_tenant", str(tmp_path / "units.csv.gone"), name="X", slug="x")


@pytest.mark.django_db
def test_the_first_administrator_sets_up_two_step_login_at_first_sign_in(tmp_path, settings):
    from django.test import Client
    from django.urls import reverse

    out = run(tmp_path, CSV, admin_username="admin.siun")
    password = out.split("password ")[1].split(" ")[0]
    settings.ARKI_REQUIRE_2FA = True
    client = Client()
    login = client.post("/accounts/login/", {"username": "admin.siun", "password": password})
    assert login.status_code == 302
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
