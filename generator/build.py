"""The pipeline: load → validate → derive → render → export → write, then MkDocs, then the search index."""

from __future__ import annotations

import datetime as dt
import gc
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import Stamp
from .core import urls
from .core.config import DEFAULT_SETTINGS, Layout, Settings, refuse_foreign_site, refuse_overlapping_outputs
from .core.exceptions import BuildError, DataError, cannot
from .core.files import OutputFile
from .core.problems import Problem
from .core.progress import QUIET, Progress
from .derive import derive
from .exports import export_files
from .load import ParseCache, load_data
from .lock import build_lock
from .records.dataset import Dataset
from .records.registry import COLLECTIONS, mkdocs_nav, navigation
from .render import make_environment, render
from .search import index_site
from .validate import validate
from .write import (
    WriteMemory,
    WriteReport,
    fresh_dir_beside,
    recover_interrupted_swap,
    remove_leftovers,
    remove_tree,
    replace_dir,
    write_output,
)

log = logging.getLogger("atlas")

__all__ = ["Checked", "Generated", "Layout", "Settings", "build_site", "check", "generate", "run_mkdocs"]


@dataclass
class Checked:
    """The outcome of checking the data: valid records and the warnings that remain."""

    dataset: Dataset
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Generated:
    """The outcome of generating the docs folder."""

    warnings: list[Problem]
    report: WriteReport
    skipped: bool = False  # nothing the output depends on had changed since the last run


def check(
    layout: Layout,
    today: dt.date,
    strict: bool = False,
    progress: Progress = QUIET,
    cache: ParseCache | None = None,
    calendar_day: dt.date | None = None,
) -> Checked:
    """Load and validate every record as of `today`; raise DataError listing every error.

    `calendar_day` is the real date, which the CLI gives: no record can be verified after it.
    """
    # Load: parse each file, keeping line numbers.
    loaded = load_data(layout.data_dir, list(COLLECTIONS), layout.data_dir.parent, progress, cache)
    # Validate: types, references and meaning, all problems in one run.
    with progress.stage("validate", len(loaded.documents)):
        dataset, found = validate(loaded.documents, today, loaded.present, progress, calendar_day)
    problems = loaded.problems
    problems.extend(found)
    errors = problems.errors + ([w for w in problems.warnings if w.fails_strict] if strict else [])
    if errors:
        raise DataError(sorted(errors))
    return Checked(dataset, problems.warnings)


def generate(
    layout: Layout,
    today: dt.date,
    strict: bool = False,
    progress: Progress = QUIET,
    cache: ParseCache | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    memory: WriteMemory | None = None,
    extra: list[OutputFile] | None = None,
    calendar_day: dt.date | None = None,
) -> Generated:
    """Check the data and write the Markdown site into the docs folder, unless nothing changed since last time.

    A long-running caller (the live preview) passes the same `cache` and `memory` each time, so
    unchanged data files are not parsed again and unchanged output files are not read again, and
    may add files of its own (`extra`).
    """
    refuse_overlapping_outputs(layout)
    stamp = Stamp.of(layout, settings, today, strict)
    remembered = stamp.remembered()
    if remembered is not None:
        return Generated(remembered, WriteReport(unchanged=stamp.output_count), skipped=True)
    checked = check(layout, today, strict, progress, cache, calendar_day)
    # The records live until the end of the build: keep the cyclic collector from scanning them again and again.
    gc.freeze()
    try:
        # Derive: statuses on `today`, backlinks and the timeline, from one index.
        with progress.stage("derive"):
            derived = derive(checked.dataset, today)
        # Render: every page in memory first, so a template error writes nothing.
        env = make_environment(layout.templates_dir, layout.docs_dir.parent / f".{layout.docs_dir.name}.templates")
        pages = render(env, checked.dataset, derived, layout.content_dir, progress, settings.site_url)
        files = [OutputFile(page.path, page.content.encode("utf-8"), page.producer) for page in pages]
        # Export: the JSON API, CSV tables, feeds and calendar.
        with progress.stage("export"):
            files += export_files(checked.dataset, derived, settings.site_url)
        files += _static_files(layout) + (extra or [])
        # Write: only files whose content changed; two files for one path is an error.
        try:
            with progress.stage("write", len(files)):
                report = write_output(files, layout.docs_dir, progress, memory)
            stamp.remember(checked.warnings)
        except OSError as error:
            raise cannot("write the generated pages into", layout.docs_dir, error) from None
    finally:
        gc.unfreeze()
    return Generated(checked.warnings, report)


