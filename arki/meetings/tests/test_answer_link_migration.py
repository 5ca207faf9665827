"""Migration 0005 hashes the answer tokens already emailed: those links keep working, and the
clear-text column is gone."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("meetings", "0004_merge_invitations_and_reports")]
AFTER = [("meetings", "0005_answer_links_hashed")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_are_hashed_and_the_clear_text_is_gone(world):
    old = _migrate(BEFORE)
    Tenant = old.get_model("organisations", "Tenant")
    Child = old.get_model("people", "Child")
    User = old.get_model("accounts", "User")
    NetworkMeeting = old.get_model("meetings", "NetworkMeeting")
    Invitee = old.get_model("meetings", "Invitee")
    now = timezone.now()
    meeting = NetworkMeeting.objects.create(
        tenant=Tenant.objects.get(pk=world.tenant.pk),
        child=Child.objects.get(pk=world.child.pk),
        chair=User.objects.get(pk=world.worker.pk),
        status="scheduled",
        reason="r",
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=1),
    )
    invited = Invitee.objects.create(
        meeting=meeting,
        kind="professional",
        name="A",
        response_token="emailed-token-1",
        invited_at=now,
    )
    Invitee.objects.create(
        meeting=meeting, kind="professional", name="B", response_token="never-sent-token"
    )
    try:
        new = _migrate(AFTER)
        AnswerLink = new.get_model("meetings", "AnswerLink")
        (link,) = AnswerLink.objects.all()
        assert link.invitee_id == invited.pk
        assert link.token_hash == hashlib.sha256(b"emailed-token-1").hexdigest()
        assert link.ended_at is None
        assert link.expires_at == meeting.ends_at + timedelta(hours=24)
        columns = [
            c.name
            for c in connection.introspection.get_table_description(
                connection.cursor(), "meetings_invitee"
            )
        ]
        assert "response_token" not in columns
        # Backwards, each invitee gets a new token of its own (the emailed ones are unknown).
        back = _migrate(BEFORE)
        tokens = set(back.get_model("meetings", "Invitee").objects.values_list("response_token"))
        assert len(tokens) == 2 and ("emailed-token-1",) not in tokens
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    from django.test import Client

    from arki.meetings.models import AnswerLink as CurrentAnswerLink

    assert CurrentAnswerLink.objects.count() == 1

    # Forwards again: the new tokens are hashed; the first ones are gone for good.
    assert Client().get("/meetings/answer/emailed-token-1/").status_code == 404
