"""The `atlas` command: each subcommand parses its options and calls one library function.

The library raises click's exceptions (see exceptions.py); click shows them and exits with their
code. Everything else the command says goes through the "atlas" logger, to stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import click

from .build import Layout, Settings, build_site, check
from .core.exceptions import AtlasError, DataError
from .core.problems import Problem, problems_json
from .core.progress import QUIET, for_stream
from .records.registry import COLLECTIONS
from .tools.scaffold import new_record
from .tools.schemas import stale_schemas, write_schemas

F = TypeVar("F", bound=Callable[..., Any])
Verbosity = Literal["quiet", "normal", "verbose"]

log = logging.getLogger("atlas")

# The levels of the atlas's own messages and of MkDocs' for each verbosity. MkDocs stays at
# WARNING or below: its strict mode counts the warnings that reach its logger.
LEVELS: dict[Verbosity, tuple[int, int]] = {
    "quiet": (logging.WARNING, logging.WARNING),
    "normal": (logging.INFO, logging.WARNING),
    "verbose": (logging.DEBUG, logging.INFO),
}


class _EchoHandler(logging.Handler):
    """Write each message to stderr through click, so it goes wherever click's own output goes."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(self.format(record), err=True)
        except Exception:
            self.handleError(record)


class _MessageFormatter(logging.Formatter):
    """The atlas's messages as they are; MkDocs' after their level, as MkDocs prints them."""

    def format(self, record: logging.LogRecord) -> str:
        message = super().format(record)
        if record.name == "atlas" or record.name.startswith("atlas."):
            return message
        return f"{record.levelname:<8}-  {message}"


_HANDLER = _EchoHandler()
_HANDLER.setFormatter(_MessageFormatter())


def set_verbosity(verbosity: Verbosity) -> None:
    """Show the atlas's and MkDocs' messages at the levels of `verbosity`, through the one handler."""
    for name, level in zip(("atlas", "mkdocs"), LEVELS[verbosity], strict=True):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if _HANDLER not in logger.handlers:
            logger.addHandler(_HANDLER)


def _verbosity_flag(_ctx: click.Context, param: click.Parameter, given: bool) -> None:
    if given:
        set_verbosity("quiet" if param.name == "quiet" else "verbose")


def verbosity_options(command: F) -> F:
    """Add -q/--quiet and -v/--verbose, so that both work before and after the subcommand's name."""
    command = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_verbosity_flag,
        help="Also show MkDocs' messages and debugging messages.",
    )(command)
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_verbosity_flag,
        help="Show only errors and warnings.",
    )(command)


class _AtlasGroup(click.Group):
    """The command group: every run starts at the normal verbosity, which -q or -v then change."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        set_verbosity("normal")
        return super().make_context(info_name, args, parent, **extra)

    def main(self, *args: Any, **extra: Any) -> Any:
        """Run the command; end it with a message, not a traceback, when its output cannot be written."""
        try:
            return super().main(*args, **extra)
        except OSError as error:
            # An error writing to stdout or stderr carries no file name; one on a named file is a bug to see.
            if error.filename is not None or error.errno not in OUTPUT_ERRNOS:
                raise
            _end_after_output_error(error)


# What writing to a closed pipe, a full disk or a broken terminal raises.
OUTPUT_ERRNOS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})


def _end_after_output_error(error: OSError) -> None:
    """Say once, on stderr if it still works, that the output was cut short; exit 1 without a traceback."""
    if error.errno != errno.EPIPE:  # a reader that stopped reading (`| head`) wanted no more
        with contextlib.suppress(OSError):
            sys.stderr.write(f"Error: cannot write the output: {error.strerror}; the output is incomplete\n")
            sys.stderr.flush()
    # Python flushes stdout once more at exit; point it at nothing so that cannot fail again.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)


# The only places that read the real date and the environment: the library is given both.


def _calendar_day() -> dt.date:
    """The real date, as the machine's clock gives it."""
    return dt.date.today()


def _settings() -> Settings:
    """Read the site's settings from the environment, and clear what would change how the build's tools run."""
    # Pagefind also reads PAGEFIND_* variables: without them its command line alone decides how it indexes.
    for name in sorted(name for name in os.environ if name.startswith("PAGEFIND_")):
        del os.environ[name]
    return Settings.from_environment(os.environ)


def _parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return _calendar_day()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD") from None


def _report(problems: list[Problem], annotations: bool) -> None:
    """Log each problem on a line of its own; print it as a GitHub Actions annotation too, if asked."""
    for problem in problems:
        log.log(logging.ERROR if problem.severity == "error" else logging.WARNING, "%s", problem)
        if annotations:
            click.echo(problem.annotation())


