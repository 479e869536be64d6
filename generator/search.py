"""Search: index a built site with Pagefind, which writes its index and search UI into the site's pagefind/ folder.

The pages say what is indexed: a record page wraps its content in `data-pagefind-body` and names
its result title and filters (see `site_config/templates/_search.md.j2`); pages without it, such
as the index pages, stay out of the results. The browser fetches only the parts of the index a
query needs, so the first result costs the same whatever the number of records.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import zlib
from pathlib import Path

from .core.exceptions import BuildError

# The folder, inside the site, that Pagefind writes and the search UI loads from.
BUNDLE_DIR = "pagefind"
# What is on the page but not part of its text: heading permalinks (¶) and footnote marks.
NOT_TEXT = ("a.headerlink", "a.footnote-ref")
# Lines of Pagefind's own output quoted when it fails.
QUOTED_LINES = 12
# The files of the bundle the search box loads before any query, besides those the entry file names.
UI_FILES = ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-worker.js")
# How every index file of Pagefind 1.x begins once decompressed.
INDEX_MAGIC = b"pagefind_dcd"
# The attribute that marks a page's indexed content (see _search.md.j2).
BODY_MARK = b"data-pagefind-body"


def pagefind_command(site_dir: Path) -> list[str]:
    """Return the command line that indexes `site_dir`."""
    from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]

    try:
        executable = get_executable()
    except FileNotFoundError as error:
        raise BuildError(
            f"Pagefind is not installed: {error}; run `make site` to install the pinned packages"
        ) from None
    command = [str(executable), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR, "--quiet"]
    for selector in NOT_TEXT:
        command += ["--exclude-selectors", selector]
    return command


def index_site(site_dir: Path, command: list[str] | None = None) -> None:
    """Write the search index of the built site in `site_dir`; raise BuildError with Pagefind's output if it fails."""
    command = command or pagefind_command(site_dir)
    # Pagefind also reads PAGEFIND_* variables, which the CLI clears so that the command line alone decides.
    try:
        finished = subprocess.run(command, cwd=site_dir, capture_output=True, text=True, errors="replace", check=False)
    except OSError as error:
        raise BuildError(f"could not run Pagefind ({command[0]}): {error.strerror or error}") from None
    if finished.returncode != 0:
        output = (finished.stderr + finished.stdout).strip().splitlines()[-QUOTED_LINES:]
        details = "\n".join(f"  {line}" for line in output) or "  (no output)"
        raise BuildError(f"Pagefind failed to index {site_dir} (exit status {finished.returncode}):\n{details}")
    if not (site_dir / BUNDLE_DIR / "pagefind-ui.js").is_file():
        raise BuildError(f"Pagefind wrote no search bundle into {site_dir / BUNDLE_DIR}")
    verify_bundle(site_dir)


def verify_bundle(site_dir: Path) -> None:
    """Raise BuildError unless the search bundle in `site_dir` is whole: all files, each readable, every page in.

    Pagefind can exit 0 after failing to write (a full disk), leaving empty files that would take
    the search box off every page.
    """
    bundle = site_dir / BUNDLE_DIR
    advice = "the search index is broken; free disk space or fix the cause, then build again"
    for name in UI_FILES:
        if not (bundle / name).is_file() or (bundle / name).stat().st_size == 0:
            raise BuildError(f"Pagefind left {bundle / name} missing or empty; {advice}")
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = entry["languages"]
        indexed = sum(int(language["page_count"]) for language in languages.values())
        needed = [f"pagefind.{language['hash']}.pf_meta" for language in languages.values()]
        needed += [f"wasm.{language['wasm']}.pagefind" for language in languages.values()]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BuildError(f"Pagefind wrote an unreadable {bundle / 'pagefind-entry.json'} ({error}); {advice}") from None
    for name in needed:
        if not (bundle / name).is_file() or (bundle / name).stat().st_size == 0:
            raise BuildError(f"Pagefind left {bundle / name} missing or empty; {advice}")
    for path in sorted(bundle.rglob("*.pf_*")):
        try:
            readable = gzip.decompress(path.read_bytes()).startswith(INDEX_MAGIC)
        except (OSError, EOFError, zlib.error):
            readable = False
        if not readable:
            raise BuildError(f"Pagefind wrote an unreadable index file {path}; {advice}")
    pages = _pages_marked_for_search(site_dir)
    if pages and indexed != pages:
        raise BuildError(f"Pagefind indexed {indexed} pages of the {pages} built for search in {site_dir}; {advice}")


def _pages_marked_for_search(site_dir: Path) -> int:
    """Count the built pages whose content is marked for the search index."""
    return sum(1 for page in site_dir.rglob("*.html") if BODY_MARK in page.read_bytes())
