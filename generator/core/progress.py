"""Progress of the pipeline's stages: a bar per stage on a terminal, one summary line per stage in logs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# What times a stage: seconds from any fixed point, only ever subtracted.
Clock = Callable[[], float]


class Progress:
    """Receives each stage's start, steps and end; this base reports nothing.

    `clock` times the stages (default: time.perf_counter); a test gives one that it moves itself.
    """

    def __init__(self, clock: Clock = time.perf_counter) -> None:
        self.clock = clock

    def begin(self, name: str, total: int) -> None:
        """A stage starts with `total` steps (0 when unknown)."""

    def advance(self, steps: int = 1) -> None:
        """Some steps of the current stage are done."""

    def end(self, name: str, done: int, seconds: float) -> None:
        """The stage is finished."""

    @contextmanager
    def stage(self, name: str, total: int = 0) -> Iterator[Progress]:
        """Run a stage between begin and end, timing it."""
        self.begin(name, total)
        self._done = 0
        start = self.clock()
        try:
            yield self
        finally:
            self.end(name, self._done or total, self.clock() - start)

    def step(self, steps: int = 1) -> None:
        self._done = getattr(self, "_done", 0) + steps
        self.advance(steps)


class Quiet(Progress):
    """Reports nothing and keeps no count, so one instance serves every caller."""

    @contextmanager
    def stage(self, name: str, total: int = 0) -> Iterator[Progress]:
        yield self

    def step(self, steps: int = 1) -> None:
        pass


QUIET = Quiet()


class SummaryLines(Progress):
    """One line per stage: for CI logs and anything that is not a terminal."""

    def __init__(self, stream: TextIO = sys.stderr, clock: Clock = time.perf_counter) -> None:
        super().__init__(clock)
        self.stream = stream

    def end(self, name: str, done: int, seconds: float) -> None:
        count = f"{done:>7,} items" if done else " " * 13
        self.stream.write(f"{name:<10}{count}  {seconds:7.2f} s\n")
        self.stream.flush()


class Bars(SummaryLines):
    """A progress bar per stage on a terminal, replaced by its summary line when done."""

    def __init__(self, stream: TextIO = sys.stderr, width: int = 30, clock: Clock = time.perf_counter) -> None:
        super().__init__(stream, clock)
        self.width = width
        self.name = ""
        self.total = 0
        self.done = 0
        self.last = 0.0

    def begin(self, name: str, total: int) -> None:
        self.name, self.total, self.done, self.last = name, total, 0, 0.0

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        now = self.clock()
        if self.total and (now - self.last > 0.1 or self.done >= self.total):
            self.last = now
            filled = int(self.width * min(self.done / self.total, 1))
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r{self.name:<10}[{bar}] {self.done:,}/{self.total:,}")
            self.stream.flush()

    def end(self, name: str, done: int, seconds: float) -> None:
        self.stream.write("\r\x1b[K")
        super().end(name, done, seconds)


def for_stream(stream: Any = sys.stderr) -> Progress:
    """Bars on a terminal, summary lines otherwise."""
    return Bars(stream) if getattr(stream, "isatty", lambda: False)() else SummaryLines(stream)
