"""Measure the grouping methods on a labelled CSV (id,language,text,phenomenon) and the speed of
grouping: embedding throughput and the time to group 2,000 stored observations.

    python manage.py evaluate_observation_grouping FILE.csv [--method e5] [--method lexical]
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand

from arki.observations.evaluation import evaluate, read_rows
from arki.observations.grouping import EMBEDDERS, assign, get_embedder, suggest_groups


class Command(BaseCommand):
    help = "Assignment accuracy, adjusted Rand index and speed of the grouping methods."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--method", action="append", choices=sorted(EMBEDDERS))
        parser.add_argument("--stored", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        rows = read_rows(options["file"])
        for method in options["method"] or sorted(EMBEDDERS):
            embedder = get_embedder(method)
            embedder.embed(["lämmittely"])  # load the model outside the timing
            start = time.perf_counter()
            vectors = embedder.embed([r.text for r in rows])
            seconds = time.perf_counter() - start
            figures: dict[str, Any] = {"method": method, **evaluate(rows, embedder)}
            figures["embed_per_second"] = round(len(rows) / seconds, 1)
            figures.update(self._grouping_speed(vectors, options["stored"], embedder))
            self.stdout.write(json.dumps(figures))

    def _grouping_speed(self, vectors: np.ndarray, n: int, embedder: Any) -> dict[str, Any]:
        """Group ``n`` stored vectors (the dev set's, repeated with noise, as bytes the way the
        database holds them) and assign 100 new ones to 20 phenomena."""
        rng = np.random.default_rng(0)
        picks = vectors[rng.integers(0, len(vectors), n)]
        noisy = picks + rng.normal(0, 0.02, picks.shape)
        stored = [row.astype(np.float32).tobytes() for row in noisy]
        start = time.perf_counter()
        matrix = np.vstack([np.frombuffer(b, dtype=np.float32) for b in stored])
        suggest_groups(matrix, embedder.group_distance)
        group_seconds = time.perf_counter() - start
        labels = [f"p{i % 20}" for i in range(n)]
        start = time.perf_counter()
        assign(matrix[:100], matrix, labels, embedder.assign_threshold)
        assign_seconds = time.perf_counter() - start
        return {
            "stored": n,
            "group_seconds": round(group_seconds, 3),
            "assign_100_seconds": round(assign_seconds, 3),
        }
