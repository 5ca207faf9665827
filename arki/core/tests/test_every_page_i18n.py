"""Every page in every language: walk each URL pattern with fixture ids (the demo county) as
the personas who may open it, render it in fi, sv, en and da, and fail on text shown in another
language (an untranslated msgid, or another language's translation), a raw code
(``app.model.verb``, ``word:word``) or dates written in more than one format on one page."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from arki.core.tests.html import Element, parse
from arki.core.tests.test_i18n import po_entries, po_files

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Django's admin and JavaScript catalogue, and the audit pages: the audit search and the
# child's audit log name each action and basis through the audit app's labels, checked by the
# audit app's own tests.
SKIPPED_PREFIXES = ("admin/", "jsi18n/", "i18n/", "health/", "static/", "metrics")
HEADINGS = ("h1", "h2", "h3", "h4", "th", "legend", "caption")
# Raw codes: dotted action codes, permission strings, "kind:value" bases.
DOTTED_CODE = re.compile(r"(?<![\w./@-])[a-z][a-z_]+\.[a-z][a-z_]+\.[a-z][a-z_]+(?![\w@/-])")
COLON_CODE = re.compile(r"(?<![\w/])[a-z][a-z_]+:[a-z][a-z_]+(?![\w/])")
DATE_KINDS = {
    "iso": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "dotted": re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
    "slashed": re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"),
    "month name": re.compile(
        r"\b(?:Jan|Feb|March|April|May|June|July|Aug|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b"
        r"|\b\d{1,2}\.? [a-zåäö]+ \d{4}\b"
    ),
}
TEXT_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "label")


# --- What each language's catalogues say ---------------------------------------------------


@dataclass
class Catalogue:
    own: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    foreign: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def catalogue() -> Catalogue:
    """For each language, the strings that are its own (its translations, and the msgids it
    keeps as they are) and the strings that belong to another language: a msgid it translates
    differently, or another language's differing translation."""
    translations: dict[str, dict[str, str]] = defaultdict(dict)
    for path in po_files():
        language = path.parts[-3]
        for entry in po_entries(path):
            fields = entry["fields"]
            msgid, msgstr = fields.get("msgid", ""), fields.get("msgstr", "")
            if entry["obsolete"] or not msgid or not msgstr or "msgid_plural" in fields:
                continue
            translations[language][msgid] = msgstr
    result = Catalogue()
    for language in LANGUAGES:
        mine = translations[language]
        result.own[language] = {_norm(s) for s in mine.values()}
        result.own[language] |= {_norm(m) for m, s in mine.items() if m == s}
        for msgid, msgstr in mine.items():
            if msgstr != msgid:
                result.foreign[language].add(_norm(msgid))
        for other in LANGUAGES:
            if other != language:
                for msgid, msgstr in translations[other].items():
                    if msgstr != mine.get(msgid, msgid):
                        result.foreign[language].add(_norm(msgstr))
        result.foreign[language] = {
            s
            for s in result.foreign[language] - result.own[language]
            if len(s) > 3 and "%" not in s and "{" not in s and re.search(r"[a-zåäöæø]{3}", s)
        }
    return result


def _norm(text: str) -> str:
    return " ".join(text.split())


# --- What a page shows ----------------------------------------------------------------------


def shown_texts(document: Element, language: str) -> Iterator[str]:
    """Each text node and each text attribute a reader meets, outside scripts and styles and
    parts marked as written in another language (``lang``, e.g. the language switcher)."""
    for element in document.iter():
        if element.tag in ("script", "style", "template", "noscript"):
            continue
        if element.ancestor("script") or element.ancestor("style"):
            continue
        if _language_of(element) not in ("", language):
            continue
        for child in element.children:
            if isinstance(child, str) and child.strip():
                yield _norm(child)
        for name in TEXT_ATTRIBUTES:
            if element.get(name):
                yield _norm(element.attrs[name])


def _language_of(element: Element) -> str:
    node: Element | None = element
    while node is not None:
        if node.get("lang"):
            return (node.get("lang") or "").split("-")[0]
        node = node.parent
    return ""


def data_texts() -> set[str]:
    """What people typed or a tenant named (course names, a unit's name, an action's owner):
    data is shown as written, in whatever language it was written."""
    from django.apps import apps
    from django.db import models

    texts: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("arki."):
            continue
        names = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.values_list(*names) if names else []:
            texts.update(_norm(str(v)) for v in row if v and len(str(v)) < 200)
    return texts


def problems_on(html: bytes, language: str, words: Catalogue, data: set[str]) -> list[str]:
    document = parse(html)
    problems = []
    formats: dict[str, str] = {}
    for heading in document.find_all():
        if heading.tag in HEADINGS and _language_of(heading) in ("", language):
            text = heading.text()
            if text[:1].islower():
                problems.append(f"heading not capitalised: {text!r}")
    for element in document.find_all(class_="helptext"):
        element.children.clear()  # a help text may show the formats that are accepted
    for text in shown_texts(document, language):
        if text in words.foreign[language] and text not in data:
            problems.append(f"not in {language}: {text!r}")
        for pattern in (DOTTED_CODE, COLON_CODE):
            for code in pattern.findall(text):
                problems.append(f"raw code: {code!r} in {text!r}")
        for kind, pattern in DATE_KINDS.items():
            found = pattern.search(text)
            if found:
                formats.setdefault(kind, found.group(0))
    if len(formats) > 1:
        problems.append(f"dates in {len(formats)} formats: {sorted(formats.values())}")
    return problems


