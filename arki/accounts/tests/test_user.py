from __future__ import annotations

from typing import cast

import pytest

from arki.accounts.models import User
from arki.core.tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "first, last, full",
    [("Äijä", "Öhman", "Äijä Öhman"), ("Åsa", "", "Åsa "), ("", "Ålander", " Ålander")],
)
def test_the_database_stores_first_space_last_as_the_full_name(first, last, full):
    user = UserFactory(first_name=first, last_name=last)
    assert User.objects.get(pk=user.pk).full_name == full


@pytest.mark.django_db
def test_the_full_name_follows_a_rename_by_save_or_by_update():
    user = cast(User, UserFactory(first_name="Aino", last_name="Virtanen"))
    user.last_name = "Nieminen"
    user.save()
    assert User.objects.get(pk=user.pk).full_name == "Aino Nieminen"
    User.objects.filter(pk=user.pk).update(first_name="Liisa")
    assert User.objects.get(pk=user.pk).full_name == "Liisa Nieminen"
