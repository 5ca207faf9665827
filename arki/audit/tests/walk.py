"""Walking every URL pattern of the project with real records (SECURITY.md 1, 2, 5).

``url_patterns()`` lists every route of ``get_resolver()`` with its name; ``fill()`` puts the ids
of real fixture records into its path parameters (a parameter with no record gets a random
UUID, which must 404); ``records()`` builds one child with everything personal that can hang
off it: an LT discussion with an observation and an action item, a network meeting with a
professional invitee, the guardian's consent, a proposal and a report, a consultation, a portal
link and an open portal session, and a subject access request. The data subjects' names and
identity code are distinctive, so that their appearance in a response can be looked for.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

# The identity code of the walk's child: a valid Finnish code for 14 March 2021.
CHILD_NATIONAL_ID = "140321A998L"
CHILD_NAME = ("Oiva-Eemeli", "Esimerkkinen")
GUARDIAN_NAME = ("Hilkka-Maaria", "Huoltajatar")

DISCUSSION_TEMPLATES = Path(__file__).resolve().parents[2] / "discussions" / "tests" / "fixtures"


def url_patterns(patterns: Any = None, prefix: str = "", namespace: str = "") -> Iterator:
    """(route, name) for every URL pattern, the admin's and regular expressions' included."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else ""


_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def _first_choice(body: str) -> str:
    """A literal the regular-expression group ``body`` matches (``csv|xlsx`` gives csv)."""
    return body.split("|")[0].strip("()")


def fill(route: str, ids: dict[str, Any], name: str = "") -> str:
    """The route as a URL, each parameter the id of its record (or a value that finds none).
    ``ids`` may name a parameter of one URL name only: ``{"meetings:answer:token": ...}``."""

    def known_value(param: str) -> Any:
        return ids.get(f"{name}:{param}", ids.get(param))

    def value(match: re.Match) -> str:
        known = known_value(match["name"])
        if known is not None:
            return str(known)
        conv = match.groupdict().get("conv")
        if conv == "int":
            return "1"
        if conv in ("str", "slug", "path"):
            return "x"
        return str(uuid.uuid4())

    url = _REGEX_GROUP.sub(lambda m: str(known_value(m["name"]) or _first_choice(m["body"])), route)
    url = _PARAM.sub(value, url)
    url = url.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + url


@dataclass
class Records:
    """The records the walk fills path parameters with, by parameter name."""

    child: Any
    guardian: Any
    ids: dict[str, Any] = field(default_factory=dict)
    portal_client: Client | None = None

    @property
    def secrets(self) -> dict[str, Any]:
        """What identifies the child and the guardian, to look for in a response (the names
        are distinctive: a page that shows either name shows the person)."""
        return {
            self.child: [
                self.child.first_name,
                self.child.last_name,
                self.child.national_id,
                self.child.masked_national_id,
            ],
            self.guardian: [self.guardian.first_name, self.guardian.last_name],
        }


