"""Write stage: put the rendered files in the docs folder, touching only files whose content changed.

Unchanged files keep their modification time, so `mkdocs serve` and dirty builds do no work for
them. Each file is replaced atomically; files no longer rendered are removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .exceptions import BuildError
from .progress import QUIET, Progress


@dataclass(frozen=True)
class OutputFile:
    """One file for the docs folder, by its path relative to that folder."""

    path: str
    content: bytes


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def write_output(files: list[OutputFile], out_dir: Path, progress: Progress = QUIET) -> WriteReport:
    """Make `out_dir` hold exactly `files`, rewriting only what changed."""
    report = WriteReport()
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve()
    wanted: set[Path] = set()
    for file in files:
        progress.step()
        target = (root / file.path).resolve()
        if root not in target.parents:
            raise BuildError(f"refusing to write '{file.path}' outside {out_dir}")
        wanted.add(target)
        try:
            if target.read_bytes() == file.content:
                report.unchanged += 1
                continue
        except FileNotFoundError:
            pass
        _write_atomic(target, file.content)
        report.written.append(file.path)
    for existing in sorted(root.rglob("*"), reverse=True):
        if existing.is_file() and existing not in wanted:
            existing.unlink()
            report.removed.append(existing.relative_to(root).as_posix())
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    return report


def _write_atomic(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def replace_dir(new: Path, target: Path) -> None:
    """Swap a freshly built folder into place, so readers never see a half-written one."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)
