"""Complementary suppression: which figures of a table may be shown so that no small figure can
be worked out from the others.

A figure the dashboard shows is a sum of *atoms* (a unit's count in one quarter, an area's
referrals in one year). A user can see every figure of every filter the dashboard offers, so
the figures are linear equations over the atoms. A figure of 1–4 is hidden (primary
suppression); it must then not be derivable from the visible figures by any linear combination
(adding and subtracting figures, across sibling categories, totals and periods).
Derivability is a rank question: a hidden figure's vector of atoms must lie outside the row
space of the visible figures' vectors.

The other figures are shown one at a time in order of importance (the coarsest and largest
first, so that the totals leaders read most stay visible); a figure whose showing would make
some small figure derivable is hidden instead (complementary suppression). The row space is
kept as an orthonormal basis with NumPy, so each step costs one projection; the property tests
check the result with exact rational elimination.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Figures about fewer than this many cases are never shown (SECURITY.md 20).
MIN_CELL = 5
SUPPRESSED = "<5"
# A figure hidden so that a small one cannot be worked out from it (complementary suppression).
PROTECTED = "x"

_TOLERANCE = 1e-7


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < MIN_CELL


class Status(enum.Enum):
    SHOWN = "shown"
    SMALL = "small"  # 1–4: primary suppression, shown as "<5"
    PROTECTED = "protected"  # hidden so that a small figure cannot be worked out


def shown(count: int, status: Status) -> int | str:
    """A count as its protection status allows it to be shown."""
    if status is Status.SMALL:
        return SUPPRESSED
    if status is Status.PROTECTED:
        return PROTECTED
    return count


@dataclass(frozen=True)
class Cell:
    """A figure that some filter shows: its key and the atoms it sums."""

    key: Hashable
    atoms: frozenset[Hashable]


def protect(cells: Sequence[Cell], values: Mapping[Any, int]) -> dict[Hashable, Status]:
    """The status of every cell. Cells with the same atoms are one figure and share a status;
    cells with no atoms (an empty selection) are always shown (they are zero by definition)."""
    atoms = sorted({a for cell in cells for a in cell.atoms}, key=repr)
    column = {a: i for i, a in enumerate(atoms)}
    # One row per distinct set of atoms.
    rows: dict[frozenset[Hashable], int] = {}
    keys_of: list[list[Hashable]] = []
    for cell in cells:
        if cell.atoms and cell.atoms not in rows:
            rows[cell.atoms] = len(keys_of)
            keys_of.append([])
        if cell.atoms:
            keys_of[rows[cell.atoms]].append(cell.key)
    matrix = np.zeros((len(rows), len(atoms)))
    totals = np.zeros(len(rows), dtype=np.int64)
    for cell_atoms, r in rows.items():
        for a in cell_atoms:
            matrix[r, column[a]] = 1.0
        totals[r] = sum(values.get(a, 0) for a in cell_atoms)

    sizes = matrix.sum(axis=1)
    small = {r for r in range(len(rows)) if is_small(int(totals[r]))}
    hidden = set(small)
    # Show the other figures one by one, the coarsest and largest first (a region's year
    # before a unit's quarter: what leaders read most stays visible), and hide a figure
    # (complementary suppression) when showing it would let some small figure be derived.
    # The visible figures' row space is kept as an orthonormal basis; a small figure is
    # derivable exactly when nothing of it is left outside that space.
    basis: list[np.ndarray] = []
    outside = matrix[sorted(small)].copy()  # what of each small figure the basis misses
    for r in sorted(set(range(len(rows))) - small, key=lambda r: (-sizes[r], -totals[r], r)):
        new = _outside(matrix[r], basis)
        norm = float(np.linalg.norm(new))
        if norm < _TOLERANCE:
            continue  # already given by the visible figures: showing it reveals nothing new
        direction = new / norm
        remaining = outside - np.outer(outside @ direction, direction)
        if len(remaining) and float(np.linalg.norm(remaining, axis=1).min()) < _TOLERANCE:
            hidden.add(r)
            continue
        basis.append(direction)
        outside = remaining

    status: dict[Hashable, Status] = {cell.key: Status.SHOWN for cell in cells}
    for r, keys in enumerate(keys_of):
        shown = Status.SMALL if r in small else Status.PROTECTED if r in hidden else Status.SHOWN
        for key in keys:
            status[key] = shown
    return status


def _outside(row: np.ndarray, basis: list[np.ndarray]) -> np.ndarray:
    """The part of ``row`` outside the span of the orthonormal ``basis`` (Gram–Schmidt, twice
    for numerical stability)."""
    for _ in range(2):
        for b in basis:
            row = row - (row @ b) * b
    return row
