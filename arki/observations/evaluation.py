"""Measuring a grouping method on a labelled set (``id,language,text,phenomenon``).

- ``assign_accuracy``: leave-one-out. Each observation is assigned against all the others (the
  right answer is its own phenomenon), and again with its whole phenomenon left out (the right
  answer is "new"). Accuracy over both halves, and each half.
- ``grouping_ari``: the suggested groups of the whole set against the labels, adjusted Rand index.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .grouping import NEW, Embedder, assign, suggest_groups


@dataclass(frozen=True)
class Row:
    id: str
    language: str
    text: str
    phenomenon: str = ""


def read_rows(path: str | Path) -> list[Row]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            Row(
                id=r["id"],
                language=r.get("language", ""),
                text=r["text"],
                phenomenon=r.get("phenomenon", ""),
            )
            for r in csv.DictReader(handle)
        ]


@dataclass(frozen=True)
class AssignScore:
    overall: float
    known: float
    new: float


def assign_accuracy(vectors: np.ndarray, labels: Sequence[str], threshold: float) -> AssignScore:
    labels_array = np.array(labels)
    known_hits = new_hits = 0
    for i in range(len(labels)):
        others = np.arange(len(labels)) != i
        result = assign(vectors[i : i + 1], vectors[others], list(labels_array[others]), threshold)
        known_hits += result[0].group == labels[i]
        without = others & (labels_array != labels[i])
        result = assign(
            vectors[i : i + 1], vectors[without], list(labels_array[without]), threshold
        )
        new_hits += result[0].group == NEW
    n = len(labels)
    return AssignScore((known_hits + new_hits) / (2 * n), known_hits / n, new_hits / n)


def grouping_ari(vectors: np.ndarray, labels: Sequence[str], distance: float) -> tuple[float, int]:
    # scikit-learn takes seconds to import: only the evaluation command pays.
    from sklearn.metrics import adjusted_rand_score

    groups = suggest_groups(vectors, distance)
    return float(adjusted_rand_score(list(labels), groups)), len(set(groups))


def evaluate(rows: Sequence[Row], embedder: Embedder) -> dict[str, float]:
    vectors = embedder.embed([r.text for r in rows])
    labels = [r.phenomenon for r in rows]
    score = assign_accuracy(vectors, labels, embedder.assign_threshold)
    ari, groups = grouping_ari(vectors, labels, embedder.group_distance)
    return {
        "assign_accuracy": round(score.overall, 3),
        "assign_accuracy_known": round(score.known, 3),
        "assign_accuracy_new": round(score.new, 3),
        "adjusted_rand_index": round(ari, 3),
        "groups": groups,
    }