def records(world: Any) -> Records:
    """Everything personal that can hang off the world's child, made through the services."""
    from arki.accounts.models import QualificationKind
    from arki.core.tests.factories import QualificationFactory
    from arki.directory import services as directory
    from arki.discussions import services as discussions
    from arki.meetings import reports
    from arki.meetings import services as meetings
    from arki.meetings.models import MeetingStatus, NetworkMeeting
    from arki.organisations.models import Sector
    from arki.portal import services as portal
    from arki.portal.models import CodeDelivery

    child, guardian = world.child, world.guardian
    child.first_name, child.last_name = CHILD_NAME
    child.national_id = CHILD_NATIONAL_ID
    child.save()
    guardian.first_name, guardian.last_name = GUARDIAN_NAME
    guardian.save()
    ids: dict[str, Any] = {"child_id": child.pk}

    template = None
    for path in sorted(DISCUSSION_TEMPLATES.glob("*.json")):
        loaded, _ = discussions.logbook_import(data=json.loads(path.read_text()))
        if path.stem == "test-ecec.fi":
            template = loaded
    assert template is not None
    discussion = discussions.discussion_offer(
        actor=world.worker,
        child=child,
        unit=world.unit,
        template=template,
        offered_on=date(2026, 9, 1),
    )
    discussions.discussion_accept(
        actor=world.worker, discussion=discussion, responded_on=date(2026, 9, 3)
    )
    discussion.refresh_from_db()
    section = template.sections.order_by("order").first()
    observation = discussions.observation_add(
        actor=world.worker,
        discussion=discussion,
        section_id=section.pk,
        kind="strength",
        text="Leikkii mielellään",
    )
    item = discussions.action_add(
        actor=world.worker, discussion=discussion, what="Iltarutiini", owner_kind="parent"
    )
    ids.update(
        discussion_id=discussion.pk,
        section_id=section.pk,
        observation_id=observation.pk,
        item_id=item.pk,
    )

    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = meetings.meeting_plan(
        actor=world.worker, child=child, reason="Arki on kuormittunut", topics="Aamut"
    )
    invitee = meetings.invitee_add(
        actor=world.worker,
        meeting=meeting,
        kind="professional",
        user=world.other_area_worker,
        role_label="koulukuraattori",
    )
    meetings.invitee_approve(actor=guardian, invitee=invitee, approved=True, channel="portal")
    consent = meetings.consent_give(
        actor=guardian, invitee=invitee, scope="meeting_report", channel="portal"
    )
    proposal = meetings.proposal_add(actor=world.worker, meeting=meeting, text="Uusi tapaaminen")
    # The invitee's answer link (from an invitation sent before the meeting was held).
    from arki.meetings.invitations import answer_link_issue

    answer_token = answer_link_issue(invitee)
    # Held a week ago: set on the row, so the walk does not depend on the scheduling rules.
    starts = timezone.now() - timedelta(days=7)
    NetworkMeeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        held_at=starts + timedelta(hours=1),
    )
    meeting.refresh_from_db()
    report = reports.report_create(actor=world.worker, meeting=meeting)
    ids.update(
        meeting_id=meeting.pk,
        invitee_id=invitee.pk,
        consent_id=consent.pk,
        proposal_id=proposal.pk,
        report_id=report.pk,
        phase="opening",
    )
    ids["meetings:answer:token"] = answer_token

    entry = directory.directory_entry_save(
        actor=world.coordinator,
        tenant=world.tenant,
        kind="service",
        name="Perhesosiaalityön konsultaatio",
        sector=Sector.SOCIAL,
        unit=world.other_unit,
        email="perhesosiaalityo@example.fi",
        texts={"fi": {"title": "Konsultaatio", "description": "Neuvoja.", "expertise": "arki"}},
    )
    consultation = directory.consultation_send(
        actor=world.worker,
        child=child,
        entry=entry,
        question="Miten tukea iltoja?",
        share_identity=True,
        consent_given_by="äiti",
        consent_channel="phone",
        consent_given_at=timezone.now(),
    )
    ids.update(entry_id=entry.pk, consultation_id=consultation.pk)

    issued = portal.link_issue(
        actor=world.worker, child=child, guardian=guardian, code_delivery=CodeDelivery.NONE
    )
    ids["link_id"] = issued.link.pk
    portal_client = Client()
    portal_client.get(f"/portal/open/{issued.token}/")
    portal_client.post(f"/portal/open/{issued.token}/")
    from arki.portal.models import PortalSession

    session = PortalSession.objects.filter(link=issued.link).first()
    if session is not None:
        ids["session_id"] = session.pk
    # A second link, its token in the URL of the link-opening page.
    ids["token"] = portal.link_issue(
        actor=world.worker, child=child, guardian=guardian, code_delivery=CodeDelivery.NONE
    ).token
    from arki.audit.services import subject_access_request_create

    ids["request_id"] = subject_access_request_create(
        actor=world.coordinator, child=child, requester="äiti", reason="tietopyyntö"
    ).pk
    return Records(child=child, guardian=guardian, ids=ids, portal_client=portal_client)


def response_text(response: Any) -> str:
    """What a response shows: its HTML or CSV, or a PDF's text."""
    content = b"".join(response) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages)
    return content.decode("utf-8", errors="replace")