def _static_files(layout: Layout) -> list[OutputFile]:
    files = []
    for folder, prefix in ((layout.assets_dir, "assets"), (layout.schemas_dir, "schemas")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    relative = path.relative_to(folder).as_posix()
                    files.append(OutputFile(f"{prefix}/{relative}", path.read_bytes(), f"site_config/{prefix}"))
    return files


def build_site(
    layout: Layout,
    today: dt.date,
    strict: bool = False,
    progress: Progress = QUIET,
    settings: Settings = DEFAULT_SETTINGS,
    calendar_day: dt.date | None = None,
) -> Generated:
    """Generate the Markdown, build the HTML site with MkDocs (strict) and index it for search; swap it in whole.

    One build at a time: a second one waits for the lock (see lock.py). What a killed build left
    behind is tidied first, so even a build that then fails leaves the last good site in place.
    """
    # Nothing is touched before the output folders are known to lie apart from what they must not replace.
    refuse_overlapping_outputs(layout)
    refuse_foreign_site(layout.site_dir)
    with build_lock(layout.lock_dir):
        _tidy(layout.site_dir)
        generated = generate(layout, today, strict, progress, settings=settings, calendar_day=calendar_day)
        # Free what generation left behind and set the rest aside, so MkDocs' collections stay as cheap as on their own.
        gc.collect()
        gc.freeze()
        temp = fresh_dir_beside(layout.site_dir)
        try:
            with progress.stage("mkdocs"):
                run_mkdocs(layout, temp, settings.site_url)
            # Search: Pagefind indexes the new pages before they replace the old site, so a failure leaves it as it was.
            with progress.stage("search"):
                index_site(temp)
        except BuildError as error:
            remove_tree(temp)
            raise BuildError(f"{error.message}\nThe site in {layout.site_dir} is left as it was.") from error
        except BaseException:
            remove_tree(temp)
            raise
        finally:
            gc.unfreeze()
        replace_dir(temp, layout.site_dir)
    return generated


def _tidy(site_dir: Path) -> None:
    """Put back a site an interrupted swap had moved aside, and remove the folders of killed builds."""
    try:
        recover_interrupted_swap(site_dir)
        for leftover in remove_leftovers(site_dir):
            log.info("Removed %s, left by an interrupted build.", leftover)
    except OSError as error:
        raise cannot("tidy up beside", site_dir, error) from None


def theme_extra() -> dict[str, Any]:
    """What the theme links to beyond the pages (mkdocs.yml's `extra.atlas`): the site's feed and its indexes."""
    indexes = [{"title": s.title, "url": urls.url_of(s.path)} for s in navigation() if s.index]
    return {"atlas": {"site_feed": urls.feed(), "indexes": indexes}}


def run_mkdocs(layout: Layout, site_dir: Path, site_url: str | None = None) -> None:
    """Build the HTML site from the docs folder into `site_dir` with MkDocs in strict mode.

    `site_url`, when known, replaces mkdocs.yml's own (None keeps it).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(
            config_file=str(layout.config_file),
            strict=True,
            site_dir=str(site_dir),
            docs_dir=str(layout.docs_dir),
            nav=mkdocs_nav(),
            site_url=site_url,
        )
        config.extra.update(theme_extra())
        mkdocs_build(config)
    except (MkDocsException, OSError) as error:
        raise BuildError(f"MkDocs build failed: {error}") from error
