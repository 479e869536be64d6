"""Skip generating when nothing it depends on changed: the inputs, the options, the code and the packages."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from .core.config import PACKAGE, Layout, Settings
from .core.problems import Problem

# The installed packages whose versions change the generated files.
PACKAGES = (PACKAGE, "pydantic", "jinja2", "pyyaml", "feedgen", "icalendar", "pycountry", "mkdocs", "mkdocs-material")


@dataclass
class Stamp:
    """What the docs folder was last generated from: the inputs' names and contents, and the options.

    When neither the inputs nor the docs folder changed, generating again would write the same
    bytes, so it is skipped; the warnings of that run are kept with the stamp.
    """

    file: Path
    inputs: str
    docs_dir: Path
    output_count: int = 0

    @classmethod
    def of(cls, layout: Layout, settings: Settings, today: dt.date, strict: bool) -> Stamp:
        digest = hashlib.sha256(f"{today}|{strict}|{settings.site_url or ''}|{_versions()}".encode())
        for folder in (*layout.inputs, Path(__file__).parent):
            digest.update(_listing(folder).encode())
        return cls(layout.docs_dir.parent / f".{layout.docs_dir.name}.stamp.json", digest.hexdigest(), layout.docs_dir)

    def remembered(self) -> list[Problem] | None:
        """Return the last run's warnings if it was made from the same inputs and its output is intact."""
        try:
            saved = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if saved.get("inputs") != self.inputs or saved.get("output") != _digest(_listing(self.docs_dir)):
            return None
        self.output_count = int(saved.get("count", 0))
        return [Problem(**w) for w in saved.get("warnings", [])]

    def remember(self, warnings: list[Problem]) -> None:
        listing = _listing(self.docs_dir)
        record = {
            "inputs": self.inputs,
            "output": _digest(listing),
            "count": listing.count("\n"),
            "warnings": [asdict(w) for w in warnings],
        }
        self.file.write_text(json.dumps(record), encoding="utf-8")


def _versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return ",".join(found)


def _listing(folder: Path) -> str:
    """Every file below `folder` with a digest of its content, one per line, sorted.

    Content, not size and modification time: an edit that keeps both, or a generated file altered
    in place, still changes the listing. Only regular files are read, so a named pipe cannot block.
    """
    lines = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    stack.append(Path(entry.path))
            else:
                lines.append(f"{entry.path}|{_content_digest(entry)}\n")
    return "".join(sorted(lines))


def _content_digest(entry: os.DirEntry[str]) -> str:
    try:
        if not entry.is_file():
            return "not a regular file"
        with open(entry.path, "rb") as handle:
            return hashlib.file_digest(handle, "blake2b").hexdigest()
    except OSError as error:
        return f"unreadable ({error.errno})"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
