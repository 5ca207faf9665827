"""Complementary suppression: no hidden small figure can be worked out from the visible ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from arki.core.protection import Cell, Status, protect

from .attacker import Attacker


def test_a_single_hidden_sibling_is_protected_by_hiding_another():
    # An area of 13: school 3, early childhood education 10. Showing the area and the 10 would
    # give back the 3.
    values = {"school": 3, "ecec": 10}
    cells = [
        Cell("area", frozenset(values)),
        Cell("school", frozenset({"school"})),
        Cell("ecec", frozenset({"ecec"})),
    ]
    status = protect(cells, values)
    assert status["school"] is Status.SMALL
    assert Status.PROTECTED in (status["ecec"], status["area"])


def test_region_minus_its_other_municipalities():
    values = {"a": 3, "b": 40, "c": 55}
    cells = [Cell("region", frozenset(values))] + [Cell(k, frozenset({k})) for k in values]
    status = protect(cells, values)
    assert status["a"] is Status.SMALL
    # The smallest other figure is hidden with it; the rest stays visible.
    assert status["b"] is Status.PROTECTED
    assert status["c"] is Status.SHOWN and status["region"] is Status.SHOWN


def test_nothing_small_nothing_hidden():
    values = {"a": 30, "b": 40}
    cells = [Cell("all", frozenset(values))] + [Cell(k, frozenset({k})) for k in values]
    assert set(protect(cells, values).values()) == {Status.SHOWN}


def test_cells_with_the_same_atoms_share_their_status():
    values = {"a": 2, "b": 40}
    cells = [
        Cell("all", frozenset(values)),
        Cell("area", frozenset({"a"})),
        Cell("unit", frozenset({"a"})),
        Cell("b", frozenset({"b"})),
    ]
    status = protect(cells, values)
    assert status["area"] is status["unit"] is Status.SMALL


PERIODS = {"Y": (1, 2, 3, 4), "H1": (1, 2), "H2": (3, 4), "Q1": (1,), "Q2": (2,), "Q3": (3,)}


@st.composite
def dashboards(draw):
    """A tenant's units (area, sector), and a count per unit and quarter, most of them small."""
    n = draw(st.integers(min_value=1, max_value=6))
    units = {
        f"u{i}": (draw(st.sampled_from("AB")), draw(st.sampled_from(["school", "ecec", "social"])))
        for i in range(n)
    }
    counts = {
        (u, q): draw(st.integers(min_value=0, max_value=12)) for u in units for q in (1, 2, 3, 4)
    }
    return units, counts


def lattice(units: dict[str, tuple[str, str]]) -> list[Cell]:
    """Every unit set a filter can select × every period, as the dashboard offers them."""
    sets: dict[str, frozenset[str]] = {"all": frozenset(units)}
    for area in {a for a, _s in units.values()}:
        sets[area] = frozenset(u for u, (a, _s) in units.items() if a == area)
        for sector in {s for _a, s in units.values()}:
            sets[f"{area}/{sector}"] = frozenset(
                u for u, (a, s) in units.items() if a == area and s == sector
            )
    for sector in {s for _a, s in units.values()}:
        sets[sector] = frozenset(u for u, (_a, s) in units.items() if s == sector)
    for u in units:
        sets[u] = frozenset({u})
    return [
        Cell((name, period), frozenset((u, q) for u in members for q in quarters))
        for name, members in sets.items()
        for period, quarters in PERIODS.items()
    ]


@settings(max_examples=150, deadline=None)
@given(dashboards())
def test_no_small_figure_can_be_derived_from_everything_visible(dashboard):
    units, counts = dashboard
    cells = lattice(units)
    status = protect(cells, counts)
    attacker = Attacker()
    for cell in cells:
        if status[cell.key] is Status.SHOWN:
            attacker.sees(cell.atoms)
    for cell in cells:
        total = sum(counts[a] for a in cell.atoms)
        if 1 <= total <= 4:
            assert status[cell.key] is Status.SMALL
            assert not attacker.can_derive(cell.atoms), cell.key
        if status[cell.key] is Status.SMALL:
            assert 1 <= total <= 4


def test_the_attacker_derives_what_is_derivable():
    """The check itself can fail: a total minus its other part gives the part back."""
    attacker = Attacker()
    attacker.sees({"a", "b"})
    attacker.sees({"b"})
    assert attacker.can_derive({"a"})
    assert not attacker.can_derive({"c"})
