from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arki.indicators.filters import Filters, Period
from arki.indicators.models import NationalReferralRate, ReferralStatistic
from arki.indicators.selectors import referral_trend
from arki.indicators.services import ImportFailed, referrals_import


def csv_bytes(rows):
    return ("\n".join(";".join(map(str, r)) for r in rows)).encode()


HEADER = ["municipality", "year", "referrals", "population_under_18"]


@pytest.mark.django_db
def test_import_with_a_bad_row_changes_nothing_and_names_each_bad_row(world):
    content = csv_bytes(
        [
            HEADER,
            ["Vaasa", 2020, 400, 12000],
            ["Atlantis", 2020, 3, 100],
            ["Vaasa", "twenty", 1, 1],
            ["Vaasa", 2021, -1, 100],
        ]
    )
    with pytest.raises(ImportFailed) as exc:
        referrals_import(
            actor=world.coordinator, tenant=world.tenant, content=content, filename="r.csv"
        )
    assert [e.row for e in exc.value.errors] == [3, 4, 5]
    assert not ReferralStatistic.objects.exists()


@pytest.mark.django_db
def test_import_csv_and_xlsx(world):
    content = csv_bytes([HEADER, ["Vaasa", 2020, 400, 12000], ["mustasaari", 2020, 100, 5000]])
    assert (
        referrals_import(
            actor=world.coordinator, tenant=world.tenant, content=content, filename="r.csv"
        )
        == 2
    )
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["Vaasa", 2021, 380, 11900])
    out = io.BytesIO()
    book.save(out)
    assert (
        referrals_import(
            actor=world.coordinator, tenant=world.tenant, content=out.getvalue(), filename="r.xlsx"
        )
        == 1
    )
    assert ReferralStatistic.objects.count() == 3
    # Importing a year again updates it instead of duplicating it.
    referrals_import(
        actor=world.coordinator,
        tenant=world.tenant,
        content=csv_bytes([HEADER, ["Vaasa", 2020, 410, 12000]]),
        filename="r.csv",
    )
    assert ReferralStatistic.objects.get(area__name="Vaasa", year=2020).referrals == 410


@pytest.mark.django_db
def test_trend_of_the_region_next_to_the_country(world):
    area = world.unit.area
    for i, year in enumerate(range(2012, 2018)):
        ReferralStatistic.objects.create(
            tenant=world.tenant,
            area=area,
            year=year,
            referrals=round(500 * 0.93**i),
            population_under_18=10000,
        )
        NationalReferralRate.objects.create(
            country="FI",
            year=year,
            referrals=round(60000 * 1.019**i),
            population_under_18=1_000_000,
        )
    trend = referral_trend(Filters(world.tenant.pk, Period("2017")), "FI")
    assert -8 < trend.trend.aapc < -6
    assert 1.5 < trend.national_trend.aapc < 2.3
    assert len(trend.rows) == 6


@pytest.mark.django_db
def test_small_referral_counts_are_suppressed(world):
    ReferralStatistic.objects.create(
        tenant=world.tenant, area=world.unit.area, year=2020, referrals=3, population_under_18=400
    )
    trend = referral_trend(Filters(world.tenant.pk, Period("2020")), "FI")
    assert trend.rows[0][1] == "<5" and trend.rows[0][3] is None


@pytest.mark.django_db
def test_referral_page_permissions_and_upload_errors(world):
    assert world.client_for(world.worker).get("/indicators/referrals/").status_code == 403
    client = world.client_for(world.coordinator)
    assert client.get("/indicators/referrals/").status_code == 200
    bad = SimpleUploadedFile("r.csv", csv_bytes([HEADER, ["Nowhere", 2020, 1, 1]]))
    response = client.post("/indicators/referrals/", {"file-file": bad})
    assert response.status_code == 200
    assert "Nowhere" in response.content.decode()
    assert not ReferralStatistic.objects.exists()
    response = client.post(
        "/indicators/referrals/",
        {
            "one-area": str(world.unit.area.pk),
            "one-year": "2024",
            "one-referrals": "120",
            "one-population_under_18": "9000",
        },
    )
    assert response.status_code == 302
    assert ReferralStatistic.objects.get(year=2024).referrals == 120


@pytest.mark.django_db
def test_the_region_minus_its_other_municipalities_does_not_give_back_a_small_count(world):
    from arki.core.tests.factories import AreaFactory

    vaasa, mustasaari = world.unit.area, world.other_unit.area
    korsholm = AreaFactory(tenant=world.tenant, name="Korsnäs")
    for area, referrals in ((vaasa, 3), (mustasaari, 40), (korsholm, 55)):
        ReferralStatistic.objects.create(
            tenant=world.tenant, area=area, year=2025, referrals=referrals, population_under_18=900
        )

    def count(area=None):
        trend = referral_trend(Filters(world.tenant.pk, Period("2025"), area_id=area), "FI")
        return trend.rows[0][1]

    assert count() == 98
    assert count(vaasa.pk) == "<5"
    # 98 − 55 − 40 would give back the 3: the smaller of the others is hidden with it.
    assert count(mustasaari.pk) == "x"
    assert count(korsholm.pk) == 55
