"""CSV downloads: one table per collection, its columns declared once in the registry, and the production figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter
from typing import Any

from ..core import urls
from ..core.concentration import content_basis, figure_notes, qualifier
from ..core.files import OutputFile
from ..records.dataset import Dataset, Derived
from ..records.registry import COLLECTIONS, Row

LIST_SEPARATOR = "; "
WORLD = "WORLD"
# A byte-order mark makes Excel read the files as UTF-8; csv readers take it off with "utf-8-sig".
CSV_BOM = "\ufeff"
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class _Figure:
    """One production figure of a mineral: a country's, or the world total as country WORLD."""

    mineral: str
    country: str
    figure: Any
    producers: list[str]


def _figure_field(name: str) -> tuple[str, Callable[[_Figure], Any]]:
    return (name, attrgetter(f"figure.{name}"))


PRODUCTION_COLUMNS: tuple[tuple[str, Callable[[_Figure], Any]], ...] = (
    ("mineral", attrgetter("mineral")),
    ("country", attrgetter("country")),
    *map(_figure_field, ("year", "stage", "scope", "value", "unit", "share", "estimated", "edition", "source", "note")),
    ("producing_countries", attrgetter("producers")),
)


# One mineral's figures: every row of the USGS tables imported for it, then the figures its record holds.
MINERAL_FIGURE_COLUMNS = (
    "mineral",
    "edition",
    "source",
    "section",
    "release_file",
    "line",
    "commodity",
    "area",
    "country",
    "statistic",
    "scope",
    "year",
    "value",
    "number",
    "low",
    "high",
    "unit",
    "content",
    "estimated",
    "meaning",
    "notes",
    "corrected_from",
    "anomaly",
    "share_computed",
    "share_basis",
    "share_published",
)


def csv_files(dataset: Dataset, derived: Derived) -> list[OutputFile]:
    """Return downloads/<collection>.csv, one row per record, downloads/production.csv, and one file per mineral."""
    files = []
    for collection in COLLECTIONS.values():
        columns = collection.csv_columns
        rows = []
        for record_id, record in dataset.get(collection.name).items():
            row = Row(collection.name, record_id, record, derived)
            rows.append([csv_cell(value(row)) for _name, value in columns])
        files.append(_csv_file(urls.table(collection.name), [name for name, _ in columns], rows))
    files.append(_csv_file(urls.PRODUCTION_TABLE, [name for name, _ in PRODUCTION_COLUMNS], _production_rows(dataset)))
    for mineral_id in dataset.minerals:
        rows = _mineral_figure_rows(mineral_id, dataset, derived)
        files.append(_csv_file(urls.mineral_table(mineral_id), MINERAL_FIGURE_COLUMNS, rows))
    return files


def _csv_file(path: str, columns: Iterable[str], rows: Iterable[list[str]]) -> OutputFile:
    """Return a CSV file: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return OutputFile(path, (CSV_BOM + buffer.getvalue()).encode("utf-8"), "the CSV downloads")


def csv_cell(value: Any) -> str:
    """Format one value for a CSV cell, with a leading apostrophe where text would start a spreadsheet formula."""
    text = cell(value)
    if _is_number(value) or (isinstance(value, list | tuple) and value and all(map(_is_number, value))):
        return text  # "-5" written from a number is a number, not a formula
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell(value: Any) -> str:
    """Format one value for a CSV cell: lists joined with '; ', booleans as true/false, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(cell(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _production_rows(dataset: Dataset) -> list[list[str]]:
    """Return production figures in long format: country rows as recorded, then world totals as country WORLD."""
    rows = []
    for mineral_id, mineral in dataset.minerals.items():
        figures = [_Figure(mineral_id, f.country, f, []) for f in mineral.production]
        figures += [_Figure(mineral_id, WORLD, f, f.producing_countries) for f in mineral.world_production]
        rows += [[csv_cell(value(figure)) for _name, value in PRODUCTION_COLUMNS] for figure in figures]
    return rows


def _mineral_figure_rows(mineral_id: str, dataset: Dataset, derived: Derived) -> list[list[str]]:
    """Every figure of one mineral, each with its edition, qualifiers and, in a world table, its computed share."""
    mineral = dataset.minerals[mineral_id]
    shares = {
        (table.edition, share.figure.line): (share, table)
        for table in derived.concentrations.get(mineral_id, [])
        for share in table.shares
    }
    found: list[dict[str, Any]] = []
    for set_id in derived.figure_sets_of.get(mineral_id, mineral.figures):
        figures = dataset.figure_sets[set_id]
        source = figures.chapter_source or figures.release
        for section in figures.sections:
            content = content_basis(section.notes)
            for f in section.figures:
                share, table = shares.get((figures.edition, f.line), (None, None))
                found.append(
                    {
                        "mineral": mineral_id,
                        **f.model_dump(include={"line", "commodity", "area", "country", "statistic", "scope"}),
                        **f.model_dump(include={"year", "value", "number", "low", "high", "unit", "estimated"}),
                        "edition": figures.edition,
                        "source": source,
                        "section": section.name,
                        "release_file": figures.release_file,
                        "content": content,
                        "meaning": qualifier(f),
                        "notes": figure_notes(f),
                        "corrected_from": f.corrected.was if f.corrected else None,
                        "anomaly": f.anomaly.note if f.anomaly else None,
                        "share_computed": round(share.percent, 4) if share else None,
                        "share_basis": table.basis if table else None,
                    }
                )
    for figure in [*mineral.production, *mineral.world_production]:
        country = getattr(figure, "country", WORLD)
        found.append(
            {
                "mineral": mineral_id,
                "edition": figure.edition,
                "source": figure.source,
                "section": "atlas record",
                "area": country,
                "country": country,
                "statistic": figure.stage.value,
                "scope": figure.scope,
                "year": figure.year,
                "number": figure.value,
                "unit": figure.unit,
                "estimated": figure.estimated,
                "notes": figure.note,
                "share_published": figure.share,
            }
        )
    return [
        [csv_cell(row.get(name)) for name in MINERAL_FIGURE_COLUMNS]
        for row in found
        if row.setdefault("mineral", mineral_id)
    ]
