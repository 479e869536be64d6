"""Exports stage: machine-readable twins of the site, one module per format (JSON API, CSV, Atom, iCalendar).

Every file depends only on the records and the as-of date (`derived.today`), never on the
clock, so two builds of the same data for the same date are byte-identical. Links point into
the site by paths relative to the site root (the feeds resolve them against their own address)
unless the site's address is known.
"""

from __future__ import annotations

from ..core.files import OutputFile
from ..records.dataset import Dataset, Derived
from .api import api_files
from .calendar import calendar_file, measure_calendar_files
from .changes import status_changes
from .feeds import feed_files
from .tables import csv_files

__all__ = ["export_files"]


def export_files(dataset: Dataset, derived: Derived, site_url: str | None = None) -> list[OutputFile]:
    """Return every export file, by its path in the docs folder."""
    changes = status_changes(derived)
    files = [
        *api_files(dataset, derived),
        *csv_files(dataset, derived),
        *feed_files(dataset, derived, changes, site_url),
        calendar_file(dataset, derived, changes, site_url),
        *measure_calendar_files(dataset, derived, changes, site_url),
    ]
    return sorted(files, key=lambda f: f.path)
