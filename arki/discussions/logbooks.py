"""Reading and validating log book template files (format ``arki-logbook/1``).

Every problem is reported with the place it is in; a file with any problem imports nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from arki.core.exceptions import DomainError
from arki.organisations.models import Setting

from .models import Environment

FORMAT = "arki-logbook/1"
SHIPPED_DIR = Path(__file__).resolve().parent / "logbooks"
MAX_FILE_BYTES = 1024 * 1024


class LogbookFileError(DomainError):
    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: " + "; ".join(errors))


def read_file(path: Path) -> dict[str, Any]:
    source = str(path)
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise LogbookFileError(source, [_("The file is larger than 1 MB.")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LogbookFileError(source, [_("The file is not UTF-8 text.")]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LogbookFileError(
            source,
            [
                _("Not valid JSON (line %(line)s, column %(col)s): %(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ],
        ) from exc
    validate(data, source)
    return data


def _text(
    data: dict,
    key: str,
    errors: list[str],
    where: str,
    *,
    max_length: int = 200,
    required: bool = True,
) -> None:
    value = data.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        errors.append(
            _("%(where)s: “%(key)s” must be a non-empty text.") % {"where": where, "key": key}
        )
    elif len(value) > max_length:
        errors.append(
            _("%(where)s: “%(key)s” is longer than %(max)s characters.")
            % {"where": where, "key": key, "max": max_length}
        )


def validate(data: Any, source: str) -> None:
    """Raise LogbookFileError listing every problem in ``data``."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise LogbookFileError(source, [_("The file must contain one JSON object.")])
    if data.get("format") != FORMAT:
        errors.append(_("“format” must be “%(format)s”.") % {"format": FORMAT})
    for key in ("code", "version", "title"):
        _text(data, key, errors, _("template"))
    _text(data, "introduction", errors, _("template"), max_length=4000, required=False)
    _text(data, "licence", errors, _("template"), required=False)
    languages = {code for code, _name in settings.LANGUAGES}
    if data.get("language") not in languages:
        errors.append(
            _("“language” must be one of: %(values)s.") % {"values": ", ".join(sorted(languages))}
        )
    if data.get("setting") not in Setting.values:
        errors.append(
            _("“setting” must be one of: %(values)s.") % {"values": ", ".join(Setting.values)}
        )
    if not isinstance(data.get("child_present"), bool):
        errors.append(_("“child_present” must be true or false."))
    ages = [data.get("age_min_months"), data.get("age_max_months")]
    if any(a is not None and (not isinstance(a, int) or isinstance(a, bool)) for a in ages):
        errors.append(_("Ages must be whole numbers of months or null."))
    elif None not in ages and ages[0] > ages[1]:  # type: ignore[operator]
        errors.append(_("“age_min_months” is greater than “age_max_months”."))
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        errors.append(_("“sections” must be a non-empty list."))
        sections = []
    keys: set[str] = set()
    for number, section in enumerate(sections, start=1):
        where = _("section %(n)s") % {"n": number}
        if not isinstance(section, dict):
            errors.append(_("%(where)s must be an object.") % {"where": where})
            continue
        _text(section, "key", errors, where, max_length=40)
        _text(section, "title", errors, where)
        if section.get("key") in keys:
            errors.append(
                _("%(where)s: the key “%(key)s” is used twice.")
                % {"where": where, "key": section.get("key")}
            )
        keys.add(str(section.get("key")))
        if section.get("environment") not in Environment.values:
            errors.append(
                _("%(where)s: “environment” must be one of: %(values)s.")
                % {"where": where, "values": ", ".join(Environment.values)}
            )
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            errors.append(_("%(where)s: “questions” must be a non-empty list.") % {"where": where})
            continue
        for q_number, question in enumerate(questions, start=1):
            if not isinstance(question, str) or not question.strip() or len(question) > 1000:
                errors.append(
                    _("%(where)s, question %(n)s: must be a text of 1–1000 characters.")
                    % {"where": where, "n": q_number}
                )
    if errors:
        raise LogbookFileError(source, errors)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.json"))
