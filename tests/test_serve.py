"""The live preview regenerates on an edit and keeps the last valid pages when an edit is wrong."""

from __future__ import annotations

from generator.tools.serve import PREVIEW_SCRIPT, Regenerator

from .conftest import TODAY, VALID_TREE


def test_regenerates_after_an_edit(data_tree):
    layout = data_tree()
    regenerator = Regenerator(layout, TODAY)
    assert regenerator.run()
    data_tree({"projects/mine.yaml": VALID_TREE["projects/mine.yaml"].replace("A prospect.", "EDITED-MARK prospect.")})
    assert regenerator.run()
    assert "EDITED\\-MARK prospect" in (layout.docs_dir / "projects" / "mine.md").read_text(encoding="utf-8")


def test_invalid_edit_keeps_the_last_valid_pages(data_tree, caplog):
    layout = data_tree()
    regenerator = Regenerator(layout, TODAY)
    regenerator.run()
    before = (layout.docs_dir / "projects" / "mine.md").read_bytes()
    data_tree({"projects/mine.yaml": VALID_TREE["projects/mine.yaml"].replace("stage: exploration", "stage: digging")})
    assert not regenerator.run()
    assert (layout.docs_dir / "projects" / "mine.md").read_bytes() == before
    assert "data/projects/mine.yaml:10:8: stage: 'digging' is not one of" in caplog.text
    assert "The preview keeps showing the last valid version." in caplog.text


def test_the_preview_reparses_only_the_files_that_changed(data_tree):
    layout = data_tree()
    regenerator = Regenerator(layout, TODAY)
    regenerator.run()
    before = dict(regenerator.cache.entries)
    mine = layout.data_dir / "projects" / "mine.yaml"
    mine.write_text(mine.read_text(encoding="utf-8").replace("A prospect.", "Another prospect."), encoding="utf-8")
    regenerator.run()
    after = regenerator.cache.entries
    changed = sorted(k.split("/data/")[1] for k in after if after[k][1] is not before[k][1])
    assert changed == ["projects/mine.yaml"]


def test_a_data_error_reaches_the_browser_as_data_and_clears_when_fixed(data_tree):
    layout = data_tree()
    regenerator = Regenerator(layout, TODAY)
    script = layout.docs_dir / PREVIEW_SCRIPT
    assert regenerator.run()
    assert script.read_text().startswith("window.atlasPreviewErrors = [];\n")
    data_tree(
        {"projects/mine.yaml": VALID_TREE["projects/mine.yaml"].replace("stage: exploration", "stage: </script>")}
    )
    assert not regenerator.run()
    first_line = script.read_text().splitlines()[0]
    assert first_line.startswith(
        "window.atlasPreviewErrors = [\"data/projects/mine.yaml:10:8: stage: '\\u003c/script>'"
    )
    assert first_line.endswith('"Aborted with 1 data error."];')
    data_tree()
    assert regenerator.run()
    assert script.read_text().startswith("window.atlasPreviewErrors = [];\n")


def test_the_preview_is_indexed_for_search(tmp_path):
    """`atlas serve` runs Pagefind after MkDocs builds the preview, through hooks that mkdocs.yml does not name."""
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from .conftest import REPO, write_tree

    for name in ("site_config", "content"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    write_tree(tmp_path / "data", VALID_TREE)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "generator", "serve", "--root", str(tmp_path), "--today", "2026-11-24"]
    with subprocess.Popen(
        [*command, "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as server:
        try:
            entry = None
            deadline = time.monotonic() + 120
            while entry is None and time.monotonic() < deadline and server.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json") as response:
                        entry = response.read()
                except OSError:
                    time.sleep(0.5)
        finally:
            server.terminate()
            _, errors = server.communicate(timeout=30)
    assert entry is not None, errors.decode()
    assert b'"version":"1.5.2"' in entry
    assert "hooks:" not in (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
