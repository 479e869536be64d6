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


def csv_files(dataset: Dataset, derived: Derived) -> list[OutputFile]:
    """Return downloads/<collection>.csv, one row per record, and downloads/production.csv."""
    files = []
    for collection in COLLECTIONS.values():
        columns = collection.csv_columns
        rows = []
        for record_id, record in dataset.get(collection.name).items():
            row = Row(collection.name, record_id, record, derived)
            rows.append([csv_cell(value(row)) for _name, value in columns])
        files.append(_csv_file(urls.table(collection.name), [name for name, _ in columns], rows))
    files.append(_csv_file(urls.PRODUCTION_TABLE, [name for name, _ in PRODUCTION_COLUMNS], _production_rows(dataset)))
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
