"""The pipeline: load → validate → derive → render → write, then MkDocs."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .derive import derive
from .exceptions import BuildError, DataError, Problem
from .exports import export_files
from .load import ParseCache, load_data
from .models import COLLECTIONS
from .progress import QUIET, Progress
from .render import make_environment, render
from .validate import Dataset, validate
from .write import OutputFile, WriteReport, fresh_dir_beside, replace_dir, write_output

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
    """The outcome of generating the docs folder."""

    warnings: list[Problem]
    report: WriteReport
    skipped: bool = False  # nothing the output depends on had changed since the last run


def check(
    layout: Layout, today: dt.date, strict: bool = False, progress: Progress = QUIET, cache: ParseCache | None = None
) -> Checked:
    """Load and validate every record; raise DataError listing every error."""
    # Load: parse each file, keeping line numbers.
    loaded = load_data(layout.data_dir, list(COLLECTIONS), layout.data_dir.parent, progress, cache)
    # Validate: types, references and meaning, all problems in one run.
    with progress.stage("validate", len(loaded.documents)):
        dataset, found = validate(loaded.documents, today, loaded.present, progress)
    problems = loaded.problems
    problems.extend(found)
    errors = problems.errors + (problems.warnings if strict else [])
    if errors:
        raise DataError(sorted(errors))
    return Checked(dataset, problems.warnings)


def generate(
    layout: Layout, today: dt.date, strict: bool = False, progress: Progress = QUIET, cache: ParseCache | None = None
) -> Generated:
    """Check the data and write the Markdown site into the docs folder, unless nothing changed since last time."""
    stamp = _Stamp.of(layout, today, strict)
    remembered = stamp.remembered()
    if remembered is not None:
        return Generated(remembered, WriteReport(unchanged=stamp.output_count), skipped=True)
    checked = check(layout, today, strict, progress, cache)
    # The records live until the end of the build: keep the cyclic collector from scanning them again and again.
    gc.freeze()
    try:
        return _generate_pages(layout, today, checked, stamp, progress)
    finally:
        gc.unfreeze()


def _generate_pages(layout: Layout, today: dt.date, checked: Checked, stamp: _Stamp, progress: Progress) -> Generated:
    """Derive, render, export and write, from records already checked."""
    # Derive: statuses on `today`, backlinks and the timeline, from one index.
    with progress.stage("derive"):
        derived = derive(checked.dataset, today)
    # Render: every page in memory first, so a template error writes nothing.
    env = make_environment(layout.templates_dir, layout.docs_dir.parent / f".{layout.docs_dir.name}.templates")
    pages = render(env, checked.dataset, derived, layout.content_dir, progress)
    files = [OutputFile(page.path, page.content.encode("utf-8")) for page in pages]
    with progress.stage("export"):
        files += export_files(checked.dataset, derived)
    files += _static_files(layout)
    # Write: only files whose content changed.
    with progress.stage("write", len(files)):
        report = write_output(files, layout.docs_dir, progress)
    stamp.remember(checked.warnings)
    return Generated(checked.warnings, report)


@dataclass
class _Stamp:
    """What the docs folder was last generated from: the inputs' names, sizes and times, and the options.

    When neither the inputs nor the docs folder changed, generating again would write the same
    bytes, so it is skipped; the warnings of that run are kept with the stamp.
    """

    file: Path
    inputs: str
    docs_dir: Path
    output_count: int = 0

    @classmethod
    def of(cls, layout: Layout, today: dt.date, strict: bool) -> _Stamp:
        digest = hashlib.sha256(f"{today}|{strict}|{os.environ.get('ATLAS_SITE_URL', '')}".encode())
        package = Path(__file__).parent
        for folder in (
            layout.data_dir,
            layout.content_dir,
            layout.templates_dir,
            layout.assets_dir,
            layout.schemas_dir,
            package,
        ):
            digest.update(_listing(folder).encode())
        return cls(layout.docs_dir.parent / f".{layout.docs_dir.name}.stamp.json", digest.hexdigest(), layout.docs_dir)

    def remembered(self) -> list[Problem] | None:
        """Return the last run's warnings if it was made from the same inputs and its output is intact."""
        try:
            saved = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if saved.get("inputs") != self.inputs or saved.get("output") != _digest(_listing(self.docs_dir)):
            return None
        self.output_count = int(saved.get("count", 0))
        return [Problem(**w) for w in saved.get("warnings", [])]

    def remember(self, warnings: list[Problem]) -> None:
        listing = _listing(self.docs_dir)
        record = {
            "inputs": self.inputs,
            "output": _digest(listing),
            "count": listing.count("\n"),
            "warnings": [asdict(w) for w in warnings],
        }
        self.file.write_text(json.dumps(record), encoding="utf-8")


def _listing(folder: Path) -> str:
    """Every file below `folder` with its size and modification time, one per line, sorted."""
    lines = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    stack.append(Path(entry.path))
            else:
                info = entry.stat(follow_symlinks=False)
                lines.append(f"{entry.path}|{info.st_size}|{info.st_mtime_ns}\n")
    return "".join(sorted(lines))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


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
    # Free what generation left behind and set the rest aside, so MkDocs' collections stay as cheap as on their own.
    gc.collect()
    gc.freeze()
    try:
        with progress.stage("mkdocs"):
            run_mkdocs(layout)
    finally:
        gc.unfreeze()
    return generated


def run_mkdocs(layout: Layout) -> None:
    """Build the site into a temporary folder beside `site/`, then swap it in."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    temp = fresh_dir_beside(layout.site_dir)
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
