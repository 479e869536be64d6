"""How concentrated a supply is: the leading producer's share, the top three's, and the Herfindahl-Hirschman index.

Computed from a release's world tables as USGS lays them out: the rows of one commodity, statistic, year
and unit in a world section, with the world total they add up to, whatever the total's suffix
("rounded", "gross weight"). A section that gives several totals (ilmenite, rutile, both) is split
by the scope each total names.

The method, stated beside every table it is applied to:
- Each country's share is of the world total, or of the sum of the listed rows where that sum exceeds
  the rounded world total; so no share exceeds 100 %, the top three never exceed 100 % and the index
  stays within 0-10,000.
- The index is a lower bound only where part of the base cannot be split by country: an "Other
  countries" row above zero, countries given together, or countries whose figure is withheld or not
  available.
- A figure flagged as contradicting its own chapter is shown, and no share is computed from its table.
- A share that the chapter's own text states stands beside the computed one, as USGS's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .models import FigureSet, Observation, PublishedShare

WORLD_TOTAL = "World total"
OTHERS = "Other countries"
# Tokens that say a country's figure exists but is not given: withheld to avoid disclosing company data,
# and not available.
WITHHELD = "W"
NOT_AVAILABLE = "NA"
NOTHING = "—"
NET_EXPORTER = "E"
NOT_APPLICABLE = "XX"
_SUFFIX = re.compile(r"[\s,:;]*\b(rounded|gross weight)\b\s*$", re.IGNORECASE)
_CONTENT = re.compile(r"^\(Data in ((?:[^()]|\([^()]*\))*)\)")
# A note the table already shows in another way.
_SAID = ("Estimated.", "See Appendix C for resource and reserve definitions and information concerning data sources.")


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
    commodity: str
    statistic: str
    scope: str
    year: str
    unit: str
    content: str  # what the unit counts, as the section's note gives it: "kilograms, gallium content"
    source: str  # the source record of the chapter, or of the release where no chapter text was seen
    total: Observation | None
    shares: list[Share]  # largest first; none when no share can be computed
    rows: list[Observation]  # every row of the table, in the release's order
    base: float | None = None  # what the shares are of
    summed: bool = False  # the base is the sum of the listed rows, which exceeds the rounded world total
    reason: str = ""  # why no shares are computed, when none are
    uncounted: list[str] = field(default_factory=list)  # why the index is a lower bound, if it is
    published: list[tuple[PublishedShare, Share | None]] = field(default_factory=list)  # USGS's own shares

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
        return bool(self.shares) and bool(self.uncounted)

    @property
    def basis(self) -> str:
        """The method of the shares in one sentence."""
        if not self.shares or self.base is None or self.total is None:
            return ""
        if self.summed:
            return (
                f"Shares are of the sum of the listed rows, {_amount(self.base)} {self.unit}, which exceeds the "
                f"rounded world total of {self.total.value} {self.unit}."
            )
        return f"Shares are of the world total, {self.total.value} {self.unit}."

    @property
    def what(self) -> str:
        """What the table counts: its scope, with the commodity where it is not the chapter's."""
        named = f" ({self.commodity})" if self.commodity.casefold() != self.chapter.casefold() else ""
        return f"{self.scope}{named}"

    @property
    def title(self) -> str:
        """The table's heading: statistic, year and what it counts."""
        return f"{self.statistic}, {self.year}: {self.what}"

    def share_of(self, figure: Observation) -> Share | None:
        return next((s for s in self.shares if s.figure is figure), None)


def concentrations(figures: FigureSet) -> list[Concentration]:
    """Every world table of a chapter, in the release's order, each with its shares or the reason it has none."""
    found = []
    for part in figures.sections:
        if not part.name.startswith("World"):
            continue
        content = content_basis(part.notes)
        tables: dict[tuple[str, str, str, str], list[Observation]] = {}
        for figure in part.figures:
            tables.setdefault((figure.commodity, figure.statistic, figure.year, figure.unit), []).append(figure)
        for (commodity, statistic, year, unit), rows in tables.items():
            for total, members in _by_total(rows):
                scope = base_scope(total.scope if total is not None else members[0].scope)
                found.append(
                    _concentration(
                        figures,
                        part.name,
                        commodity,
                        statistic,
                        scope,
                        year,
                        unit,
                        content,
                        total,
                        members,
                    )
                )
    return found


def base_scope(scope: str) -> str:
    """A scope without the suffix a world total carries: 'Mine production: Palladium, rounded' -> '... Palladium'."""
    return _SUFFIX.sub("", scope).strip()


