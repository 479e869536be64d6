"""Charts drawn at build time as inline SVG: no script, no network, a text alternative in each."""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.concentration import ProductionSeries
from ..core.models import CountryProduction, Mineral, Policy, country_name
from ..records import wording
from ..records.registry import display_name
from ..records.status import ONE_DAY, PolicyTimeline, Span
from ..records.wording import Basis, Status

# Charts are laid out in percentages of their width, never scaled through a viewBox, so their text keeps
# its size on a phone as on a desktop; only heights are in pixels.
BAR = 24
LINE = 16  # one line of text, 12 px type (atlas.css)
LABEL_CHARS = 50  # a label line that fits a phone's width in 12 px type
MIN_SHARE_LABEL = 12.0  # percent of the width below which a segment is too narrow to print its share
PALETTE = ("#1f5f8b", "#d9822b", "#4f9a5b", "#8e5ea2", "#c44e52", "#8c8c3c", "#5f7d8c", "#b07aa1")
REST = "#b8b8b8"
REST_NAME = "Rest of world"
_PALE = ' fill-opacity="0.5"'  # a span of a basis drawn pale: no source confirms it


def escape(text: str) -> str:
    """Escape text for the SVG, on one line: a blank line would end the HTML block in the Markdown page."""
    return html.escape(" ".join(text.split()))


@dataclass(frozen=True)
class DatedSpan:
    """A span of a measure's life as drawn and tabulated: from the day it was announced, never open at the start."""

    start: dt.date
    end: dt.date | None
    status: Status
    basis: Basis = Basis.confirmed

    @property
    def words(self) -> str:
        return wording.span_words(self.status, self.basis)


def production_share_chart(mineral: Mineral) -> str:
    """Draw one stacked bar of world shares by country per stage and year; '' when no shares are known.

    A share not published is computed from the tonnage and the world total of the same stage,
    year and unit, and the text alternative says so.
    """
    # One bar per stage and year, from the newest edition that gives it: editions are not mixed in one bar.
    newest: dict[tuple[str, int], str] = {}
    for f in [*mineral.production, *mineral.world_production]:
        key = (f.stage.value, f.year)
        newest[key] = max(newest.get(key, ""), f.edition or "")
    totals = {
        (w.stage.value, w.year, w.unit): w.value
        for w in mineral.world_production
        if w.value and (w.edition or "") == newest[(w.stage.value, w.year)]
    }
    groups: dict[tuple[str, int], list[tuple[CountryProduction, float, bool]]] = {}
    for figure in mineral.production:
        if (figure.edition or "") != newest[(figure.stage.value, figure.year)]:
            continue
        total = totals.get((figure.stage.value, figure.year, figure.unit))
        if figure.share is not None:
            groups.setdefault((figure.stage.value, figure.year), []).append((figure, figure.share, False))
        elif figure.value is not None and total:
            groups.setdefault((figure.stage.value, figure.year), []).append((figure, 100 * figure.value / total, True))
    if not groups:
        return ""
    rows = sorted(groups.items(), key=lambda g: (-g[0][1], g[0][0]))
    # One colour per country across every bar, in order of first appearance, so the legend reads for all bars.
    colours: dict[str, str] = {}
    for _key, figures in rows:
        for f, _share, _computed in sorted(figures, key=lambda g: -g[1]):
            colours.setdefault(country_name(f.country), PALETTE[len(colours) % len(PALETTE)])
    parts = []
    sentences = []
    y = 0
    rest_shown = False
    for (_stage, year), figures in rows:
        estimated = any(f.estimated for f, _, _ in figures)
        scope = figures[0][0].scope
        edition = figures[0][0].edition
        label = f"{year}{' (estimate)' if estimated else ''}: {scope}{f' ({edition})' if edition else ''}"
        for line in textwrap.wrap(label, LABEL_CHARS):
            y += LINE
            parts.append(f'<text x="0" y="{y - 4}">{escape(line)}</text>')
        y += 2
        segments = [
            (country_name(f.country), share, computed) for f, share, computed in sorted(figures, key=lambda g: -g[1])
        ]
        rest = 100 - sum(share for _, share, _ in segments)
        if rest >= 0.5:
            segments.append((REST_NAME, rest, any(c for _, _, c in segments)))
            rest_shown = True
        words = []
        x = 0.0
        for name, share, computed in segments:
            colour = REST if name == REST_NAME else colours[name]
            shown = f"{share:.0f} %"
            parts.append(
                f'<rect x="{x:.2f}%" y="{y}" width="{share:.2f}%" height="{BAR}" fill="{colour}">'
                f"<title>{escape(name)}: {shown}</title></rect>"
            )
            if share >= MIN_SHARE_LABEL:
                ink = "#000" if name == REST_NAME else "#fff"
                parts.append(f'<text x="{x:.2f}%" dx="4" y="{y + BAR / 2 + 4:.0f}" style="fill:{ink}">{shown}</text>')
            words.append(f"{name} {shown}{' (computed from tonnage)' if computed else ''}")
            x += share
        y += BAR + 10
        sentences.append(f"{label}: {', '.join(words)}.")
    legend = [(name, colour) for name, colour in colours.items()]
    if rest_shown:
        legend.append((REST_NAME, REST))
    title = f"{mineral.name}: share of world output by country"
    return _figure(
        title,
        " ".join(sentences),
        y,
        "".join(parts),
        "Share of world output by country, for each year and stage as published. Shares not published are "
        "computed from the tonnages in the table below, which gives the figures and their sources.",
        legend,
    )


