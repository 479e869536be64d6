"""Write stage: put the rendered files in the docs folder, touching only files whose content changed.

Unchanged files keep their modification time, so `mkdocs serve` and dirty builds do no work for
them. Each file is replaced atomically; files no longer rendered are removed, but only those a
previous run wrote (listed in the manifest beside the folder): anything else found there stops the
write. The built site is swapped in whole (`replace_dir`).
"""

from __future__ import annotations

import ctypes
import errno
import glob
import hashlib
import json
import os
import posixpath
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .core.exceptions import BuildError, cannot
from .core.files import OutputFile
from .core.progress import QUIET, Progress


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


# How many of the files found in the output folder but never written there a message names.
NAMED_FOREIGN = 5


def manifest_of(out_dir: Path) -> Path:
    """Where the list of the files written into `out_dir` is kept: beside it, so the folder holds only pages."""
    return out_dir.parent / f".{out_dir.name}.manifest.json"


def write_output(
    files: list[OutputFile], out_dir: Path, progress: Progress = QUIET, memory: WriteMemory | None = None
) -> WriteReport:
    """Make `out_dir` hold exactly `files`, rewriting only what changed; refuse two files for one path.

    Files a previous run wrote and this one does not are removed; a file no run wrote is never
    removed: it stops the write, with a BuildError naming it.
    """
    _refuse_collisions(files)
    memory = memory if memory is not None else WriteMemory()
    report = WriteReport()
    wanted: set[str] = set()
    for file in files:
        relative = posixpath.normpath(file.path)
        if relative.startswith(("../", "/")) or relative in ("..", ".") or "\\" in relative:
            raise BuildError(f"refusing to write '{file.path}' outside {out_dir}")
        wanted.add(relative)
    out_dir.mkdir(parents=True, exist_ok=True)
    existing = _existing_files(out_dir)
    manifest = manifest_of(out_dir)
    written_before = _read_manifest(manifest)
    _refuse_foreign(sorted(set(existing) - wanted - written_before), out_dir)
    # Listed before writing, so a run cut short still knows every file it may have left.
    _save_manifest(manifest, written_before | wanted)
    made: set[str] = {""}
    for file in files:
        progress.step()
        relative = posixpath.normpath(file.path)
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
    _save_manifest(manifest, wanted)
    _remove_empty_folders(out_dir)
    return report


def _read_manifest(manifest: Path) -> set[str]:
    """The files an earlier run wrote, by relative path; none when no run wrote a readable list."""
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {name for name in listed if isinstance(name, str)} if isinstance(listed, list) else set()


def _save_manifest(manifest: Path, names: set[str]) -> None:
    _write_atomic(manifest, json.dumps(sorted(names), indent=0).encode("utf-8"))


def _refuse_foreign(foreign: list[str], out_dir: Path) -> None:
    """Raise BuildError when the output folder holds files no run wrote: they are someone's, not the build's."""
    if not foreign:
        return
    named = ", ".join(foreign[:NAMED_FOREIGN]) + (
        f" and {len(foreign) - NAMED_FOREIGN} more" if len(foreign) > NAMED_FOREIGN else ""
    )
    raise BuildError(
        f"{out_dir} holds {len(foreign)} file{'s' if len(foreign) != 1 else ''} the build did not write ({named}); "
        "the build replaces what it wrote only: move them elsewhere, or choose another --docs-dir"
    )


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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as error:
        raise cannot("make a folder beside", target, error) from None
    temp.chmod(0o755 & ~_umask())
    return temp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the folders that interrupted builds left beside `target` (`.site.XXXXXXXX`); return them.

    Call only while holding the build lock: another build's folder would look the same.
    """
    removed = []
    if target.parent.is_dir():
        for leftover in sorted(target.parent.glob(f".{glob.escape(target.name)}.*")):
            if leftover.is_dir() and not leftover.is_symlink():
                remove_tree(leftover)
                removed.append(leftover)
    return removed


def replace_dir(new: Path, target: Path) -> None:
    """Put a freshly built folder in the place of `target` in one step, so there is no instant without a site.

    On Linux the two folders are exchanged atomically (renameat2 with RENAME_EXCHANGE); elsewhere,
    or on a file system without it, `target` moves aside first, and an interrupted swap is undone
    by the next build (`recover_interrupted_swap`).
    """
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        remove_tree(new)
        raise BuildError(f"{target} is not a folder; move or delete it, then build again")
    try:
        if not target.exists():
            new.rename(target)
            return
        if not _exchange(new, target):
            old = _aside(target)
            target.rename(old)
            new.rename(target)
            new = old
    except OSError as error:
        remove_tree(new)
        raise cannot("replace", target, error) from None
    remove_tree(new)  # now the previous site


def recover_interrupted_swap(target: Path) -> None:
    """Put back a site that a swap without exchange had moved aside when it was interrupted."""
    old = _aside(target)
    if not target.exists() and not target.is_symlink() and old.is_dir():
        old.rename(target)


def _aside(target: Path) -> Path:
    return target.with_name(f".{target.name}.previous")


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False when the system or file system cannot, an OSError on failure."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if result == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(number, os.strerror(number), str(second))


def remove_tree(folder: Path) -> None:
    """Delete a folder the build made, even where a reader made parts of it read-only."""

    def retry_writable(function: Callable[..., object], path: str, _error: BaseException) -> None:
        parent = os.path.dirname(path)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
        function(path)

    if folder.is_dir() and not folder.is_symlink():
        folder.chmod(folder.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR | stat.S_IRUSR)
        if sys.version_info >= (3, 12):
            shutil.rmtree(folder, onexc=retry_writable)
        else:
            shutil.rmtree(folder, onerror=lambda function, path, info: retry_writable(function, path, info[1]))
