"""The atlas's exceptions, as click defines them: exit 1 for data, build and environment problems, 2 for misuse."""

from __future__ import annotations

import logging
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
