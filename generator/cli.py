"""The `atlas` command: each subcommand parses its options and calls one library function."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .build import Layout, build_site, check
from .exceptions import AtlasError, DataError, Problem, UsageError
from .progress import for_stream
from .scaffold import new_record
from .schemas import stale_schemas, write_schemas

F = TypeVar("F", bound=Callable[..., Any])


def _parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD") from None


def _report(problems: list[Problem], annotations: bool) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
        if annotations:
            click.echo(problem.annotation())


def _handle_errors(command: F) -> F:
    """Turn the library's exceptions into messages and exit codes (1 data/build, 2 usage)."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DataError as error:
            _report(error.problems, kwargs.get("annotations", False))
            click.echo(str(error), err=True)
            sys.exit(1)
        except UsageError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(2)
        except AtlasError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


today_option = click.option(
    "--today", callback=_parse_day, metavar="YYYY-MM-DD", help="The as-of date for statuses (default: today)."
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Also show MkDocs' progress messages.")
def main(verbose: bool) -> None:
    """Build the Critical Minerals Atlas from the YAML facts in data/."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)-7s -  %(message)s")


@main.command("validate")
@today_option
@strict_option
@annotations_option
@root_option
@data_option
@_handle_errors
def validate_command(today: dt.date, strict: bool, annotations: bool, root: Path, data_dir: Path | None) -> None:
    """Check every data file and print every problem, with file, line and field."""
    checked = check(Layout.at(root, data_dir), today, strict)
    _report(checked.warnings, annotations)
    count = sum(len(records) for records in checked.dataset.records.values())
    click.echo(f"{count} records valid, {len(checked.warnings)} warnings.", err=True)


@main.command("new")
@click.argument("collection")
@click.argument("record_id", metavar="ID")
@click.option("--today", callback=_parse_day, metavar="YYYY-MM-DD", help="Date for last_verified (default: today).")
@root_option
@data_option
@_handle_errors
def new_command(collection: str, record_id: str, today: dt.date, root: Path, data_dir: Path | None) -> None:
    """Write a commented skeleton for a new record: `atlas new policy cn-mofcom-2025-99`."""
    path = new_record(Layout.at(root, data_dir).data_dir, collection, record_id, today)
    click.echo(f"Wrote {path}; fill in every FILL-IN, then run `atlas validate`.", err=True)


@main.command("schemas")
@root_option
@click.option("--check", "check_only", is_flag=True, help="Only report whether the committed schemas are current.")
@_handle_errors
def schemas_command(root: Path, check_only: bool) -> None:
    """Export the JSON Schemas of the data files into site_config/schemas/."""
    folder = Layout.at(root).schemas_dir
    stale = stale_schemas(folder)
    if check_only:
        if stale:
            raise UsageError(f"out of date: {', '.join(stale)}; run `atlas schemas`")
        return
    changed = write_schemas(folder)
    click.echo(f"{len(changed)} schema file(s) updated in {folder}.", err=True)


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
@_handle_errors
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
    generated = build_site(layout, today, strict, for_stream(sys.stderr))
    _report(generated.warnings, annotations)
    report = generated.report
    done = (
        "Markdown unchanged since the last run"
        if generated.skipped
        else f"{len(report.written)} files written, {report.unchanged} unchanged, {len(report.removed)} removed"
    )
    click.echo(f"Built the site for {today.isoformat()} into {layout.site_dir}: {done}.", err=True)


@main.command("serve")
@today_option
@root_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@_handle_errors
def serve_command(today: dt.date, root: Path, dev_addr: str) -> None:
    """Preview the site; edits to data, templates or content show without a restart."""
    from .serve import serve

    serve(Layout.at(root), today, dev_addr)


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
@_handle_errors
def check_links_command(root: Path, site_dir: Path | None, site_url: str | None) -> None:
    """Check that every link inside the built site leads to a file, and to an id on it after '#'."""
    from .linkcheck import check_internal

    layout = Layout.at(root, site_dir=site_dir)
    broken = check_internal(layout.site_dir, site_url)
    for message in broken:
        click.echo(message, err=True)
    if broken:
        click.echo(f"Found {len(broken)} broken link{'s' if len(broken) != 1 else ''} in {layout.site_dir}.", err=True)
        sys.exit(1)
    click.echo(f"No broken links in {layout.site_dir}.", err=True)


@main.command("check-sources")
@annotations_option
@root_option
@data_option
@click.option(
    "--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True, help="Seconds to wait for each answer."
)
@click.option(
    "--workers", type=click.IntRange(1, 32), default=8, show_default=True, help="How many URLs to ask at once."
)
@click.option("--fail", is_flag=True, help="Exit 1 when a URL does not answer (default: report only, exit 0).")
@_handle_errors
def check_sources_command(
    annotations: bool, root: Path, data_dir: Path | None, timeout: float, workers: int, fail: bool
) -> None:
    """Ask every source's URL whether it still answers, and report each that does not."""
    from .linkcheck import check_external

    report = check_external(Layout.at(root, data_dir).data_dir, timeout=timeout, workers=workers)
    _report(report.problems, annotations)
    checked, failed = len(report.checked), len(report.problems)
    click.echo(f"Checked {checked} source URL{'s' if checked != 1 else ''}: {failed} did not answer.", err=True)
    if fail and failed:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