def policy_spans(policy: Policy, timeline: PolicyTimeline) -> list[tuple[str, list[DatedSpan]]]:
    """Return the rows of a measure's life from the day it was announced: the whole measure, then each clause."""
    rows = [("Whole measure", timeline.whole), *((f"Clause {clause}", spans) for clause, spans in timeline.clauses)]
    return [(part, _from_announcement(spans, policy.dates.announced)) for part, spans in rows]


def _from_announcement(spans: tuple[Span, ...], announced: dt.date) -> list[DatedSpan]:
    return [
        DatedSpan(max(span.start or announced, announced), span.end, span.status, span.basis)
        for span in spans
        if span.end is None or span.end >= announced
    ]


def policy_timeline_chart(policy: Policy, rows: list[tuple[str, list[DatedSpan]]], today: dt.date) -> str:
    """Draw a measure's life, one bar per clause under its name, with the as-of date marked."""
    known = [d for _, spans in rows for s in spans for d in (s.start, s.end) if d is not None] + [today]
    first, last = min(known), max(known)
    last = last + dt.timedelta(days=max(30, (last - first).days // 10))
    span_days = max((last - first).days, 1) + 1

    def x_of(day: dt.date) -> float:
        """Where a day starts, in percent of the width."""
        return 100 * (day - first).days / span_days

    top = LINE  # the as-of date's label
    row_height = LINE + BAR + 6
    height = top + len(rows) * row_height + LINE + 4
    parts = []
    for year in range(first.year + 1, last.year + 1):
        x = x_of(dt.date(year, 1, 1))
        parts.append(f'<line class="axis" x1="{x:.2f}%" y1="{top}" x2="{x:.2f}%" y2="{height - LINE}" />')
        # Near the right edge a label stands left of its line, so it does not run off the chart.
        placed = 'dx="2"' if x < 90 else 'dx="-2" text-anchor="end"'
        parts.append(f'<text x="{x:.2f}%" {placed} y="{height - 4}">{year}</text>')
    sentences = []
    for row, (label, spans) in enumerate(rows):
        y = top + row * row_height
        parts.append(f'<text x="0" y="{y + LINE - 3}">{escape(label)}</text>')
        bar_y = y + LINE
        words = []
        for span in spans:
            end = (span.end or last) + ONE_DAY
            x1, x2 = x_of(span.start), x_of(end)
            parts.append(
                f'<rect x="{x1:.2f}%" y="{bar_y}" width="{max(x2 - x1, 0.3):.2f}%" height="{BAR}" '
                f'fill="{span.status.words.colour}"{_PALE if span.basis.words.pale else ""}>'
                f"<title>{escape(label)}: {span.words} {_range(span)}</title></rect>"
            )
            words.append(f"{span.words} {_range(span)}")
        sentences.append(f"{label}: {'; '.join(words)}.")
    x = x_of(today)
    parts.append(
        f'<line x1="{x:.2f}%" y1="{top - 12}" x2="{x:.2f}%" y2="{height - LINE}" stroke="#c62828" stroke-width="2" />'
    )
    # The date's label stands on the side of the line with more room.
    anchor, dx = ("end", -4) if x > 50 else ("start", 4)
    parts.append(
        f'<text x="{x:.2f}%" dx="{dx}" y="{top - 4}" text-anchor="{anchor}" style="fill:#c62828">{_day(today)}</text>'
    )
    title = f"Life of {display_name(policy)}"
    caption = (
        f"Status over time; the red line marks {_day(today)}, the date of this edition. Orange spans are suspensions; "
        "pale spans follow from the measures' own dates, and no source confirms them."
    )
    return _figure(title, " ".join(sentences), height, "".join(parts), caption)


def _figure(
    title: str, description: str, height: int, body: str, caption: str, legend: Sequence[tuple[str, str]] = ()
) -> str:
    keys = "".join(
        f'<li><span class="atlas-chart__swatch" style="background:{colour}"></span>{escape(name)}</li>'
        for name, colour in legend
    )
    return (
        '<figure class="atlas-chart">'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" role="img">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{body}</svg>"
        + (f'<ul class="atlas-chart__legend" aria-hidden="true">{keys}</ul>' if keys else "")
        + f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def _range(span: DatedSpan) -> str:
    return f"from {_day(span.start)}" + (f" to {_day(span.end)}" if span.end else " on")


def _day(day: dt.date) -> str:
    return day.strftime("%-d %b %Y")


TREND_HEIGHT = 160
TREND_PLOT = 120  # the height of the plot area; the rest holds the year labels


def production_trend_chart(name: str, series: ProductionSeries | None) -> str:
    """Draw the leading producers' output over the years, one line each, from the newest edition of each year."""
    if series is None:
        return ""
    leaders = series.leaders()
    by_area = dict(series.rows)
    points = {
        area: [(year, by_area[area][year][0]) for year in series.years if year in by_area[area]] for area in leaders
    }
    peak = max((v.figure.number or 0 for values in points.values() for _, v in values), default=0)
    if not leaders or peak <= 0:
        return ""
    steps = max(len(series.years) - 1, 1)

    def x(year: str) -> float:
        return 6 + 88 * series.years.index(year) / steps

    unit = series.scopes[0][2]
    parts = [
        f'<text x="{x(year):.2f}%" y="{TREND_HEIGHT - 6}" text-anchor="middle">{escape(year)}</text>'
        for year in series.years
    ]
    parts.append(f'<text x="0" y="12">top of the scale: {peak:,.0f} {escape(unit)}</text>')
    sentences = []
    legend = []
    for index, area in enumerate(leaders):
        colour = PALETTE[index % len(PALETTE)]
        label = country_name(area) if len(area) == 2 else area
        legend.append((label, colour))
        dots = []
        for (year, value), following in zip(points[area], [*points[area][1:], None], strict=True):
            y = TREND_PLOT - (TREND_PLOT - 24) * (value.figure.number or 0) / peak + 4
            dots.append(
                f'<circle cx="{x(year):.2f}%" cy="{y:.1f}" r="4" fill="{colour}">'
                f"<title>{escape(label)}, {escape(year)}: {escape(value.figure.value)} "
                f"({escape(value.edition)})</title></circle>"
            )
            if following is not None:
                next_year, next_value = following
                y2 = TREND_PLOT - (TREND_PLOT - 24) * (next_value.figure.number or 0) / peak + 4
                parts.append(
                    f'<line x1="{x(year):.2f}%" y1="{y:.1f}" x2="{x(next_year):.2f}%" y2="{y2:.1f}" '
                    f'stroke="{colour}" stroke-width="2"/>'
                )
        parts += dots
        said = ", ".join(f"{year} {value.figure.value} ({value.edition})" for year, value in points[area])
        sentences.append(f"{label}: {said}.")
    return _figure(
        f"{name}: production of the leading producers over the years",
        " ".join(sentences),
        TREND_HEIGHT,
        "".join(parts),
        f"Production of the three leading producers of the latest year, in {unit}, each year from the newest edition "
        "that gives it; the table below gives every edition's figure.",
        legend,
    )
