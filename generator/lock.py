"""One build at a time in a project: a second build, or the preview's next run, waits for the first."""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .core.exceptions import cannot

log = logging.getLogger("atlas")


@contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold the lock file `folder/.lock` while building; say so and wait when another process holds it.

    The lock is the operating system's (flock), so a build that is killed releases it at once.
    """
    path = folder / ".lock"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise cannot("take the build lock in", folder, error) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip() or "unknown"
            log.warning("Another build is running in this project (process %s); waiting for it to finish.", holder)
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(handle)  # releases the lock
