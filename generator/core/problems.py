"""Problems found in the data: collected, each one line, and reported once."""

from __future__ import annotations

import json
import unicodedata
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
    # Whether --strict makes the warning an error; a warning whose fix may not exist yet does not.
    fails_strict: bool = True

    def __str__(self) -> str:
        path = visible(self.path)
        where = f"{path}:{self.line}:{self.col}" if self.line else path
        prefix = "" if self.severity == "error" else "warning: "
        return f"{where}: {prefix}{visible(self.field) + ': ' if self.field else ''}{visible(self.message)}"

    def annotation(self) -> str:
        """Return the problem as a GitHub Actions workflow command."""
        message = visible(f"{self.field}: {self.message}" if self.field else self.message).replace("%", "%25")
        # A property value ends at ',' and the properties at '::', so both are escaped in the file name.
        path = visible(self.path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
        return f"::{self.severity} file={path},line={max(self.line, 1)},col={max(self.col, 1)}::{message}"

    def as_dict(self) -> dict[str, str | int]:
        """The problem for tools: its parts as given, control characters and all (JSON escapes them)."""
        return {
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "field": self.field,
            "message": self.message,
        }


def problems_json(problems: list[Problem], *, valid: bool, records: int | None = None) -> str:
    """The outcome of a check as one JSON object: `valid`, the record count if valid, and every problem."""
    return json.dumps(
        {
            "valid": valid,
            "records": records,
            "errors": sum(p.severity == "error" for p in problems),
            "warnings": sum(p.severity == "warning" for p in problems),
            "problems": [p.as_dict() for p in problems],
        },
        ensure_ascii=False,
        indent=2,
    )


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """Write control characters and line separators as escapes (`\\n`), so a problem is always one line."""
    if text.isprintable():
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


@dataclass
class Problems:
    """A sorted collection of problems."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: Path | str,
        line: int,
        col: int,
        field_path: str,
        message: str,
        *,
        warning: bool = False,
        fails_strict: bool = True,
    ) -> None:
        severity: Severity = "warning" if warning else "error"
        self.items.append(Problem(str(path), line, col, field_path, message, severity, fails_strict))

    def at(
        self,
        document: Document,
        path: FieldPath,
        message: str,
        *,
        value: bool = False,
        warning: bool = False,
        fails_strict: bool = True,
    ) -> None:
        """Report a problem with a field of a document, at the line where the field (or, if asked, its value) stands."""
        line, col = document.position(path, value=value)
        self.add(document.path, line, col, dotted(path), message, warning=warning, fails_strict=fails_strict)

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
