"""Write stage: put the rendered files in the docs folder, touching only files whose content changed.

Unchanged files keep their modification time, so `mkdocs serve` and dirty builds do no work for
them. Each file is replaced atomically; files no longer rendered are removed.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .exceptions import BuildError
from .files import OutputFile
from .progress import QUIET, Progress


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


@dataclass
class WriteMemory:
    """What was last written or read, by absolute path: (size, mtime, digest).

    A long-running process (the live preview) keeps one between runs, and then tells an unchanged
    file by its stat alone, without reading it.
    """

    known: dict[str, tuple[int, int, bytes]] = field(default_factory=dict)

    def same(self, target: Path, size: int, mtime: int, digest: bytes) -> bool:
        """Whether the file on disk holds the content with `digest`, reading it only if its stat is not known."""
        key = str(target)
        known = self.known.get(key)
        if known is None or known[:2] != (size, mtime):
            known = self.known[key] = (size, mtime, _digest(target.read_bytes()))
        return known[2] == digest


def _digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=16).digest()


def write_output(
    files: list[OutputFile], out_dir: Path, progress: Progress = QUIET, memory: WriteMemory | None = None
) -> WriteReport:
    """Make `out_dir` hold exactly `files`, rewriting only what changed; refuse two files for one path."""
    _refuse_collisions(files)
    memory = memory if memory is not None else WriteMemory()
    report = WriteReport()
    out_dir.mkdir(parents=True, exist_ok=True)
    existing = _existing_files(out_dir)
    made: set[str] = {""}
    wanted: set[str] = set()
    for file in files:
        progress.step()
        relative = posixpath.normpath(file.path)
        if relative.startswith(("../", "/")) or relative in ("..", ".") or "\\" in relative:
            raise BuildError(f"refusing to write '{file.path}' outside {out_dir}")
        wanted.add(relative)
        target = out_dir / relative
        digest = _digest(file.content)
        if relative in existing:
            size, mtime = existing[relative]
            if size == len(file.content) and memory.same(target, size, mtime, digest):
                report.unchanged += 1
                continue
            _write_atomic(target, file.content)
        else:
            folder = posixpath.dirname(relative)
            if folder not in made:
                (out_dir / folder).mkdir(parents=True, exist_ok=True)
                made.add(folder)
            # No reader has seen a new file yet; a half-written one differs and is rewritten next time.
            target.write_bytes(file.content)
        info = target.stat()
        memory.known[str(target)] = (info.st_size, info.st_mtime_ns, digest)
        report.written.append(relative)
    for relative in sorted(set(existing) - wanted):
        (out_dir / relative).unlink()
        report.removed.append(relative)
    _remove_empty_folders(out_dir)
    return report


def _refuse_collisions(files: list[OutputFile]) -> None:
    producers: dict[str, str] = {}
    for file in files:
        relative = posixpath.normpath(file.path)
        if relative in producers:
            raise BuildError(
                f"two outputs for '{relative}': one from {producers[relative] or 'unknown'}, "
                f"one from {file.producer or 'unknown'}; give one of them another path"
            )
        producers[relative] = file.producer


def _existing_files(root: Path) -> dict[str, tuple[int, int]]:
    """Return every file below `root` with its size and mtime, by path relative to `root`, in one walk."""
    found: dict[str, tuple[int, int]] = {}
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((name + "/", entry.path))
                elif entry.name.endswith(".tmp") and entry.name.startswith("."):
                    os.unlink(entry.path)  # left by an interrupted write
                else:
                    info = entry.stat(follow_symlinks=False)
                    found[name] = (info.st_size, info.st_mtime_ns)
    return found


def _remove_empty_folders(root: Path) -> None:
    for folder, subfolders, names in os.walk(root, topdown=False):
        if folder != str(root) and not subfolders and not names and not os.listdir(folder):
            os.rmdir(folder)


def _write_atomic(target: Path, content: bytes) -> None:
    """Write through a temporary file beside the target, then rename it into place."""
    temp = target.with_name(f".{target.name}.tmp")
    try:
        temp.write_bytes(content)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def fresh_dir_beside(target: Path) -> Path:
    """Make an empty folder next to `target`, readable by all like any folder the build makes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    temp.chmod(0o755 & ~_umask())
    return temp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
