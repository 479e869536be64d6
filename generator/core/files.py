"""A file of the generated docs folder: what the render and export stages produce and the write stage writes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFile:
    """One file for the docs folder, by its path relative to that folder, and what produced it."""

    path: str
    content: bytes
    producer: str = ""
