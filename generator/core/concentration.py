"""How concentrated a supply is: the leading producer's share, the top three's, and the Herfindahl-Hirschman index.

Computed from a release's world table: each country's figure over the world total of the same
statistic, scope, year and unit. Countries whose figure is withheld or not available, and the
"Other countries" row, cannot be counted one by one; the index computed without them is then a
lower bound, and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import FigureSet, Observation

WORLD_TOTAL = "World total"
OTHERS = "Other countries"
ROUNDED = ": rounded"


@dataclass(frozen=True)
class Share:
    country: str  # ISO code
    figure: Observation
    percent: float


@dataclass(frozen=True)
class Concentration:
    """One world table's concentration: a statistic (e.g. mine production) for one year, from one edition."""

    edition: str
    chapter: str
    section: str
    statistic: str
    scope: str
    year: str
    unit: str
    total: Observation | None
    shares: list[Share]  # largest first; none when the world total is not a number
    rows: list[Observation]  # every row of the table, in the release's order
    uncounted: list[str] = field(default_factory=list)  # why the index is a lower bound, if it is

    @property
    def leader(self) -> Share | None:
        return self.shares[0] if self.shares else None

    @property
    def top_three(self) -> float:
        return sum(s.percent for s in self.shares[:3])

    @property
    def hhi(self) -> float:
        """Sum of squared percentage shares: 10,000 for a single producer."""
        return sum(s.percent**2 for s in self.shares)

    @property
    def lower_bound(self) -> bool:
        return bool(self.uncounted)


def concentrations(figures: FigureSet) -> list[Concentration]:
    """Every world table of a chapter that has a world total, in the release's order."""
    groups: dict[tuple[str, str, str, str, str], list[Observation]] = {}
    for part in figures.sections:
        if not part.name.startswith("World"):
            continue
        for figure in part.figures:
            key = (part.name, figure.statistic, figure.scope.removesuffix(ROUNDED), figure.year, figure.unit)
            groups.setdefault(key, []).append(figure)
    found = []
    for (section, statistic, scope, year, unit), rows in groups.items():
        total = next((f for f in rows if f.area == WORLD_TOTAL), None)
        uncounted = []
        if total is None or not total.number:
            # Shown, but shares need a world total that is a number.
            given = f"given as '{total.value}'" if total is not None else "not given"
            found.append(
                Concentration(
                    figures.edition,
                    figures.chapter,
                    section,
                    statistic,
                    scope,
                    year,
                    unit,
                    total,
                    [],
                    rows,
                    [f"the world total is {given}, so no shares are computed"],
                )
            )
            continue
        shares = sorted(
            (Share(f.country, f, 100 * f.number / total.number) for f in rows if f.country and f.number is not None),
            key=lambda s: (-s.percent, s.country),
        )
        others = next((f for f in rows if f.area == OTHERS), None)
        if others is not None and (others.number is None or others.number > 0):
            uncounted.append("'Other countries' are not counted one by one")
        together = [f.area for f in rows if f.country is None and f.area not in (WORLD_TOTAL, OTHERS)]
        if together:
            uncounted.append(f"{'; '.join(together)} given together")
        hidden = [f.area for f in rows if f.country and f.number is None and f.value not in ("—",)]
        if hidden:
            uncounted.append(
                f"no figure for {', '.join(hidden)} ({', '.join(sorted({f.value for f in rows if f.area in hidden}))})"
            )
        found.append(
            Concentration(
                figures.edition, figures.chapter, section, statistic, scope, year, unit, total, shares, rows, uncounted
            )
        )
    return found


def headline(found: list[Concentration]) -> Concentration | None:
    """The table a reader compares minerals by: the first production table of the latest year with shares."""
    production = [c for c in found if c.statistic == "Production" and c.shares]
    if not production:
        return None
    latest = max(c.year for c in production)
    return next(c for c in production if c.year == latest)
