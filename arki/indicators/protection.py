"""Complementary suppression: which figures of a table may be shown so that no small figure can
be worked out from the others.

A figure the dashboard shows is a sum of *atoms* (a unit's count in one quarter, an area's
referrals in one year). A user can see every figure of every filter the dashboard offers, so
the figures are linear equations over the atoms. A figure of 1–4 is hidden (primary
suppression); it must then not be derivable from the visible figures by any linear combination
(adding and subtracting figures, across sibling categories, totals and periods). While some
hidden figure is derivable, the smallest visible figure that the derivation uses is hidden too
(complementary suppression), until none is. Derivability is a rank question: a hidden figure's
vector of atoms must lie outside the row space of the visible figures' vectors.

The tables are small (a tenant's selectable unit sets × seven periods of a year), so the row
space is computed exactly enough with NumPy's SVD; the property tests check the result with
exact rational elimination.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .stats import is_small

_TOLERANCE = 1e-7


class Status(enum.Enum):
    SHOWN = "shown"
    SMALL = "small"  # 1–4: primary suppression, shown as "<5"
    PROTECTED = "protected"  # hidden so that a small figure cannot be worked out


@dataclass(frozen=True)
class Cell:
    """A figure that some filter shows: its key and the atoms it sums."""

    key: Hashable
    atoms: frozenset[Hashable]


def protect(cells: Sequence[Cell], values: Mapping[Hashable, int]) -> dict[Hashable, Status]:
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

    small = {r for r in range(len(rows)) if is_small(int(totals[r]))}
    hidden = set(small)
    while hidden:
        visible = [r for r in range(len(rows)) if r not in hidden]
        leak = _first_derivable(matrix, visible, sorted(hidden, key=lambda r: (totals[r], r)))
        if leak is None:
            break
        used = _rows_used(matrix, visible, leak)
        # Hide the smallest figure the derivation needs (ties: the earliest), then look again.
        hidden.add(min(used, key=lambda r: (totals[r], r)))

    status: dict[Hashable, Status] = {cell.key: Status.SHOWN for cell in cells}
    for r, keys in enumerate(keys_of):
        shown = Status.SMALL if r in small else Status.PROTECTED if r in hidden else Status.SHOWN
        for key in keys:
            status[key] = shown
    return status


def _first_derivable(matrix: np.ndarray, visible: list[int], hidden: list[int]) -> int | None:
    """The first hidden row that is a linear combination of the visible rows, if any."""
    if not visible:
        return None
    _u, singular, vt = np.linalg.svd(matrix[visible], full_matrices=False)
    basis = vt[: int((singular > _TOLERANCE).sum())]
    for r in hidden:
        row = matrix[r]
        residual = row - basis.T @ (basis @ row)
        if np.linalg.norm(residual) < 1e-6:
            return r
    return None


def _rows_used(matrix: np.ndarray, visible: list[int], target: int) -> list[int]:
    """The visible rows that the minimum-norm derivation of ``target`` combines."""
    coefficients, *_ = np.linalg.lstsq(matrix[visible].T, matrix[target], rcond=None)
    used = [visible[i] for i, c in enumerate(coefficients) if abs(c) > 1e-9]
    return used or visible
