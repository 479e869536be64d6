"""Benchmark the build on synthetic datasets of several sizes and compare the figures with the targets.

    python -m benchmarks.run --sizes 100 1000 10000 --out benchmarks/out

For each size, in a temporary folder: write the dataset; generate once with each stage timed;
generate again with nothing changed; build the generated docs with MkDocs alone; run the full
`build_site`; measure the built site; and, at the sizes in --serve-sizes, the time from an edit
of a record to the served page showing it under `atlas serve`. Every measured step runs in a
fresh process (see benchmarks/steps.py), so its peak memory is its own. Ratios are taken
between figures of the same run: compare runs on different machines by their ratios only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .steps import SEARCH_QUERY, STAGES
from .synthetic import AS_OF, write_dataset

REPO = Path(__file__).resolve().parent.parent
MB = 1_000_000
MEMORY_METHOD = "peak resident set size (ru_maxrss) of the step's own process, read with os.wait4 when it ends"

# The targets of the "Scale" issue.
GENERATION_RATE = 2_000  # records per second, at N = 10,000
SCALING = 12  # the 10,000 run takes at most 12 times the 1,000 run
REGENERATION_SHARE = 0.10  # a no-change regeneration takes at most a tenth of the first
BUILD_OVERHEAD = 1.15  # the full build takes at most 1.15 times a bare MkDocs build
PAGE_GROWTH = 1.2  # the largest page at 10,000 is at most 1.2 times the largest at 100
MEMORY_LIMIT_MB = 1_000  # peak memory below 1 GB
SERVE_SECONDS = 3.0  # from saving an edit to the served page showing it
SEARCH_TRANSFER = 250_000  # bytes a browser fetches for the first search result, at N = 10,000
# What a run copies and measures: the generator, the harness, and the site's configuration and content.
SNAPSHOT_FOLDERS = ("generator", "benchmarks", "site_config", "content", "releases")
SNAPSHOT_FILES = ("mkdocs.yml",)
# The `title:` line of a record, with the lines of a folded title after it.
TITLE_LINES = r"^title:.*\n(?:  .*\n)*"


class StepFailed(RuntimeError):
    """A measured step exited with an error or ran out of time."""


@dataclass
class Options:
    seed: int
    today: dt.date
    repeat: int
    step_timeout: float
    serve_timeout: float
    keep: bool
    code: Path = REPO  # the copy of the project whose code is measured (see snapshot_code)


def snapshot_code(into: Path) -> str:
    """Copy the code and configuration to measure into `into`; return a digest of the copy.

    Other people edit the project while a long run goes on: every step measures this one copy,
    so all sizes in a run measure the same code, and the digest tells runs of different code apart.
    """
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "out")
    for name in SNAPSHOT_FOLDERS:
        shutil.copytree(REPO / name, into / name, ignore=ignore)
    for name in SNAPSHOT_FILES:
        shutil.copy2(REPO / name, into / name)
    digest = hashlib.sha256()
    for path in sorted(p for p in into.rglob("*") if p.is_file()):
        digest.update(path.relative_to(into).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def run_step(step: str, work: Path, options: Options, **arguments: str | Path) -> dict[str, Any]:
    """Run one step of benchmarks.steps in a fresh process; return its figures and its peak memory."""
    timeout = options.step_timeout
    result_file = work / f"{step}.json"
    log_file = work / f"{step}.log"
    command = [sys.executable, "-m", "benchmarks.steps", step, "--result", str(result_file)]
    for name, value in arguments.items():
        command += [f"--{name}", str(value)]
    with log_file.open("wb") as log:
        # Run from the snapshot: `python -m` puts it first on sys.path, ahead of the editable install.
        process = subprocess.Popen(command, cwd=options.code, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                raise StepFailed(f"step '{step}' took more than {timeout:.0f} s; its log is {log_file}")
            time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log_file.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise StepFailed(f"step '{step}' failed with exit code {process.returncode}:\n{tail}")
    result: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    result["peak_mb"] = usage.ru_maxrss * 1024 / MB
    return result


def fastest(
    step: str, work: Path, options: Options, fresh: list[Path] | None = None, **arguments: str | Path
) -> dict[str, Any]:
    """Run a step `options.repeat` times and keep the fastest run, with the highest peak memory seen."""
    runs = []
    for _ in range(options.repeat):
        for folder in fresh or []:
            if folder.is_file():
                folder.unlink()
            else:
                shutil.rmtree(folder, ignore_errors=True)
        runs.append(run_step(step, work, options, **arguments))
    best = min(runs, key=lambda r: r["seconds"])
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    best["runs"] = [r["seconds"] for r in runs]
    return best


def measure_size(n: int, options: Options, serve: bool) -> dict[str, Any]:
    """Write a dataset of about `n` records and measure every step on it."""
    work = Path(tempfile.mkdtemp(prefix=f"atlas-bench-{n}-"))
    try:
        data, docs, docs_full = work / "data", work / "docs", work / "docs-full"
        started = time.perf_counter()
        counts = write_dataset(data, n, options.seed)
        dataset_seconds = time.perf_counter() - started
        today = options.today.isoformat()
        log(f"N={n}: dataset written ({sum(counts.values())} records, {dataset_seconds:.1f} s); generating")
        first = fastest("stages", work, options, fresh=[docs], data=data, docs=docs, today=today)
        log(f"N={n}: first generation {first['seconds']:.2f} s; generating again, with no stamp")
        # The stage-by-stage run leaves no stamp of its inputs: this run checks and renders everything,
        # finds every file unchanged, and leaves the stamp a second run uses to skip the work.
        stamp = docs.parent / f".{docs.name}.stamp.json"
        unstamped = fastest("generate", work, options, fresh=[stamp], data=data, docs=docs, today=today)
        log(f"N={n}: regeneration with no stamp {unstamped['seconds']:.2f} s; generating again")
        again = fastest("generate", work, options, data=data, docs=docs, today=today)
        log(f"N={n}: no-change generation {again['seconds']:.2f} s; bare MkDocs build")
        bare = fastest("mkdocs", work, options, fresh=[work / "site-bare"], docs=docs, site=work / "site-bare")
        log(f"N={n}: bare MkDocs {bare['seconds']:.2f} s; full build")
        full = fastest(
            "build",
            work,
            options,
            fresh=[docs_full, work / "site"],
            data=data,
            docs=docs_full,
            site=work / "site",
            today=today,
        )
        log(f"N={n}: full build {full['seconds']:.2f} s")
        site = measure_site(work / "site", work / "site-bare", work, options)
        served = None
        if serve:
            log(f"N={n}: atlas serve edit latency")
            served = measure_serve(work, data, options)
        records = first["records"]
        return {
            "n": n,
            "records": records,
            "counts": counts,
            "dataset_seconds": dataset_seconds,
            "stages": {
                stage: {"seconds": first["stages"][stage], "records_per_second": _rate(records, first["stages"][stage])}
                for stage in STAGES
            },
            "generation": {
                "seconds": first["seconds"],
                "records_per_second": _rate(records, first["seconds"]),
                "pages": first["pages"],
                "files": first["files"],
                "written": first["written"],
                "runs": first["runs"],
            },
            "regeneration": {
                "seconds": again["seconds"],
                "written": again["written"],
                "unchanged": again["unchanged"],
                "removed": again["removed"],
                "written_examples": again["written_paths"],
                "share_of_first": again["seconds"] / first["seconds"],
                "runs": again["runs"],
                "unstamped_seconds": unstamped["seconds"],
                "unstamped_written": unstamped["written"],
            },
            "build": {
                "full_seconds": full["seconds"],
                "mkdocs_seconds": bare["seconds"],
                "ratio": full["seconds"] / bare["seconds"],
                "full_runs": full["runs"],
                "mkdocs_runs": bare["runs"],
            },
            "memory": {
                "generator_peak_mb": first["peak_mb"],
                "no_change_generator_peak_mb": again["peak_mb"],
                "mkdocs_peak_mb": bare["peak_mb"],
                "build_peak_mb": full["peak_mb"],
            },
            "site": site,
            "serve": served,
        }
    finally:
        if options.keep:
            log(f"N={n}: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def measure_real(options: Options) -> dict[str, Any]:
    """The importer on the whole USGS release, and the project's own data built, beside bare MkDocs on its pages."""
    with tempfile.TemporaryDirectory(prefix="atlas-bench-real-") as folder:
        work = Path(folder)
        log("real data: importing the USGS MCS 2026 release")
        imported = fastest("import", work, options, fresh=[work / "imported"], data=work / "imported")
        data = REPO / "data"
        log("real data: full build")
        built = fastest(
            "build",
            work,
            options,
            fresh=[work / "docs", work / "site"],
            data=data,
            docs=work / "docs",
            site=work / "site",
        )
        log("real data: bare MkDocs on the same pages")
        bare = fastest("mkdocs", work, options, fresh=[work / "bare"], docs=work / "docs", site=work / "bare")
    return {
        "import_seconds": imported["seconds"],
        "import_figures": imported["figures"],
        "build_seconds": built["seconds"],
        "mkdocs_seconds": bare["seconds"],
        "records": sum(1 for _ in data.rglob("*.yaml")),
    }