@contextmanager
def _reporting_problems(annotations: bool) -> Iterator[None]:
    """Report every problem of a DataError before click shows its count."""
    try:
        yield
    except DataError as error:
        _report(error.problems, annotations)
        raise


today_option = click.option(
    "--today", callback=_parse_day, metavar="YYYY-MM-DD", help="The as-of date for statuses (default: today)."
)
strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings as errors, except 'may be out of date' (its fix waits for newer material).",
)
annotations_option = click.option(
    "--annotations/--no-annotations",
    default=os.environ.get("GITHUB_ACTIONS") == "true",
    help="Also print problems as GitHub Actions annotations (default: on in GitHub Actions).",
)
root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Project folder (default: current folder).",
)
site_dir_option = click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The built site's folder (default: ROOT/site).",
)
data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder (default: ROOT/data).",
)


@click.group(cls=_AtlasGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="critical-minerals-atlas", prog_name="atlas", message="%(prog)s %(version)s")
@verbosity_options
def main() -> None:
    """Build the Critical Minerals Atlas from the YAML facts in data/."""


@main.command("validate")
@today_option
@strict_option
@annotations_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the outcome to stdout as one JSON object (problems with file, line, column, field), for tools.",
)
@root_option
@data_option
@verbosity_options
@click.pass_context
def validate_command(
    ctx: click.Context,
    today: dt.date,
    strict: bool,
    annotations: bool,
    as_json: bool,
    root: Path,
    data_dir: Path | None,
) -> None:
    """Check every data file and print every problem, with file, line and field."""
    if as_json:
        try:
            checked = check(Layout.at(root, data_dir), today, strict, calendar_day=_calendar_day())
        except DataError as error:
            click.echo(problems_json(error.problems, valid=False))
            ctx.exit(1)
        click.echo(problems_json(checked.warnings, valid=True, records=checked.dataset.count()))
        return
    with _reporting_problems(annotations):
        checked = check(Layout.at(root, data_dir), today, strict, calendar_day=_calendar_day())
    _report(checked.warnings, annotations)
    log.info("%d records valid, %d warnings.", checked.dataset.count(), len(checked.warnings))


@main.command("status")
@click.argument("policy_id", metavar="ID")
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON, as the site's API gives the status.")
@root_option
@data_option
@verbosity_options
def status_command(policy_id: str, today: dt.date, as_json: bool, root: Path, data_dir: Path | None) -> None:
    """Print a measure's status on a day, with its basis and its timeline: `atlas status cn-mofcom-2024-46`."""
    from .tools.query import policy_status, report_lines

    with _reporting_problems(False):
        report = policy_status(Layout.at(root, data_dir), policy_id, today, _calendar_day())
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        click.echo("\n".join(report_lines(report)))


@main.command(
    "new",
    epilog=f"COLLECTION is one of: {', '.join(c.singular for c in COLLECTIONS.values() if not c.imported)} "
    f"(or the plural: {', '.join(c.name for c in COLLECTIONS.values() if not c.imported)}).",
)
@click.argument(
    "collection",
    metavar="COLLECTION",
    type=click.Choice([name for c in COLLECTIONS.values() if not c.imported for name in (c.singular, c.name)]),
)
@click.argument("record_id", metavar="ID")
@click.option("--today", callback=_parse_day, metavar="YYYY-MM-DD", help="Date for last_verified (default: today).")
@root_option
@data_option
@verbosity_options
def new_command(collection: str, record_id: str, today: dt.date, root: Path, data_dir: Path | None) -> None:
    """Write a commented skeleton for a new record: `atlas new policy cn-mofcom-2025-99`."""
    path = new_record(Layout.at(root, data_dir).data_dir, collection, record_id, today)
    log.info("Wrote %s; fill in every FILL-IN, then run `atlas validate`.", path)


@main.group("import", cls=_AtlasGroup)
@verbosity_options
def import_group() -> None:
    """Import figures from a statistical release into data/, as records an editor reviews as a diff."""


@import_group.command("usgs-mcs")
@click.argument("release", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--settings",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The release's import settings (default: import.yaml beside the release file, or in the release folder).",
)
@click.option(
    "--allow-removals",
    is_flag=True,
    help="Delete the files of chapters an earlier import wrote that this release lacks (default: refuse).",
)
@root_option
@data_option
@verbosity_options
def import_usgs_mcs_command(
    release: Path, settings: Path | None, allow_removals: bool, root: Path, data_dir: Path | None
) -> None:
    """Import the USGS Mineral Commodity Summaries data release: one figure-set record per chapter."""
    from .tools.importer import import_usgs_mcs

    with _reporting_problems(False):
        report = import_usgs_mcs(release, Layout.at(root, data_dir).data_dir, settings, allow_removals)
    for verb, names in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        for name in names:
            log.info("%s %s", verb, name)
    log.info(
        "Imported %d figures: %d files added, %d changed, %d removed, %d unchanged.",
        report.figures,
        len(report.added),
        len(report.changed),
        len(report.removed),
        report.unchanged,
    )


