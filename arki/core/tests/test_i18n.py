"""Translations: every catalogue is complete, and pages render in each of fi, sv, en, da."""

from __future__ import annotations

import ast
import fcntl
import re
import tempfile
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from django.views.defaults import server_error

ARKI_DIR = Path(settings.BASE_DIR) / "arki"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
FOUNDATION_CATALOGUES = ["locale", "core/locale", "accounts/locale", "organisations/locale",
                         "people/locale", "audit/locale"]  # fmt: skip


def po_files() -> list[Path]:
    return sorted(ARKI_DIR.glob("**/locale/*/LC_MESSAGES/*.po"))


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: flags, and each msgid/msgstr field joined up."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry: dict = {"flags": set(), "fields": {}, "obsolete": False}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and field:
                entry["fields"][field] += ast.literal_eval(line)
            else:
                name, _space, value = line.partition(" ")
                field = name
                entry["fields"][field] = ast.literal_eval(value)
        entries.append(entry)
    return entries


def problems_in(path: Path) -> list[str]:
    problems = []
    for entry in po_entries(path):
        fields = entry["fields"]
        msgid = fields.get("msgid", "")
        if entry["obsolete"] or not fields:
            continue
        if msgid == "":  # the header
            if "fuzzy" in entry["flags"]:
                problems.append("fuzzy header")
            continue
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {msgid!r}")
        translations = [value for name, value in fields.items() if name.startswith("msgstr")]
        if not translations or not all(translations):
            problems.append(f"untranslated: {msgid!r}")
    return problems


def test_the_po_parser_finds_untranslated_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: fi\\n"\n\n'
        'msgid "Done"\nmsgstr "Valmis"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hei %(name)s"\n\n'
        'msgid "one child"\nmsgid_plural "%(n)s children"\nmsgstr[0] "yksi lapsi"\n'
        'msgstr[1] ""\n\n'
        'msgid ""\n"A long "\n"text"\nmsgstr ""\n"Pitkä "\n"teksti"\n',
        encoding="utf-8",
    )
    assert problems_in(po) == [
        "untranslated: 'Save'",
        "fuzzy: 'Hello %(name)s'",
        "untranslated: 'one child'",
    ]


def test_every_po_file_is_fully_translated():
    files = po_files()
    assert files, "no .po files found"
    problems = {str(p.relative_to(ARKI_DIR)): problems_in(p) for p in files}
    problems = {path: found for path, found in problems.items() if found}
    assert problems == {}, "\n".join(
        f"{path}:\n  " + "\n  ".join(found) for path, found in problems.items()
    )


@pytest.mark.parametrize("catalogue", FOUNDATION_CATALOGUES)
def test_foundation_catalogues_exist_for_every_language(catalogue):
    for code in LANGUAGE_CODES:
        assert (ARKI_DIR / catalogue / code / "LC_MESSAGES" / "django.po").is_file(), (
            f"{catalogue} has no {code} catalogue"
        )


@pytest.fixture(scope="session")
def compiled_messages():
    """Compile the catalogues once (``make`` does it too), then forget loaded translations."""
    with open(Path(tempfile.gettempdir()) / "arki-compilemessages.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stale = [
            po
            for po in po_files()
            if not po.with_suffix(".mo").exists()
            or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
        ]
        if stale:  # another worker may be reading them: only write when they changed
            call_command("compilemessages", ignore=[".venv", "node_modules"], verbosity=0)
        fcntl.flock(lock, fcntl.LOCK_UN)
    trans_real._translations = {}
    trans_real._default = None


LOGIN_HEADINGS = {
    "fi": "Kirjaudu Arkiin",
    "sv": "Logga in i Arki",
    "en": "Log in to Arki",
    "da": "Log ind i Arki",
}
CHILD_PAGE_WORDS = {
    "fi": ["Huoltajat", "Perheen oma verkosto", "Kirjaudu ulos"],
    "sv": ["Vårdnadshavare", "Familjens eget nätverk", "Logga ut"],
    "en": ["Guardians", "Add a guardian", "Log out"],
    "da": ["Forældre med forældremyndighed", "Familiens eget netværk", "Log ud"],
}
NOT_FOUND_HEADINGS = {
    "fi": "Sivua ei löydy",
    "sv": "Sidan hittades inte",
    "en": "Page not found",
    "da": "Siden blev ikke fundet",
}


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_login_page_renders_in_each_language(client, compiled_messages, language):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert f"<h1>{LOGIN_HEADINGS[language]}</h1>" in html


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_child_page_renders_in_each_language(world, compiled_messages, language):
    client = world.client_for(world.worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("people:child_detail", args=[world.child.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    for word in CHILD_PAGE_WORDS[language]:
        assert word in html


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_outsider_gets_the_translated_not_found_page(world, compiled_messages, language):
    client = world.client_for(world.outsider)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("people:child_detail", args=[world.child.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{NOT_FOUND_HEADINGS[language]}</h1>" in html
    assert world.child.last_name not in html


def test_server_error_page_renders_translated_without_a_request_context(compiled_messages):
    request = RequestFactory().get("/")
    with translation.override("sv"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Något gick fel</h1>" in html
    assert '<html lang="sv">' in html


def test_worker_without_the_permission_gets_the_translated_403_page(world, compiled_messages):
    client = world.client_for(world.worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    response = client.get(reverse("audit:search"))
    assert response.status_code == 403
    assert "<h1>Ingen adgang</h1>" in response.content.decode()


def test_arki_translations_win_over_djangos_own(compiled_messages):
    """A msgid Arki translates must render as one of Arki's translations, not as the one a
    Django contrib catalogue has for the same words (admin's Finnish "Save" is "Tallenna ja
    poistu")."""
    ours: dict[tuple[str, str], set[str]] = {}
    for path in po_files():
        language = path.parent.parent.name
        for entry in po_entries(path):
            fields = entry["fields"]
            if entry["obsolete"] or not fields.get("msgid") or set(fields) != {"msgid", "msgstr"}:
                continue
            ours.setdefault((language, fields["msgid"]), set()).add(fields["msgstr"])
    wrong = []
    for (language, msgid), msgstrs in sorted(ours.items()):
        with translation.override(language):
            shown = translation.gettext(msgid)
        if shown not in msgstrs:
            wrong.append(f"{language}: {msgid!r} shows {shown!r}, not {sorted(msgstrs)}")
    assert wrong == [], "\n".join(wrong)


def test_arki_catalogues_do_not_retranslate_djangos_core_messages():
    """A sentence Django itself translates (its forms' "This field is required.") keeps Django's
    words: an app catalogue that says it differently changes every form in the project. Single
    words ("Change", "Time") are labels Arki may word for its own pages."""
    core = Path(django.__file__).parent / "conf" / "locale"
    changed = []
    for path in po_files():
        language = path.parent.parent.name
        django_po = core / language / "LC_MESSAGES" / "django.po"
        if language == "en" or not django_po.exists():
            continue
        djangos = {
            e["fields"]["msgid"]: e["fields"].get("msgstr")
            for e in po_entries(django_po)
            if not e["obsolete"] and e["fields"].get("msgid") and "msgstr" in e["fields"]
        }
        for entry in po_entries(path):
            fields = entry["fields"]
            msgid = fields.get("msgid")
            if entry["obsolete"] or not msgid or "msgstr" not in fields or " " not in msgid:
                continue
            if djangos.get(msgid) and fields["msgstr"] != djangos[msgid]:
                changed.append(f"{path.relative_to(ARKI_DIR)}: {msgid!r}")
    assert changed == [], "\n".join(changed)
