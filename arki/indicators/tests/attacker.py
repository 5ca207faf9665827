"""What a user can work out from the figures they see: exact rational elimination, written
independently of the suppression code it checks."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from fractions import Fraction


class Attacker:
    """Collects visible figures as equations over atoms and tells whether a hidden figure is
    determined by them (its atom vector lies in the span of the visible vectors)."""

    def __init__(self) -> None:
        self.pivots: dict[Hashable, dict[Hashable, Fraction]] = {}  # pivot atom -> reduced row

    def _reduce(self, row: dict[Hashable, Fraction]) -> dict[Hashable, Fraction]:
        row = dict(row)
        for pivot, basis in self.pivots.items():
            factor = row.get(pivot)
            if factor:
                for atom, value in basis.items():
                    row[atom] = row.get(atom, Fraction(0)) - factor * value
                    if row[atom] == 0:
                        del row[atom]
        return row

    def sees(self, atoms: Iterable[Hashable]) -> None:
        row = self._reduce({a: Fraction(1) for a in atoms})
        if not row:
            return
        pivot = min(row, key=repr)
        scale = row[pivot]
        row = {a: v / scale for a, v in row.items()}
        # Keep the basis fully reduced: eliminate the new pivot from the earlier rows.
        for other, basis in self.pivots.items():
            factor = basis.get(pivot)
            if factor:
                for atom, value in row.items():
                    basis[atom] = basis.get(atom, Fraction(0)) - factor * value
                    if basis[atom] == 0:
                        del basis[atom]
                self.pivots[other] = basis
        self.pivots[pivot] = row

    def can_derive(self, atoms: Iterable[Hashable]) -> bool:
        return not self._reduce({a: Fraction(1) for a in atoms})
