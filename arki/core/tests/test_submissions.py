"""Create forms create once: the same form sent twice (a double click, a reload) does not
create the record twice, and the second answer leads to what the first created."""

from __future__ import annotations

import re
import uuid

import pytest

from arki.core.exceptions import DomainError
from arki.core.models import Submission
from arki.core.submissions import create_once
from arki.discussions.models import ActionItem
from arki.discussions.tests.conftest import discussion, templates, url  # noqa: F401
from arki.people.models import Child

pytestmark = pytest.mark.django_db

CHILD = {
    "first_name": "Venla",
    "last_name": "Virtanen",
    "birth_date": "2019-06-01",
    "preferred_language": "fi",
}


def _token(html: str) -> str:
    match = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', html)
    assert match, "the form carries no one-time token"
    return match.group(1)


def test_adding_a_child_twice_with_one_form_adds_one_child(world):
    client = world.client_for(world.worker)
    token = _token(client.get("/children/new/").content.decode())
    before = Child.objects.count()
    first = client.post("/children/new/", {**CHILD, "submission_token": token})
    second = client.post("/children/new/", {**CHILD, "submission_token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Child.objects.count() == before + 1
    # Another blank form is another submission.
    again = _token(client.get("/children/new/").content.decode())
    assert again != token
    client.post("/children/new/", {**CHILD, "submission_token": again})
    assert Child.objects.count() == before + 2


def test_a_refused_form_keeps_its_token_and_creates_once_when_corrected(world):
    client = world.client_for(world.worker)
    token = _token(client.get("/children/new/").content.decode())
    refused = client.post("/children/new/", {**CHILD, "birth_date": "", "submission_token": token})
    assert refused.status_code == 200 and _token(refused.content.decode()) == token
    assert not Submission.objects.filter(token=token).exists()
    client.post("/children/new/", {**CHILD, "submission_token": token})
    client.post("/children/new/", {**CHILD, "submission_token": token})
    assert Child.objects.filter(first_name="Venla").count() == 1


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_adding_an_action_item_twice_with_one_form_adds_one_item(world, discussion, htmx):  # noqa: F811
    client = world.client_for(world.worker)
    token = _token(client.get(url(discussion)).content.decode())
    data = {"what": "Ulkoillaan joka päivä", "owner_kind": "parent", "submission_token": token}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for _ in range(2):
        response = client.post(url(discussion, "actions/"), data, **headers)
        assert response.status_code == (200 if htmx else 302)
    assert ActionItem.objects.filter(discussion=discussion).count() == 1
    if htmx:  # the fragment's blank form carries a new token for the next item
        assert _token(response.content.decode()) != token


def test_a_token_already_stored_leads_to_what_it_created_without_creating(world):
    token = uuid.uuid4()
    Submission.objects.create(token=token, user=world.worker, created_url="/children/x/")

    def create():
        raise AssertionError("created twice")

    result = create_once(actor=world.worker, token=token, create=create, url=str)
    assert result.again and result.url == "/children/x/"
    with pytest.raises(DomainError):  # someone else's token leads nowhere
        create_once(actor=world.colleague, token=token, create=create, url=str)
