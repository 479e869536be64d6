"""The pipeline: load → validate → derive → render → write, then MkDocs."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .derive import Derived, derive
from .exceptions import BuildError, DataError, Problem
from .exports import export_files
from .load import load_data
from .models import COLLECTIONS
from .progress import QUIET, Progress
from .render import make_environment, render
from .validate import Dataset, validate
from .write import OutputFile, WriteReport, replace_dir, write_output

log = logging.getLogger("atlas")


@dataclass(frozen=True)
class Layout:
    """Where the project's inputs and outputs live."""

    root: Path
    data_dir: Path
    content_dir: Path
    templates_dir: Path
    assets_dir: Path
    schemas_dir: Path
    docs_dir: Path
    site_dir: Path
    config_file: Path

    @classmethod
    def at(
        cls, root: Path, data_dir: Path | None = None, site_dir: Path | None = None, docs_dir: Path | None = None
    ) -> Layout:
        root = root.resolve()
        return cls(
            root=root,
            data_dir=(data_dir or root / "data").resolve(),
            content_dir=root / "content",
            templates_dir=root / "site_config" / "templates",
            assets_dir=root / "site_config" / "assets",
            schemas_dir=root / "site_config" / "schemas",
            docs_dir=(docs_dir or root / "build" / "docs").resolve(),
            site_dir=(site_dir or root / "site").resolve(),
            config_file=root / "mkdocs.yml",
        )


@dataclass
class Checked:
    """The outcome of checking the data: valid records and the warnings that remain."""

    dataset: Dataset
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Generated:
    checked: Checked
    derived: Derived
    report: WriteReport


def check(layout: Layout, today: dt.date, strict: bool = False, progress: Progress = QUIET) -> Checked:
    """Load and validate every record; raise DataError listing every error."""
    # Load: parse each file, keeping line numbers.
    loaded = load_data(layout.data_dir, list(COLLECTIONS), root=layout.data_dir.parent, progress=progress)
    # Validate: types, references and meaning, all problems in one run.
    with progress.stage("validate", len(loaded.documents)):
        dataset, found = validate(loaded.documents, today, loaded.present, progress)
    problems = loaded.problems
    problems.extend(found)
    errors = problems.errors + (problems.warnings if strict else [])
    if errors:
        raise DataError(sorted(errors))
    return Checked(dataset, problems.warnings)


def generate(layout: Layout, today: dt.date, strict: bool = False, progress: Progress = QUIET) -> Generated:
    """Check the data and write the Markdown site into the docs folder."""
    checked = check(layout, today, strict, progress)
    # Derive: statuses on `today`, backlinks and the timeline, from one index.
    with progress.stage("derive"):
        derived = derive(checked.dataset, today)
    # Render: every page in memory first, so a template error writes nothing.
    env = make_environment(layout.templates_dir)
    pages = render(env, checked.dataset, derived, layout.content_dir, progress)
    files = [OutputFile(page.path, page.content.encode("utf-8")) for page in pages]
    with progress.stage("export"):
        files += export_files(checked.dataset, derived)
    files += _static_files(layout)
    # Write: only files whose content changed.
    with progress.stage("write", len(files)):
        report = write_output(files, layout.docs_dir, progress)
    return Generated(checked, derived, report)


def _static_files(layout: Layout) -> list[OutputFile]:
    files = []
    for folder, prefix in ((layout.assets_dir, "assets"), (layout.schemas_dir, "schemas")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    files.append(OutputFile(f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes()))
    return files


def build_site(layout: Layout, today: dt.date, strict: bool = False, progress: Progress = QUIET) -> Generated:
    """Generate the Markdown, then build the HTML site with MkDocs in strict mode, swapping it in whole."""
    generated = generate(layout, today, strict, progress)
    with progress.stage("mkdocs"):
        run_mkdocs(layout)
    return generated


def run_mkdocs(layout: Layout) -> None:
    """Build the site into a temporary folder beside `site/`, then swap it in."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    layout.site_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{layout.site_dir.name}.", dir=layout.site_dir.parent))
    try:
        config = load_config(
            config_file=str(layout.config_file), strict=True, site_dir=str(temp), docs_dir=str(layout.docs_dir)
        )
        mkdocs_build(config)
    except (MkDocsException, OSError) as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise BuildError(f"MkDocs build failed: {error}") from error
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    replace_dir(temp, layout.site_dir)
