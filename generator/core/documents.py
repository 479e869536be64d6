"""A parsed data file, and the vocabulary for pointing into it: field paths and their dotted form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FieldPath = tuple[str | int, ...]
PLACEHOLDER = "FILL-IN"  # what `atlas new` writes where a value is needed


@dataclass(frozen=True)
class Document:
    """One data file: its parsed mapping and where each value was written."""

    collection: str
    id: str
    path: str
    data: dict[str, Any]
    positions: dict[FieldPath, tuple[int, int]] = field(repr=False)
    # Where each scalar value starts, for messages about the value rather than the field.
    value_positions: dict[FieldPath, tuple[int, int]] = field(repr=False)
    # Plain (unquoted) scalars that YAML would not read as text, with the type it would give them.
    typed_plain: dict[FieldPath, str] = field(repr=False)

    def position(self, path: FieldPath, value: bool = False) -> tuple[int, int]:
        """Return (line, col) of `path` (of its value, if asked and written), or of its nearest written parent."""
        if value and path in self.value_positions:
            return self.value_positions[path]
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found:
                return found
        return (1, 1)


def dotted(path: FieldPath) -> str:
    """Format a field path as editors write it: `relations[0].policy`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
