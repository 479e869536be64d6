"""One measured step of the benchmark, run by `benchmarks.run` in a fresh process: its time and memory are its own.

    python -m benchmarks.steps STEP --data DATA --docs DOCS [--site SITE] --result RESULT.json

Steps:
  stages    generate into an empty docs folder, timing each stage the way `generator.build.generate` runs them
  generate  call `generator.build.generate` once (run after `stages`: nothing has changed)
  mkdocs    a bare MkDocs build of the docs folder, with the project's mkdocs.yml in strict mode and
            Material's own search plugin, whose index the benchmark sets beside Pagefind's
  build     call `generator.build.build_site`: generation into an empty docs folder, MkDocs, then Pagefind
  search    what a browser fetches for the first result of a search in the built site (Chromium)
  baseline  import the generator and MkDocs and do nothing, for the memory every step starts from

Times are wall-clock seconds from `time.perf_counter`, taken after the imports. The parent
process reads the peak memory of the step from the kernel (`os.wait4`); the step also records
its own `ru_maxrss` as a cross-check. Profile the generation with, for example:

    python -m cProfile -s cumtime -m benchmarks.steps generate --data DATA --docs /tmp/docs --result /tmp/r.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import resource
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from generator.build import Layout, build_site, generate, theme_extra
from generator.core.progress import Progress
from generator.records.registry import mkdocs_nav
from generator.tools.importer import import_usgs_mcs

REPO = Path(__file__).resolve().parent.parent
STAGES = ("load", "validate", "derive", "render", "export", "write")


class _StageTimes(Progress):
    """Record how long each stage of the generator's own pipeline took."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: dict[str, float] = {}
        self.done: dict[str, int] = {}

    def end(self, name: str, done: int, seconds: float) -> None:
        self.seconds[name] = seconds
        self.done[name] = done


def stages(layout: Layout, today: dt.date) -> dict[str, Any]:
    """Generate once into an empty docs folder, timing load, validate, derive, render, export and write."""
    times = _StageTimes()
    started = time.perf_counter()
    generated = generate(layout, today, strict=True, progress=times)
    report = generated.report
    return {
        "seconds": time.perf_counter() - started,
        "stages": {stage: times.seconds[stage] for stage in STAGES},
        "records": times.done["validate"],
        "pages": sum(1 for path in report.written if path.endswith(".md")),
        "files": len(report.written) + report.unchanged,
        "written": len(report.written),
        "unchanged": report.unchanged,
        "removed": len(report.removed),
    }


def generate_once(layout: Layout, today: dt.date) -> dict[str, Any]:
    """Call the generator's own `generate` and report what it rewrote."""
    started = time.perf_counter()
    generated = generate(layout, today, strict=True)
    report = generated.report
    return {
        "seconds": time.perf_counter() - started,
        "written": len(report.written),
        "unchanged": report.unchanged,
        "removed": len(report.removed),
        "written_paths": report.written[:20],
    }


# Material's own search, as the site had it before Pagefind: the bare build runs it, so that its index
# can be set beside Pagefind's (its separator keeps "No. 46" findable; the pipeline keeps stop words).
MATERIAL_SEARCH = {"separator": r'[\s\-,:!=\[\]()"/]+|(?!\b)(?=[A-Z][a-z])|\.(?!\d)|&[lg]t;', "pipeline": ["trimmer"]}


