"""The helpers the demo's seeding modules share."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from arki.accounts.models import User
from arki.core.tests.factories import MembershipFactory, UserFactory
from arki.demo.common import at, staff, staff_if_any


@pytest.mark.django_db
def test_a_staff_member_acts_in_their_membership():
    membership = MembershipFactory(user=UserFactory(username="nurse"))
    for user in (staff("nurse"), staff_if_any("nurse")):
        assert user is not None and user.pk == membership.user_id
        assert user.current_membership == membership  # type: ignore[attr-defined]
        assert user.current_membership.unit == membership.unit  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_missing_account_is_none_or_an_error():
    assert staff_if_any("nobody") is None
    with pytest.raises(User.DoesNotExist):
        staff("nobody")


def test_at_is_the_local_time_of_the_day_even_across_summer_time():
    helsinki = ZoneInfo("Europe/Helsinki")
    winter, summer = at(date(2027, 3, 27), time(13)), at(date(2027, 3, 29), time(13))
    for moment in (winter, summer):
        local = moment.astimezone(helsinki)
        assert (local.hour, local.minute) == (13, 0)
    assert (winter.utcoffset().total_seconds(), summer.utcoffset().total_seconds()) == (
        2 * 3600,
        3 * 3600,
    )