def content_basis(notes: str | None) -> str:
    """What a section's figures count, from its note: '(Data in kilograms, gallium content)' -> 'kilograms, ...'."""
    found = _CONTENT.match(notes or "")
    return found.group(1).strip() if found else ""


def figure_notes(figure: Observation) -> list[str]:
    """USGS's notes on a figure that the figure does not already show (its estimate flag, the reserves appendix)."""
    parts = [p.strip() for p in (figure.notes or "").split(" -- ")]
    return [p for p in parts if p and p not in _SAID]


def qualifier(figure: Observation) -> str:
    """What a token that is not a number means, in words: '' for a number."""
    if figure.value == WITHHELD:
        return "withheld to avoid disclosing company data"
    if figure.value == NOT_AVAILABLE:
        return "not available"
    if figure.value == NOTHING:
        return "zero or none"
    if figure.value == NOT_APPLICABLE:
        return "not applicable"
    if figure.value == NET_EXPORTER and figure.statistic == "Net import reliance":
        return "a net exporter"
    return ""


def _by_total(rows: list[Observation]) -> list[tuple[Observation | None, list[Observation]]]:
    """Split one laid-out table by its world totals: every row with the total it adds up to."""
    totals = [f for f in rows if f.area == WORLD_TOTAL]
    if len(totals) <= 1:
        return [(totals[0] if totals else None, rows)]
    named = {base_scope(t.scope).casefold(): t for t in totals}
    members: dict[str, list[Observation]] = {key: [] for key in named}
    loose: list[Observation] = []
    for figure in rows:
        key = base_scope(figure.scope).casefold()
        if figure.area == WORLD_TOTAL or key in members:
            members[key].append(figure)
        else:
            loose.append(figure)
    split: list[tuple[Observation | None, list[Observation]]] = [(named[key], members[key]) for key in named]
    if loose:
        split.append((None, loose))
    return split


def _concentration(
    figures: FigureSet,
    section: str,
    commodity: str,
    statistic: str,
    scope: str,
    year: str,
    unit: str,
    content: str,
    total: Observation | None,
    rows: list[Observation],
) -> Concentration:
    source = figures.chapter_source or figures.release
    table = Concentration(
        figures.edition,
        figures.chapter,
        section,
        commodity,
        statistic,
        scope,
        year,
        unit,
        content,
        source,
        total,
        [],
        rows,
    )
    reason = _no_shares(total, rows)
    if reason:
        return replace(table, reason=reason, published=_published(figures, table, []))
    assert total is not None and total.number is not None
    counted = [f for f in rows if f.area != WORLD_TOTAL and f.number is not None]
    listed = sum(f.number for f in counted if f.number is not None)
    summed = listed > total.number
    base = listed if summed else total.number
    shares = sorted(
        (Share(f.country, f, 100 * f.number / base) for f in counted if f.country and f.number is not None),
        key=lambda s: (-s.percent, s.country),
    )
    uncounted = []
    others = next((f for f in rows if f.area == OTHERS), None)
    if others is not None and others.value != NOTHING and (others.number is None or others.number > 0):
        uncounted.append("'Other countries' are not counted one by one")
    together = [f.area for f in rows if f.country is None and f.area not in (WORLD_TOTAL, OTHERS)]
    if together:
        uncounted.append(f"{'; '.join(together)} given together")
    hidden = [f for f in rows if f.country and f.number is None and f.value != NOTHING]
    if hidden:
        tokens = ", ".join(sorted({f.value for f in hidden}))
        uncounted.append(f"no figure for {', '.join(f.area for f in hidden)} ({tokens})")
    return replace(
        table,
        shares=shares,
        base=base,
        summed=summed,
        uncounted=uncounted,
        published=_published(figures, table, shares),
    )


def _no_shares(total: Observation | None, rows: list[Observation]) -> str:
    """Why no share can be computed from a table, or '' when shares can be."""
    if total is None:
        return "USGS gives no world total for these rows, so no shares are computed"
    if total.anomaly is not None:
        return f"the world total is flagged: {total.anomaly.note}"
    flagged = [f.area for f in rows if f.anomaly is not None]
    if flagged:
        return f"figures of this table are flagged ({', '.join(flagged)}), so no shares are computed"
    if total.number is None:
        meaning = qualifier(total)
        given = f"'{total.value}' ({meaning})" if meaning else f"'{total.value}'"
        return f"the world total is given as {given}, so no shares are computed"
    if not any(f.country and f.number is not None for f in rows):
        return "USGS gives this world total without a figure for any one country"
    return ""