def real_data_table(real: dict[str, Any]) -> str:
    """The real-data figures as a small Markdown table."""
    ratio = real["build_seconds"] / real["mkdocs_seconds"]
    return (
        "\n## The project's own data\n\n"
        "| Figure | Value | Target | Met |\n|---|---|---|---|\n"
        f"| Import of the USGS MCS 2026 release ({real['import_figures']:,} figures) | {real['import_seconds']:.2f} s "
        f"| < 2 s | {'yes' if real['import_seconds'] < 2 else '**no**'} |\n"
        f"| Full build of the real data ({real['records']:,} records) | {real['build_seconds']:.2f} s |  |  |\n"
        f"| Bare MkDocs on the same pages | {real['mkdocs_seconds']:.2f} s |  |  |\n"
        f"| Full build ÷ bare MkDocs | {ratio:.2f}× |  |  |\n"
    )


def measure_site(site: Path, bare: Path, work: Path, options: Options) -> dict[str, Any]:
    """Measure the built site: the largest HTML page, the whole site, and what a first search result costs.

    Material's search (on the bare build) downloads its whole index before the first result: its
    size gzipped. Pagefind's is measured in Chromium, in a step of its own (`search_cost` in steps.py).
    """
    pages = sorted((path.stat().st_size, path.relative_to(site).as_posix()) for path in site.rglob("*.html"))
    total = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    index = (bare / "search" / "search_index.json").read_bytes()
    largest_bytes, largest = pages[-1]
    return {
        "html_pages": len(pages),
        "largest_page": largest,
        "largest_page_bytes": largest_bytes,
        "site_bytes": total,
        "search_index_bytes": len(index),
        "search_index_gzip_bytes": len(gzip.compress(index, compresslevel=6)),
        "pagefind": {k: v for k, v in run_step("search", work, options, site=site).items() if k != "peak_mb"},
    }


