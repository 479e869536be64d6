"""Exports stage: machine-readable twins of the site (JSON API, CSV, feeds, calendar)."""

from __future__ import annotations

from .derive import Derived
from .validate import Dataset
from .write import OutputFile


def export_files(dataset: Dataset, derived: Derived) -> list[OutputFile]:
    """Return every export file, by its path in the docs folder."""
    del dataset, derived
    return []
