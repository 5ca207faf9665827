"""Group observations from a CSV file, or assign them to known phenomena: one JSON line per row.

python manage.py group_observations FILE.csv [--phenomena KNOWN.csv] [--method e5|lexical]
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from arki.observations.evaluation import read_rows
from arki.observations.grouping import EMBEDDERS, assign, get_embedder, suggest_groups


class Command(BaseCommand):
    help = "Group the observations of FILE (id,language,text), or assign them to KNOWN's phenomena."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--phenomena", help="CSV with id,language,text,phenomenon")
        parser.add_argument("--method", choices=sorted(EMBEDDERS), help="default: the setting")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_rows(options["file"])
            known = read_rows(options["phenomena"]) if options["phenomena"] else []
        except (OSError, KeyError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read the file: {error}") from error
        embedder = get_embedder(options["method"])
        # One call for both files, so a method fitted on its input (TF-IDF) sees them together.
        vectors = embedder.embed([r.text for r in rows] + [r.text for r in known])
        new_vectors, known_vectors = vectors[: len(rows)], vectors[len(rows) :]
        if known:
            results = assign(
                new_vectors,
                known_vectors,
                [r.phenomenon for r in known],
                embedder.assign_threshold,
            )
            groups = [result.group for result in results]
        else:
            groups = [
                f"group-{n + 1}" for n in suggest_groups(new_vectors, embedder.group_distance)
            ]
        for row, group in zip(rows, groups, strict=True):
            self.stdout.write(json.dumps({"id": row.id, "group": group}, ensure_ascii=False))
