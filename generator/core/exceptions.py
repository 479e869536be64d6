"""The atlas's exceptions, as click defines them: exit 1 for data, build and environment problems, 2 for misuse."""

from __future__ import annotations

import errno
import logging
from pathlib import Path
from typing import IO, Any

import click

from .problems import Problem

log = logging.getLogger("atlas")


class AtlasError(click.ClickException):
    """Base of the atlas's exceptions: a problem with the data, the build or the environment (exit 1)."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        log.error("Error: %s", self.format_message())


class DataError(AtlasError):
    """The data has errors; the build stops before writing anything."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"Aborted with {count} data error{'s' if count != 1 else ''}.")

    def show(self, file: IO[Any] | None = None) -> None:
        # Each problem is reported where the command prints its problems; then the count, once.
        log.error("%s", self.format_message())


class BuildError(AtlasError):
    """The site could not be built from valid data (template, output or MkDocs failure)."""


class UsageError(click.UsageError):
    """The command line was used wrongly (exit 2)."""


_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space, then build again",
    errno.EDQUOT: "the disk quota is used up; free some space, then build again",
    errno.EACCES: "you may not write there; make it writable (chmod -R u+w) or delete it, then build again",
    errno.EPERM: "the system refuses; check its flags (lsattr; chattr -i) and owner, then build again",
    errno.EROFS: "the file system is read-only; build somewhere writable (--site-dir, --docs-dir)",
    errno.ENOTDIR: "a file stands where a folder should; move or delete it, then build again",
    errno.EEXIST: "a file stands where a folder should; move or delete it, then build again",
}


def cannot(action: str, path: Path, error: OSError) -> BuildError:
    """A BuildError saying what could not be done to which path, why, and what to do about it."""
    reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename and str(error.filename) != str(path) else ""
    advice = _ADVICE.get(error.errno or 0, "fix that, then build again")
    return BuildError(f"cannot {action} {path}: {reason}{where}; {advice}")