def bare_mkdocs(layout: Layout) -> dict[str, Any]:
    """Build the docs folder with MkDocs alone, as `run_mkdocs` does, with Material's search plugin; no generator."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started = time.perf_counter()
    config = load_config(
        config_file=str(layout.config_file),
        strict=True,
        site_dir=str(layout.site_dir),
        docs_dir=str(layout.docs_dir),
        plugins=[{"search": MATERIAL_SEARCH}],
        nav=mkdocs_nav(),
    )
    config.extra.update(theme_extra())
    build(config)
    return {"seconds": time.perf_counter() - started}


def full_build(layout: Layout, today: dt.date) -> dict[str, Any]:
    """Call `build_site`, as `atlas build --strict` does."""
    # Import MkDocs first, as `bare_mkdocs` does, so that neither figure counts the imports.
    import mkdocs.commands.build
    import mkdocs.config  # noqa: F401

    started = time.perf_counter()
    generated = build_site(layout, today, strict=True)
    return {"seconds": time.perf_counter() - started, "written": len(generated.report.written)}


# The query whose first result the benchmark prices.
SEARCH_QUERY = "antimony"
# Pagefind's own UI, fetched once with the page whatever the query; the rest is the search itself.
PAGEFIND_UI = ("pagefind-ui.js", "pagefind-ui.css")


def search_cost(site: Path, query: str = SEARCH_QUERY) -> dict[str, Any]:
    """Type `query` into the header search in Chromium and add up what the browser fetched from pagefind/.

    The site is served without compression, as a static host may; each file counts as it would travel
    gzipped: Pagefind's index, fragment and wasm files are gzipped already and count as they are, its
    JavaScript, CSS and JSON count gzipped. Counted when the first result is on screen.
    """
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fetched: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                headless=True,
            )
            page = browser.new_page()
            page.on("response", lambda response: fetched.append(response.url))
            page.goto(f"{url}/")
            page.wait_for_selector("#atlas-search .pagefind-ui__search-input", timeout=60_000)
            page.keyboard.press("/")
            page.keyboard.type(query)
            page.wait_for_selector(".pagefind-ui__result-link", timeout=120_000)
            first = page.eval_on_selector(".pagefind-ui__result-link", "e => e.getAttribute('href')")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    files = sorted({u.split("/pagefind/", 1)[1].split("?")[0] for u in fetched if "/pagefind/" in u})
    sizes = {name: _transfer_bytes(site / "pagefind" / name) for name in files}
    search = {name: size for name, size in sizes.items() if name not in PAGEFIND_UI}
    return {
        "query": query,
        "first_result": first,
        "files": len(search),
        "search_bytes": sum(search.values()),
        "ui_bytes": sum(size for name, size in sizes.items() if name in PAGEFIND_UI),
        "by_kind": _by_kind(search),
        "index_bytes_on_disk": sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()),
    }


def _transfer_bytes(path: Path) -> int:
    content = path.read_bytes()
    return len(content) if content[:2] == b"\x1f\x8b" else len(gzip.compress(content, compresslevel=6))


def _by_kind(sizes: dict[str, int]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for name, size in sizes.items():
        # Index chunks, fragments and filters by folder; the hashed metadata and wasm files by what they are.
        if "/" in name:
            kind = name.split("/")[0]
        elif name.endswith(".pf_meta"):
            kind = "meta"
        elif name.startswith("wasm."):
            kind = "wasm"
        else:
            kind = name
        kinds[kind] = kinds.get(kind, 0) + size
    return dict(sorted(kinds.items()))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def baseline() -> dict[str, Any]:
    """Import what every step imports, and stop."""
    import mkdocs.commands.build
    import mkdocs.config  # noqa: F401

    return {"seconds": 0.0}


def import_release(layout: Layout) -> dict[str, Any]:
    """Import the committed USGS MCS 2026 release into the data folder, as `atlas import usgs-mcs` does."""
    started = time.perf_counter()
    report = import_usgs_mcs(REPO / "releases" / "usgs-mcs-2026" / "MCS2026_Commodities_Data.csv", layout.data_dir)
    return {"seconds": time.perf_counter() - started, "figures": report.figures, "files": len(report.added)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.steps", description="Run one measured benchmark step.")
    parser.add_argument("step", choices=["stages", "generate", "mkdocs", "build", "search", "baseline", "import"])
    parser.add_argument("--data", type=Path, help="Data folder.")
    parser.add_argument("--docs", type=Path, help="Docs folder the generator writes (and MkDocs reads).")
    parser.add_argument("--site", type=Path, help="Site folder MkDocs writes.")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 24))
    parser.add_argument("--result", type=Path, required=True, help="Where to write the step's figures as JSON.")
    args = parser.parse_args(argv)
    # Without these the layout would fall back to the project's own build/docs and site/: never touch them.
    needed = {
        "stages": ("data", "docs"),
        "generate": ("data", "docs"),
        "mkdocs": ("docs", "site"),
        "build": ("data", "docs", "site"),
        "import": ("data",),
        "search": ("site",),
    }
    missing = [f"--{name}" for name in needed.get(args.step, ()) if getattr(args, name) is None]
    if missing:
        parser.error(f"{args.step} needs {' '.join(missing)}")
    layout = Layout.at(REPO, data_dir=args.data, site_dir=args.site, docs_dir=args.docs)
    if args.step == "stages":
        result = stages(layout, args.today)
    elif args.step == "generate":
        result = generate_once(layout, args.today)
    elif args.step == "mkdocs":
        result = bare_mkdocs(layout)
    elif args.step == "build":
        result = full_build(layout, args.today)
    elif args.step == "import":
        result = import_release(layout)
    elif args.step == "search":
        result = search_cost(args.site)
    else:
        result = baseline()
    result["self_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    args.result.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
