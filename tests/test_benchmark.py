"""The benchmark harness: its synthetic data validates strictly, and a small run reports every figure.

No timing is asserted: the suite runs on slow shared machines. What is asserted holds on any machine.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.run import Options, live_members, main, measure_serve
from benchmarks.synthetic import write_dataset
from generator.build import Layout, check

from .conftest import REPO, TODAY

STAGES = ["load", "validate", "derive", "render", "export", "write"]
TOP_KEYS = {
    "date",
    "cpu_count",
    "memory_total_kib",
    "python",
    "platform",
    "commit",
    "code_digest",
    "load_average_start",
    "load_average_end",
    "seed",
    "today",
    "repeat",
    "sizes",
    "memory_method",
    "baseline_peak_mb",
    "results",
    "targets",
}
SIZE_KEYS = {
    "n",
    "records",
    "counts",
    "dataset_seconds",
    "stages",
    "generation",
    "regeneration",
    "build",
    "memory",
    "site",
    "serve",
}
TARGETS = [
    "generation_rate",
    "generation_scaling",
    "regeneration_rewrites",
    "regeneration_share",
    "build_overhead",
    "page_growth",
    "peak_memory",
    "serve_edit",
    "search_transfer",
]


@pytest.mark.parametrize("n", [100, 1000], ids=["100", "1000"])
def test_synthetic_data_passes_strict_validation(tmp_path: Path, n: int) -> None:
    counts = write_dataset(tmp_path / "data", n)

    checked = check(Layout.at(REPO, data_dir=tmp_path / "data"), TODAY, strict=True)

    assert checked.warnings == []
    assert sum(counts.values()) == n
    assert {c: len(r) for c, r in checked.dataset.records.items() if r} == counts
    assert counts["sources"] == round(n * 0.35)


def test_synthetic_data_is_deterministic_and_shaped_like_the_real_records(tmp_path: Path) -> None:
    write_dataset(tmp_path / "a", 100, seed=7)
    write_dataset(tmp_path / "b", 100, seed=7)
    write_dataset(tmp_path / "c", 100, seed=8)

    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert files != sorted(p.relative_to(tmp_path / "c") for p in (tmp_path / "c").rglob("*.yaml"))
    for path in files:
        collection = path.parts[0]
        first_line = (tmp_path / "a" / path).read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"# yaml-language-server: $schema=../../site_config/schemas/{collection}.schema.json"
    policies = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "a" / "policies").glob("*.yaml"))
    assert "type: suspends" in policies
    assert "clauses:" in policies


def test_synthetic_data_refuses_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "keep.txt").write_text("x", encoding="utf-8")

    with pytest.raises(FileExistsError):
        write_dataset(tmp_path / "data", 100)


@pytest.mark.slow
def test_harness_reports_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"

    assert main(["--sizes", "100", "--out", str(out), "--no-serve"]) == 0

    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert set(document) >= TOP_KEYS
    assert document["sizes"] == [100]
    result = document["results"]["100"]
    assert set(result) >= SIZE_KEYS
    assert result["records"] == 100
    assert list(result["stages"]) == STAGES
    assert all(set(figure) == {"seconds", "records_per_second"} for figure in result["stages"].values())
    assert {"seconds", "records_per_second", "pages", "files", "written"} <= set(result["generation"])
    assert result["generation"]["written"] == result["generation"]["files"]
    # Nothing changed between the two generations: the stage-by-stage run wrote what `generate` writes.
    assert result["regeneration"]["written"] == 0
    assert result["regeneration"]["removed"] == 0
    assert {"full_seconds", "mkdocs_seconds", "ratio"} <= set(result["build"])
    assert {"generator_peak_mb", "build_peak_mb"} <= set(result["memory"])
    assert result["memory"]["build_peak_mb"] > 0
    site = result["site"]
    assert site["largest_page"].endswith(".html")
    assert 0 < site["search_index_gzip_bytes"] < site["search_index_bytes"] < site["site_bytes"]
    pagefind = site["pagefind"]
    assert pagefind["query"] == "antimony" and pagefind["first_result"] == "/minerals/antimony/"
    assert {"pagefind.js", "pagefind-entry.json", "fragment", "index"} <= set(pagefind["by_kind"])
    assert 0 < pagefind["search_bytes"] < pagefind["index_bytes_on_disk"]
    assert result["serve"] is None
    assert [t["id"] for t in document["targets"]] == TARGETS
    real = document["real_data"]
    # Timings are reported, whatever they are: no figure a loaded machine could miss.
    assert real["import_figures"] == 8886
    assert all(isinstance(real[name], float) for name in ("import_seconds", "build_seconds", "mkdocs_seconds"))
    markdown = (out / "results.md").read_text(encoding="utf-8")
    assert "| Figure | N = 100 | Target | Met |" in markdown
    assert "| Import of the USGS MCS 2026 release (8,886 figures) |" in markdown
    assert "| Full build ÷ bare MkDocs |" in markdown
    assert markdown in capsys.readouterr().out


@pytest.mark.slow
def test_serve_latency_is_measured_and_the_server_stopped(tmp_path: Path) -> None:
    write_dataset(tmp_path / "data", 30)
    options = Options(seed=0, today=TODAY, repeat=2, step_timeout=300, serve_timeout=120, keep=False, code=REPO)

    served = measure_serve(tmp_path, tmp_path / "data", options)

    assert len(served["edit_runs"]) == 2
    assert served["edit_seconds"] == min(served["edit_runs"])
    record = tmp_path / "data" / f"{served['page'].strip('/')}.yaml"
    assert "benchmarkmarker0x" in record.read_text(encoding="utf-8")
    assert live_members(served["server_pid"]) == []  # nothing is left running in the server's process group


def test_live_members_lists_a_running_group_and_not_its_zombie() -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    try:
        assert live_members(sleeper.pid) == [sleeper.pid]
        os.killpg(sleeper.pid, signal.SIGKILL)
        # Killed and not yet reaped: a zombie, which a signal to the group would still find.
        for _ in range(200):
            if Path(f"/proc/{sleeper.pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0] == "Z":
                break
            time.sleep(0.05)
        os.killpg(sleeper.pid, 0)
        assert live_members(sleeper.pid) == []
    finally:
        sleeper.kill()
        sleeper.wait()