@main.command("schemas")
@root_option
@click.option("--check", "check_only", is_flag=True, help="Only report whether the committed schemas are current.")
@verbosity_options
def schemas_command(root: Path, check_only: bool) -> None:
    """Export the JSON Schemas of the data files into site_config/schemas/."""
    folder = Layout.at(root).schemas_dir
    if check_only:
        stale = stale_schemas(folder)
        if stale:
            raise AtlasError(f"out of date: {', '.join(stale)}; run `atlas schemas`")
        return
    changed = write_schemas(folder)
    log.info("%d schema file(s) updated in %s.", len(changed), folder)


@main.command("build")
@today_option
@strict_option
@annotations_option
@root_option
@data_option
@site_dir_option
@click.option(
    "--docs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the generated Markdown (default: ROOT/build/docs).",
)
@verbosity_options
def build_command(
    today: dt.date,
    strict: bool,
    annotations: bool,
    root: Path,
    data_dir: Path | None,
    site_dir: Path | None,
    docs_dir: Path | None,
) -> None:
    """Validate, generate the Markdown and build the HTML site into site/."""
    layout = Layout.at(root, data_dir, site_dir, docs_dir)
    settings = _settings()
    progress = for_stream(sys.stderr) if log.isEnabledFor(logging.INFO) else QUIET
    with _reporting_problems(annotations):
        generated = build_site(layout, today, strict, progress, settings, _calendar_day())
    _report(generated.warnings, annotations)
    report = generated.report
    done = (
        "Markdown unchanged since the last run"
        if generated.skipped
        else f"{len(report.written)} files written, {report.unchanged} unchanged, {len(report.removed)} removed"
    )
    log.info("Built the site for %s into %s: %s.", today.isoformat(), layout.site_dir, done)


@main.command("serve")
@today_option
@root_option
@data_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@verbosity_options
def serve_command(today: dt.date, root: Path, data_dir: Path | None, dev_addr: str) -> None:
    """Preview the site; edits to data, templates or content show without a restart, errors in the page."""
    from .tools.serve import serve

    serve(Layout.at(root, data_dir), today, dev_addr, _settings(), _calendar_day())


@main.command("check-links")
@root_option
@site_dir_option
@click.option(
    "--site-url",
    envvar="ATLAS_SITE_URL",
    metavar="URL",
    default=None,
    help="Where the site is published, as in mkdocs.yml (default: $ATLAS_SITE_URL).",
)
@verbosity_options
@click.pass_context
def check_links_command(ctx: click.Context, root: Path, site_dir: Path | None, site_url: str | None) -> None:
    """Check that every link inside the built site leads to a file, and to an id on it after '#'."""
    from .tools.linkcheck import check_internal

    layout = Layout.at(root, site_dir=site_dir)
    broken = check_internal(layout.site_dir, site_url)
    for message in broken:
        log.error("%s", message)
    if broken:
        log.error("Found %d broken link%s in %s.", len(broken), "s" if len(broken) != 1 else "", layout.site_dir)
        ctx.exit(1)
    log.info("No broken links in %s.", layout.site_dir)


@main.command("check-sources")
@annotations_option
@root_option
@data_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=20.0,
    show_default=True,
    help="Seconds each URL may take in all, every request and redirect included.",
)
@click.option(
    "--workers", type=click.IntRange(1, 32), default=8, show_default=True, help="How many URLs to ask at once."
)
@click.option("--fail", is_flag=True, help="Exit 1 when a URL does not answer (default: report only, exit 0).")
@verbosity_options
@click.pass_context
def check_sources_command(
    ctx: click.Context, annotations: bool, root: Path, data_dir: Path | None, timeout: float, workers: int, fail: bool
) -> None:
    """Ask every source's URL whether it still answers, and report each that does not."""
    from .tools.linkcheck import check_external

    report = check_external(Layout.at(root, data_dir).data_dir, timeout=timeout, workers=workers)
    if report.offline is not None:
        log.warning("Offline: %s; no source URL was checked.", report.offline)
        ctx.exit(1 if fail else 0)
    _report(report.problems, annotations)
    checked, failed = len(report.checked), len(report.problems)
    log.info("Checked %d source URL%s: %d did not answer.", checked, "s" if checked != 1 else "", failed)
    if fail and failed:
        ctx.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
