"""Search: index a built site with Pagefind, which writes its index and search UI into the site's pagefind/ folder.

The pages say what is indexed: a record page wraps its content in `data-pagefind-body` and names
its result title and filters (see `site_config/templates/_search.md.j2`); pages without it, such
as the index pages, stay out of the results. The browser fetches only the parts of the index a
query needs, so the first result costs the same whatever the number of records.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .exceptions import BuildError

# The folder, inside the site, that Pagefind writes and the search UI loads from.
BUNDLE_DIR = "pagefind"
# What is on the page but not part of its text: heading permalinks (¶) and footnote marks.
NOT_TEXT = ("a.headerlink", "a.footnote-ref")
# Lines of Pagefind's own output quoted when it fails.
QUOTED_LINES = 12


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