def measure_serve(work: Path, data: Path, options: Options) -> dict[str, Any]:
    """Start `atlas serve` on the dataset, edit one policy's title, and time until the served page shows it.

    The edit is made `options.repeat` times, each with a new title; the fastest counts.
    """
    # serve takes only --root: a project folder with the repository's configuration and the synthetic data.
    root = work / "serve-root"
    root.mkdir()
    shutil.copy(options.code / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("content", "site_config"):
        (root / name).symlink_to(options.code / name, target_is_directory=True)
    (root / "data").symlink_to(data, target_is_directory=True)
    record = sorted((data / "policies").glob("*.yaml"))[0]
    port = _free_port()
    url = f"http://127.0.0.1:{port}/policies/{record.stem}/"
    log_file = work / "serve.log"
    command = [sys.executable, "-m", "generator", "serve", "--today", options.today.isoformat()]
    command += ["--dev-addr", f"127.0.0.1:{port}", "--root", str(root)]
    with log_file.open("wb") as log_stream:
        server = subprocess.Popen(
            command, cwd=options.code, stdout=log_stream, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            started = time.monotonic()
            _wait_for(
                lambda: _fetch(url) is not None, server, options.serve_timeout, "the served page to respond", log_file
            )
            startup = time.monotonic() - started
            latencies = []
            for attempt in range(options.repeat):
                if attempt:
                    time.sleep(1)  # let the previous rebuild settle, so that each edit is timed on its own
                marker = f"benchmarkmarker{options.seed}x{port}x{attempt}"
                text = record.read_text(encoding="utf-8")
                edited, count = re.subn(TITLE_LINES, f'title: "Edited {marker}"\n', text, count=1, flags=re.M)
                if count != 1:
                    raise StepFailed(f"no title line to edit in {record}")
                edit_started = time.monotonic()
                record.write_text(edited, encoding="utf-8")
                shows_edit = functools.partial(_page_shows, url, marker)
                _wait_for(shows_edit, server, options.serve_timeout, "the edit to show", log_file)
                latencies.append(time.monotonic() - edit_started)
        finally:
            _stop(server)
    return {
        "edit_seconds": min(latencies),
        "edit_runs": latencies,
        "startup_seconds": startup,
        "page": f"policies/{record.stem}/",
        "server_pid": server.pid,
    }


def _page_shows(url: str, text: str) -> bool:
    return text in (_fetch(url) or "")


def _wait_for(
    ready: Callable[[], bool], server: subprocess.Popen[bytes], timeout: float, what: str, log_file: Path
) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if server.poll() is not None:
            tail = log_file.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise StepFailed(f"atlas serve exited with code {server.returncode} while waiting for {what}:\n{tail}")
        if time.monotonic() > deadline:
            raise StepFailed(f"waited {timeout:.0f} s for {what}; the server log is {log_file}")
        time.sleep(0.05)


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _fetch(url: str) -> str | None:
    """Return the page at `url`, or None while the server does not answer."""
    try:
        with _NO_PROXY.open(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _stop(server: subprocess.Popen[bytes]) -> None:
    """End the server and everything it started: its whole process group."""
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        if server.poll() is not None:
            break
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    # Kill anything left in the group (the server is its leader, so the group id is its pid), and wait
    # until none of it runs: a killed process lingers until the kernel has taken it down.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while live_members(server.pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def live_members(group: int) -> list[int]:
    """The processes of process group `group` that still run (a zombie, dead and not yet reaped, does not).

    Read from /proc, since a signal to the group also reaches its zombies: a child whose parent the
    server was is reaped by whichever process adopts it, which may be never in a container.
    """
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # ended while the folder was read
        # pid (comm) state ppid pgrp ...: the name may hold spaces and parentheses, so split after the last ")".
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == group and fields[0] not in ("Z", "X"):
            members.append(int(stat.parent.name))
    return sorted(members)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _rate(records: int, seconds: float) -> float:
    return records / seconds if seconds > 0 else float("inf")


# Targets, the table and the files


def evaluate(results: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Compare the figures with the targets; `met` is None where the run lacks the sizes a target needs."""
    sizes = sorted(results)

    def every(values: list[tuple[int, float]], ok: Any) -> bool | None:
        return all(ok(v) for _, v in values) if values else None

    def at(n: int, *keys: str) -> float | None:
        if n not in results:
            return None
        value: Any = results[n]
        for key in keys:
            value = value[key]
        return float(value)

    rate = at(10_000, "generation", "records_per_second")
    t10k, t1k = at(10_000, "generation", "seconds"), at(1_000, "generation", "seconds")
    scaling = t10k / t1k if t10k and t1k else None
    p10k, p100 = at(10_000, "site", "largest_page_bytes"), at(100, "site", "largest_page_bytes")
    growth = p10k / p100 if p10k and p100 else None
    rewritten = [(n, float(results[n]["regeneration"]["written"])) for n in sizes]
    share = [(n, results[n]["regeneration"]["share_of_first"]) for n in sizes]
    overhead = [(n, results[n]["build"]["ratio"]) for n in sizes]
    memory = [(n, max(results[n]["memory"]["generator_peak_mb"], results[n]["memory"]["build_peak_mb"])) for n in sizes]
    serve = [(n, results[n]["serve"]["edit_seconds"]) for n in sizes if n == 1_000 and results[n].get("serve")]
    search = [(n, results[n]["site"]["pagefind"]["search_bytes"]) for n in sizes if n == 10_000]
    return [
        _target(
            "generation_rate",
            "Generation ≥ 2,000 records/s at N = 10,000",
            rate,
            None if rate is None else rate >= GENERATION_RATE,
        ),
        _target(
            "generation_scaling",
            "Generation at N = 10,000 ≤ 12 × N = 1,000",
            scaling,
            None if scaling is None else scaling <= SCALING,
        ),
        _target(
            "regeneration_rewrites",
            "No-change regeneration rewrites 0 files",
            rewritten,
            every(rewritten, lambda v: v == 0),
        ),
        _target(
            "regeneration_share",
            "No-change regeneration ≤ 1/10 of the first",
            share,
            every(share, lambda v: v <= REGENERATION_SHARE),
        ),
        _target(
            "build_overhead",
            "Full build ≤ 1.15 × bare MkDocs",
            overhead,
            every(overhead, lambda v: v <= BUILD_OVERHEAD),
        ),
        _target(
            "page_growth",
            "Largest page at N = 10,000 ≤ 1.2 × at N = 100",
            growth,
            None if growth is None else growth <= PAGE_GROWTH,
        ),
        _target(
            "peak_memory",
            "Peak memory < 1 GB (generator and full build)",
            memory,
            every(memory, lambda v: v < MEMORY_LIMIT_MB),
        ),
        _target(
            "serve_edit", "atlas serve: edit shown ≤ 3 s (N = 1,000)", serve, every(serve, lambda v: v <= SERVE_SECONDS)
        ),
        _target(
            "search_transfer",
            f"First search result under {SEARCH_TRANSFER // 1000} kB transferred (N = 10,000)",
            search,
            every(search, lambda v: v < SEARCH_TRANSFER),
        ),
    ]


def _target(key: str, description: str, value: Any, met: bool | None) -> dict[str, Any]:
    if isinstance(value, list):
        value = {str(n): v for n, v in value} or None
    return {"id": key, "description": description, "value": value, "met": met}


def table(results: dict[int, dict[str, Any]], targets: list[dict[str, Any]]) -> str:
    """Render every figure as one Markdown table: a row per figure, a column per size, then the target."""
    sizes = sorted(results)
    met = {t["id"]: t["met"] for t in targets}
    rows: list[tuple[str, list[str], str, str]] = []

    def row(label: str, cell: Any, target: str = "", key: str | None = None) -> None:
        verdict = "" if key is None else {True: "yes", False: "**no**", None: "not measured"}[met[key]]
        rows.append((label, [cell(results[n]) for n in sizes], target, verdict))

    row(
        "Records (minerals/policies/projects/sources/events)",
        lambda r: f"{r['records']:,} ({'/'.join(str(v) for v in r['counts'].values())})",
    )
    row("Generated files (pages)", lambda r: f"{r['generation']['files']:,} ({r['generation']['pages']:,})")
    for stage in STAGES:
        row(f"Stage: {stage}", lambda r, s=stage: _seconds_and_rate(r["stages"][s]))
    row(
        "Generation, first (empty docs folder)",
        lambda r: _seconds_and_rate(r["generation"]),
        "≥ 2,000 rec/s at 10,000",
        "generation_rate",
    )
    row(
        "Generation time ÷ the size 10× smaller",
        lambda r: _ratio(
            r["generation"]["seconds"], results.get(r["n"] // 10, {}).get("generation", {}).get("seconds")
        ),
        "≤ 12× (10,000 vs 1,000)",
        "generation_scaling",
    )
    row(
        "No-change regeneration: files rewritten",
        lambda r: f"{r['regeneration']['written']:,}",
        "0",
        "regeneration_rewrites",
    )
    row(
        "No-change regeneration: time (share of first)",
        lambda r: f"{r['regeneration']['seconds']:.2f} s ({r['regeneration']['share_of_first']:.2f})",
        "≤ 0.10",
        "regeneration_share",
    )
    row(
        "Regeneration with no stamp (all checked, files compared)",
        lambda r: (
            f"{r['regeneration']['unstamped_seconds']:.2f} s, {r['regeneration']['unstamped_written']:,} rewritten"
        ),
    )
    row("Bare MkDocs build", lambda r: f"{r['build']['mkdocs_seconds']:.2f} s")
    row("Full build (build_site)", lambda r: f"{r['build']['full_seconds']:.2f} s")
    row("Full build ÷ bare MkDocs", lambda r: f"{r['build']['ratio']:.2f}×", "≤ 1.15×", "build_overhead")
    row("Peak memory: generator", lambda r: f"{r['memory']['generator_peak_mb']:.0f} MB")
    row("Peak memory: bare MkDocs", lambda r: f"{r['memory']['mkdocs_peak_mb']:.0f} MB")
    row("Peak memory: full build", lambda r: f"{r['memory']['build_peak_mb']:.0f} MB", "< 1,000 MB", "peak_memory")
    row(
        "Largest page (HTML)",
        lambda r: f"{r['site']['largest_page_bytes'] / 1000:,.0f} kB `{r['site']['largest_page']}`",
    )
    smallest = results[sizes[0]]["site"]["largest_page_bytes"]
    row(
        f"Largest page ÷ largest at N = {sizes[0]:,}",
        lambda r: f"{r['site']['largest_page_bytes'] / smallest:.1f}×",
        "≤ 1.2× (10,000 vs 100)",
        "page_growth",
    )
    row("Whole site (HTML pages)", lambda r: f"{r['site']['site_bytes'] / MB:,.1f} MB ({r['site']['html_pages']:,})")
    row(
        "Material's search index (the bare build): raw / gzip",
        lambda r: f"{r['site']['search_index_bytes'] / MB:,.2f} / {r['site']['search_index_gzip_bytes'] / MB:,.2f} MB",
    )
    row(
        f'First result for "{SEARCH_QUERY}": Material\'s search (its whole index, gzip)',
        lambda r: f"{r['site']['search_index_gzip_bytes'] / 1000:,.0f} kB",
    )
    row(
        f'First result for "{SEARCH_QUERY}": Pagefind (files fetched, gzip; + its UI)',
        lambda r: (
            f"{r['site']['pagefind']['search_bytes'] / 1000:,.0f} kB in {r['site']['pagefind']['files']} files"
            f" (+ UI {r['site']['pagefind']['ui_bytes'] / 1000:,.0f} kB)"
        ),
        "< 250 kB at 10,000",
        "search_transfer",
    )
    row("Pagefind's bundle on disk", lambda r: f"{r['site']['pagefind']['index_bytes_on_disk'] / MB:,.1f} MB")
    row(
        "atlas serve: edit → page updated",
        lambda r: (
            f"{r['serve']['edit_seconds']:.1f} s (start {r['serve']['startup_seconds']:.0f} s)"
            if r.get("serve")
            else "–"
        ),
        "≤ 3 s at 1,000",
        "serve_edit",
    )
    head = ["Figure", *(f"N = {n:,}" for n in sizes), "Target", "Met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, cells, target, verdict in rows:
        lines.append("| " + " | ".join([label, *cells, target, verdict]) + " |")
    return "\n".join(lines)


def _seconds_and_rate(figure: dict[str, float]) -> str:
    return f"{figure['seconds']:.2f} s · {figure['records_per_second']:,.0f} rec/s"


def _ratio(value: float, base: float | None) -> str:
    return f"{value / base:.1f}×" if base else "–"


def machine() -> dict[str, Any]:
    """Describe the machine and the code measured, so that runs can be told apart."""
    memory_kib = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "memory_total_kib": memory_kib,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "load_average_start": os.getloadavg()[0],
    }


def report(
    results: dict[int, dict[str, Any]], info: dict[str, Any], options: Options, baseline_mb: float
) -> tuple[str, dict[str, Any]]:
    """Return the Markdown report and the same figures as a JSON-ready document."""
    targets = evaluate(results)
    memory = f"{info['memory_total_kib'] / 1024 / 1024:.1f} GiB" if info["memory_total_kib"] else "unknown memory"
    markdown = "\n".join(
        [
            "# Benchmark results",
            "",
            f"{info['date']} · commit {info['commit'] or 'unknown'}, code digest {info['code_digest']} · "
            f"{info['cpu_count']} CPUs · {memory} · Python {info['python']} · load average "
            f"{info['load_average_start']:.1f} at the start, {info['load_average_end']:.1f} at the end · "
            f"seed {options.seed} · as of {options.today.isoformat()} · fastest of {options.repeat} run(s) per step",
            "",
            table(results, targets),
            "",
            f"Peak memory is the {MEMORY_METHOD}; importing the generator and MkDocs alone takes "
            f"{baseline_mb:.0f} MB. Compare runs by their ratios: absolute seconds depend on the machine.",
            "",
        ]
    )
    document = {
        **info,
        "seed": options.seed,
        "today": options.today.isoformat(),
        "repeat": options.repeat,
        "sizes": sorted(results),
        "memory_method": MEMORY_METHOD,
        "baseline_peak_mb": baseline_mb,
        "results": {str(n): results[n] for n in sorted(results)},
        "targets": targets,
    }
    return markdown, document


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000], help="Dataset sizes (records).")
    parser.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "out", help="Folder for results.md and results.json."
    )
    parser.add_argument("--seed", type=int, default=0, help="Seed of the synthetic datasets.")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=AS_OF, help="As-of date (default: %(default)s).")
    parser.add_argument("--repeat", type=int, default=1, help="Run each step this many times and keep the fastest.")
    parser.add_argument(
        "--serve-sizes", type=int, nargs="*", default=[1000], help="Sizes at which to time atlas serve."
    )
    parser.add_argument("--no-serve", action="store_true", help="Do not time atlas serve.")
    parser.add_argument("--step-timeout", type=float, default=1800, help="Seconds any one step may take.")
    parser.add_argument(
        "--serve-timeout", type=float, default=600, help="Seconds to wait for the server, and for an edit."
    )
    parser.add_argument("--keep", action="store_true", help="Keep each size's temporary folder, and say where.")
    args = parser.parse_args(argv)
    if args.repeat < 1 or any(n < 1 for n in args.sizes):
        parser.error("--repeat and --sizes must be positive")
    info = machine()
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="atlas-bench-code-") as code:
        options = Options(
            args.seed, args.today, args.repeat, args.step_timeout, args.serve_timeout, args.keep, Path(code)
        )
        info["code_digest"] = snapshot_code(options.code)
        baseline_mb = run_step("baseline", options.code, options)["peak_mb"]
        for n in sorted(set(args.sizes)):
            results[n] = measure_size(n, options, serve=not args.no_serve and n in args.serve_sizes)
        real = measure_real(options)
    info["load_average_end"] = os.getloadavg()[0]
    markdown, document = report(results, info, options, baseline_mb)
    markdown += real_data_table(real)
    document["real_data"] = real
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(markdown, encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
