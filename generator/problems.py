"""Problems found in the data: collected, each one line, and reported once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .documents import Document, FieldPath, dotted

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place: `file:line:col: field.path: message`."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        prefix = "" if self.severity == "error" else "warning: "
        return f"{where}: {prefix}{self.field + ': ' if self.field else ''}{self.message}"

    def annotation(self) -> str:
        """Return the problem as a GitHub Actions workflow command."""
        message = f"{self.field}: {self.message}" if self.field else self.message
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={self.path},line={max(self.line, 1)},col={max(self.col, 1)}::{message}"


@dataclass
class Problems:
    """A sorted collection of problems."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self, path: Path | str, line: int, col: int, field_path: str, message: str, *, warning: bool = False
    ) -> None:
        self.items.append(Problem(str(path), line, col, field_path, message, "warning" if warning else "error"))

    def at(
        self, document: Document, path: FieldPath, message: str, *, value: bool = False, warning: bool = False
    ) -> None:
        """Report a problem with a field of a document, at the line where the field (or, if asked, its value) stands."""
        line, col = document.position(path, value=value)
        self.add(document.path, line, col, dotted(path), message, warning=warning)

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "warning")

    def sorted(self) -> list[Problem]:
        return sorted(self.items)