# --- The pages ------------------------------------------------------------------------------


def url_patterns(resolver: Any = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, route)
        else:
            yield route, entry


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def fill(route: str, values: dict[str, Any]) -> str | None:
    """The route with each parameter given; None when one has no value."""
    missing = False

    def value(match: re.Match) -> str:
        nonlocal missing
        found = values.get(match.group("name"))
        if found is None:
            missing = True
            return ""
        return str(found)

    path = PARAMETER.sub(value, route)
    return None if missing or "^" in path or "(?P" in path else "/" + path


@dataclass
class Persona:
    name: str
    client: Client
    cases: list[dict[str, Any]]


def staff_cases(user: Any) -> list[dict[str, Any]]:
    """Fixture ids from the user's own work: their meetings (with a report), discussions,
    consultations, and the shared records every page of theirs may name."""
    from arki.calendars.models import BusyTime, CommonSlot
    from arki.directory.models import Consultation, DirectoryEntry
    from arki.discussions.models import Discussion
    from arki.meetings.models import MeetingReport, NetworkMeeting
    from arki.methods.models import Method
    from arki.organisations.models import Tenant
    from arki.people.models import ChildRelationship
    from arki.training.models import Course, TrainingEvent

    method = Method.objects.filter(versions__isnull=False).first() or Method.objects.first()
    common = {
        "event_id": getattr(TrainingEvent.objects.first(), "pk", None),
        "course_id": getattr(Course.objects.first(), "pk", None),
        "entry_id": getattr(DirectoryEntry.objects.first(), "pk", None),
        "busy_id": getattr(BusyTime.objects.filter(user=user).first(), "pk", None),
        "slot_id": getattr(CommonSlot.objects.first(), "pk", None),
        "slug": getattr(method, "slug", None),
        "region": getattr(Tenant.objects.first(), "slug", None),
        "number": 1,
        "fmt": "csv",
        "phase": "opening",
        "step": "publish",
    }
    consultation = Consultation.objects.filter(sender=user).first()
    common["consultation_id"] = getattr(consultation, "pk", None)
    cases = []
    meetings = NetworkMeeting.objects.filter(chair=user).order_by("-status")
    for meeting in list(meetings.filter(reports__isnull=False)[:1]) + list(meetings[:1]):
        report = MeetingReport.objects.filter(meeting=meeting).first()
        discussion = Discussion.objects.filter(child=meeting.child).first()
        cases.append(
            {
                **common,
                "child_id": meeting.child_id,
                "meeting_id": meeting.pk,
                "report_id": getattr(report, "pk", None),
                "discussion_id": getattr(discussion, "pk", None),
            }
        )
    for discussion in Discussion.objects.filter(lead=user).order_by("-status")[:2]:
        cases.append({**common, "child_id": discussion.child_id, "discussion_id": discussion.pk})
    relationship = ChildRelationship.objects.filter(user=user, ended_at__isnull=True).first()
    if relationship is not None:
        cases.append({**common, "child_id": relationship.child_id})
    return cases or [common]


def personas() -> list[Persona]:
    from arki.accounts.models import User
    from arki.meetings.models import MeetingReport
    from arki.portal import services as portal

    found = []
    for username in ("socialworker", "worker", "coordinator", "leader", "trainer", "manager"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        found.append(Persona(username, client, staff_cases(user)))
    report = MeetingReport.objects.select_related("meeting__child").first()
    child = report.meeting.child if report else None
    guardian = child.guardians.first() if child else None
    if guardian is not None:
        issued = portal.link_issue(actor=report.meeting.chair, child=child, guardian=guardian)
        client = Client()
        client.get(f"/portal/open/{issued.token}/")
        client.post(f"/portal/open/{issued.token}/")
        meeting = report.meeting
        discussion = child.discussions.first()
        case = {
            "child_id": child.pk,
            "meeting_id": meeting.pk,
            "discussion_id": getattr(discussion, "pk", None),
        }
        found.append(Persona("guardian", client, [case]))
    return found


def get(client: Client, path: str, language: str, portal: bool) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if portal:
        client.post("/portal/language/", {"language": language, "next": path})
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language)


def is_page(response: Any) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_every_page_in_every_language_has_no_foreign_text_raw_code_or_mixed_dates():
    call_command("load_demo", children=12, stdout=io.StringIO())
    words = catalogue()
    data = data_texts()
    people = personas()
    problems: dict[str, list[str]] = defaultdict(list)
    rendered = 0
    for route, _pattern in url_patterns():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        for persona in people:
            is_portal = persona.name == "guardian"
            if is_portal != route.startswith("portal/"):
                continue
            opened = None
            for case in persona.cases:
                path = fill(route, case)
                if path is None:
                    continue
                if is_page(get(persona.client, path, "fi", is_portal)):
                    opened = path
                    break
            if opened is None:
                continue
            for language in LANGUAGES:
                response = get(persona.client, opened, language, is_portal)
                assert response.status_code == 200, (opened, language)
                rendered += 1
                for problem in problems_on(response.content, language, words, data):
                    problems[f"{opened} ({persona.name}, {language})"].append(problem)
            break
    assert rendered > 150, f"only {rendered} pages rendered"
    report = "\n".join(f"{page}: {p}" for page, found in problems.items() for p in found)
    assert not problems, f"{len(problems)} pages with problems:\n{report}"