def _published(
    figures: FigureSet, table: Concentration, shares: list[Share]
) -> list[tuple[PublishedShare, Share | None]]:
    """The chapter's own shares for this table, each with the share computed here for the same country."""
    if table.statistic != "Production" or table.total is None:
        return []
    return [
        (p, next((s for s in shares if s.country == p.country), None))
        for p in figures.published_shares
        if (p.statistic, p.year) == (table.statistic, table.year) and any(f.country == p.country for f in table.rows)
    ]


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def headline(found: list[Concentration]) -> Concentration | None:
    """The table a reader compares minerals by: the first production table of the latest year with shares."""
    production = [c for c in found if c.statistic == "Production" and c.shares]
    if not production:
        return None
    latest = max(c.year for c in production)
    return next(c for c in production if c.year == latest)


@dataclass(frozen=True)
class SeriesValue:
    """One edition's figure for a country and year."""

    edition: str
    figure_set: str  # the id of the figure set it comes from
    figure: Observation
    newest: bool  # the newest edition that gives this year
    revised: bool = False  # an earlier edition's figure that the newest one changed


@dataclass(frozen=True)
class ProductionSeries:
    """A mineral's production by country over the years every edition covers, each value with its edition."""

    years: list[str]
    rows: list[tuple[str, dict[str, list[SeriesValue]]]]  # (area, values by year, newest edition first)
    scopes: list[tuple[str, str, str]]  # (edition, scope, unit) of the table each edition's figures come from
    sources: list[tuple[str, str]]  # (edition, source record)

    def leaders(self, count: int = 3) -> list[str]:
        """The countries with the largest newest figure in the latest year (no group such as 'Other countries')."""
        latest = self.years[-1] if self.years else ""
        ranked = [
            (-(values[latest][0].figure.number or 0), area)
            for area, values in self.rows
            if latest in values and values[latest][0].figure.country and values[latest][0].figure.number
        ]
        return [area for _, area in sorted(ranked)[:count]]


def _scope_key(figure: Observation) -> tuple[str, str]:
    """What a production row counts, as far as editions agree on it: the commodity and the scope's first words.

    Editions word one table differently ("Mine production", "Mine production, metric tons of contained
    cobalt", "Mine production, estimated"); the first words name the stage ("Mine production", "Refinery
    production") and so keep one stage apart from another.
    """
    head = re.split(r"[,:(]", base_scope(figure.scope), maxsplit=1)[0]
    return figure.commodity.casefold(), head.strip().casefold()


def _first_production(figures: FigureSet) -> list[Observation]:
    """The rows of a chapter's first world production table: its first commodity and scope, and its world total."""
    rows = [
        f
        for section in figures.sections
        if section.name.startswith("World")
        for f in section.figures
        if f.statistic == "Production" and f.unit
    ]
    first = next((f for f in rows if f.country), None)
    if first is None:
        return []
    key = _scope_key(first)
    return [f for f in rows if _scope_key(f) == key and f.unit == first.unit]


def production_series(sets: dict[str, FigureSet]) -> ProductionSeries | None:
    """Production by country over every year the editions give, each value with its edition; None without figures."""
    values: dict[str, dict[str, list[SeriesValue]]] = {}
    scopes, sources = [], []
    for set_id, figures in sorted(sets.items(), key=lambda item: item[1].edition, reverse=True):
        rows = _first_production(figures)
        if not rows:
            continue
        scopes.append((figures.edition, base_scope(rows[0].scope), rows[0].unit))
        sources.append((figures.edition, figures.chapter_source or figures.release))
        for f in rows:
            if f.number is None and f.low is None and f.high is None:
                continue
            area = f.country or f.area
            given = values.setdefault(area, {}).setdefault(f.year, [])
            if any(v.edition == figures.edition for v in given):
                continue  # one figure per edition and year: the table's first
            newest = given[0].figure if given else f
            revised = (newest.number, newest.low, newest.high) != (f.number, f.low, f.high)
            given.append(SeriesValue(figures.edition, set_id, f, not given, revised))
    if not values:
        return None
    years = sorted({year for by_year in values.values() for year in by_year})
    latest = years[-1]

    def order(item: tuple[str, dict[str, list[SeriesValue]]]) -> tuple[int, float, str]:
        area, by_year = item
        newest = by_year.get(latest, [])
        amount = newest[0].figure.number or 0 if newest else 0
        return (area == WORLD_TOTAL, -amount, area)

    return ProductionSeries(years, sorted(values.items(), key=order), scopes, sources)
