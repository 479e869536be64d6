"""`atlas serve` as an editor meets it: its address printed, an error shown in the page, no dirty-build noise."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ..conftest import REPO, VALID_TREE, write_tree


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what: str, seconds: float = 120.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8")
    except OSError:
        return None


def project_copy(root: Path) -> Path:
    """A project folder with the real configuration and templates and the small valid data tree."""
    for name in ("site_config", "content"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    write_tree(root / "data", VALID_TREE)
    return root


def test_serve_prints_its_address_and_shows_a_data_error_in_the_page(tmp_path, browser):
    root = project_copy(tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("ATLAS_SITE_URL", None)
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--today", "2026-11-25", "--root", str(root)]
            + ["--dev-addr", f"127.0.0.1:{port}"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        address = f"http://127.0.0.1:{port}/"
        wait_for(lambda: f"Serving the preview on {address}" in log.read_text(), "the address")
        wait_for(lambda: fetch(address), "the first page")
        page = browser.new_page()
        page.goto(f"{address}projects/mine/")
        assert page.locator("#atlas-preview-errors").count() == 0

        mine = root / "data/projects/mine.yaml"
        mine.write_text(mine.read_text().replace("stage: exploration", "stage: <b>digging</b>"))
        # Live reload brings the error into the open page.
        banner = page.locator("#atlas-preview-errors")
        banner.wait_for(timeout=60_000)
        text = banner.inner_text()
        assert "The data has errors; the preview shows the last valid version." in text
        assert "data/projects/mine.yaml:10:8: stage: '<b>digging</b>' is not one of" in text
        assert banner.locator("b").count() == 0  # shown as text, never as HTML

        mine.write_text(mine.read_text().replace("stage: <b>digging</b>", "stage: exploration"))
        banner.wait_for(state="detached", timeout=60_000)
        assert "A prospect" in page.inner_text("article")
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = log.read_text()
    assert "dirty" not in output
    assert "Traceback" not in output
