"""The output folders cannot overlap what they must not touch, and the write stage removes only what it wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.exceptions import BuildError
from generator.core.files import OutputFile
from generator.write import manifest_of, write_output

from .conftest import REPO, TODAY, VALID_TREE, write_tree


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of the project with the small valid data tree, a previous site and a .git folder."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    write_tree(root / "data", VALID_TREE)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<p>the previous site</p>\n")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


OVERLAPS = [
    # (options, the message's two folders and how they stand)
    (["--docs-dir", "data"], "the docs folder (--docs-dir) {root}/data is the data folder {root}/data"),
    (
        ["--docs-dir", "data/minerals"],
        "the docs folder (--docs-dir) {root}/data/minerals lies inside the data folder {root}/data",
    ),
    (["--docs-dir", "content"], "the docs folder (--docs-dir) {root}/content is the content folder {root}/content"),
    (
        ["--docs-dir", "site_config/templates"],
        "the docs folder (--docs-dir) {root}/site_config/templates lies inside the site configuration folder {root}/site_config",
    ),
    (["--docs-dir", "."], "the docs folder (--docs-dir) {root} is the project folder {root}"),
    (["--docs-dir", "site"], "the docs folder (--docs-dir) {root}/site is the site folder (--site-dir) {root}/site"),
    (
        ["--docs-dir", "site/docs"],
        "the docs folder (--docs-dir) {root}/site/docs lies inside the site folder (--site-dir) {root}/site",
    ),
    (
        ["--site-dir", "out", "--docs-dir", "out/docs"],
        "the docs folder (--docs-dir) {root}/out/docs lies inside the site folder (--site-dir) {root}/out",
    ),
    (
        ["--site-dir", "build/docs/site"],
        "the docs folder (--docs-dir) {root}/build/docs contains the site folder (--site-dir) {root}/build/docs/site",
    ),
    (["--site-dir", "."], "the site folder (--site-dir) {root} is the project folder {root}"),
    (["--site-dir", "data"], "the site folder (--site-dir) {root}/data is the data folder {root}/data"),
    (
        ["--site-dir", "data/sites"],
        "the site folder (--site-dir) {root}/data/sites lies inside the data folder {root}/data",
    ),
    (["--site-dir", "content"], "the site folder (--site-dir) {root}/content is the content folder {root}/content"),
    (["--site-dir", ".."], "the site folder (--site-dir) {parent} contains the project folder {root}"),
    (["--data", "site/data"], "the site folder (--site-dir) {root}/site contains the data folder {root}/site/data"),
]


@pytest.mark.parametrize(("options", "message"), OVERLAPS, ids=[" ".join(o) for o, _ in OVERLAPS])
def test_an_output_folder_over_what_it_must_not_touch_is_refused_before_any_work(
    project: Path, options: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    if options[0] == "--data":
        shutil.copytree(project / "data", project / "site" / "data")
    before = snapshot(project.parent)
    result = CliRunner().invoke(main, ["build", "--root", str(project), "--today", TODAY.isoformat(), *options])
    assert result.exit_code == 2, result.output
    expected = message.format(root=project, parent=project.parent)
    advice = (
        "inside the project, such as the default"
        if "project folder" in expected
        else "that neither holds nor lies inside it"
    )
    assert f"Error: {expected}; choose a folder {advice}" in result.output
    assert snapshot(project.parent) == before  # nothing written, nothing removed, no lock taken


def test_the_write_stage_leaves_files_it_did_not_write_and_says_which(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.yaml").write_text("an editor's file\n")
    with pytest.raises(BuildError) as raised:
        write_output([OutputFile("index.md", b"# Home\n")], out)
    assert raised.value.message == (
        f"{out} holds 1 file the build did not write (notes.yaml); "
        "the build replaces what it wrote only: move them elsewhere, or choose another --docs-dir"
    )
    assert (out / "notes.yaml").read_text() == "an editor's file\n"
    assert not (out / "index.md").exists()


def test_the_write_stage_removes_what_it_wrote_before_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    write_output([OutputFile("index.md", b"# Home\n"), OutputFile("old/page.md", b"# Old\n")], out)
    assert manifest_of(out).is_file()
    report = write_output([OutputFile("index.md", b"# Home\n")], out)
    assert report.removed == ["old/page.md"]
    assert snapshot(out) == {"index.md": b"# Home\n"}


@pytest.mark.parametrize("folder", ["generator", ".git"])
def test_a_site_folder_that_is_not_a_built_site_is_refused(project: Path, folder: str, monkeypatch) -> None:
    monkeypatch.chdir(project)
    (project / "generator").mkdir()
    (project / "generator" / "build.py").write_text("print('the code')\n")
    before = snapshot(project.parent)
    result = CliRunner().invoke(
        main, ["build", "--root", str(project), "--today", TODAY.isoformat(), "--site-dir", folder]
    )
    assert result.exit_code == 2, result.output
    assert (
        f"Error: the site folder (--site-dir) {project / folder} holds files but no index.html, so it is not a built "
        "site, and a build replaces its folder whole; choose a new or empty folder, or the one a build made"
    ) in result.output
    assert snapshot(project.parent) == before
