from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from arki.discussions.models import LogbookTemplate

from .conftest import FIXTURES


def write(tmp_path, name, data, raw=None):
    path = tmp_path / name
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def good():
    return json.loads((FIXTURES / "test-ecec.fi.json").read_text())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change,message",
    [
        (lambda d: d.update(format="other/1"), "format"),
        (lambda d: d.pop("code"), "code"),
        (lambda d: d.update(setting="castle"), "setting"),
        (lambda d: d.update(language="xx"), "language"),
        (lambda d: d.update(sections=[]), "sections"),
        (lambda d: d["sections"][0].update(environment="moon"), "environment"),
        (lambda d: d["sections"][0].update(questions=[]), "questions"),
        (lambda d: d["sections"][1].update(key="home"), "twice"),
        (lambda d: d.update(age_min_months=50, age_max_months=10), "greater"),
        (lambda d: d.update(child_present="yes"), "child_present"),
    ],
)
def test_bad_file_is_refused_with_a_clear_message_and_nothing_loaded(tmp_path, change, message):
    translation.activate("en")
    data = good()
    change(data)
    with pytest.raises(CommandError) as exc:
        call_command(
            "load_logbooks", write(tmp_path, "bad.json", data), write(tmp_path, "ok.json", good())
        )
    assert message in str(exc.value)
    assert not LogbookTemplate.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("raw,message", [(b"{not json", "JSON"), (b"\xff\xfe\x00", "UTF-8")])
def test_unreadable_files(tmp_path, raw, message):
    translation.activate("en")
    with pytest.raises(CommandError) as exc:
        call_command("load_logbooks", write(tmp_path, "x.json", None, raw=raw))
    assert message in str(exc.value)


@pytest.mark.django_db
def test_loading_is_idempotent_and_new_versions_are_new_templates(tmp_path):
    path = write(tmp_path, "ok.json", good())
    call_command("load_logbooks", path)
    call_command("load_logbooks", path)
    assert LogbookTemplate.objects.count() == 1
    data = good()
    data["version"] = "2.0"
    call_command("load_logbooks", write(tmp_path, "v2.json", data))
    assert LogbookTemplate.objects.count() == 2


@pytest.mark.django_db
def test_organisation_template_is_visible_only_in_its_tenant(tmp_path, world):
    call_command("load_logbooks", write(tmp_path, "own.json", good()), "--tenant", "pohjanmaa")
    template = LogbookTemplate.objects.get()
    assert template.tenant == world.tenant
    assert LogbookTemplate.objects.available_to(world.tenant.pk).count() == 1
    from arki.organisations.models import Tenant

    other = Tenant.objects.get(slug="lolland")
    assert LogbookTemplate.objects.available_to(other.pk).count() == 0
    with pytest.raises(CommandError):
        call_command("load_logbooks", write(tmp_path, "x.json", good()), "--tenant", "nowhere")


@pytest.mark.django_db
def test_every_shipped_log_book_is_valid():
    call_command("load_logbooks")
    from arki.discussions.logbooks import shipped_files

    files = shipped_files()
    assert len(files) >= 60
    assert LogbookTemplate.objects.count() == len(files)
    # Every family exists in all four languages with the same section keys.
    by_code: dict[str, set[str]] = {}
    for t in LogbookTemplate.objects.prefetch_related("sections"):
        by_code.setdefault(t.code, set()).add(t.language)
        assert [s.key for s in t.sections.all()] == [
            "home",
            "ecec_school",
            "leisure",
            "development",
            "parents",
        ]
    assert all(langs == {"fi", "sv", "en", "da"} for langs in by_code.values())
