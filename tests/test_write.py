"""The write stage touches only files whose content changed, and never writes outside its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import generate
from generator.core.exceptions import BuildError
from generator.core.files import OutputFile
from generator.write import write_output

from .conftest import TODAY, VALID_TREE


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_unchanged_files_are_not_rewritten(tmp_path):
    out = tmp_path / "out"
    first = write_output([OutputFile("a.md", b"one"), OutputFile("sub/b.md", b"two")], out)
    assert first.written == ["a.md", "sub/b.md"]
    os.utime(out / "a.md", ns=(1, 1))
    second = write_output([OutputFile("a.md", b"one"), OutputFile("sub/b.md", b"changed")], out)
    assert (second.written, second.unchanged) == (["sub/b.md"], 1)
    assert (out / "a.md").stat().st_mtime_ns == 1


def test_files_no_longer_rendered_are_removed(tmp_path):
    out = tmp_path / "out"
    write_output([OutputFile("a.md", b"one"), OutputFile("old/b.md", b"two")], out)
    report = write_output([OutputFile("a.md", b"one")], out)
    assert report.removed == ["old/b.md"]
    assert sorted(p.name for p in out.iterdir()) == ["a.md"]


@pytest.mark.parametrize("path", ["../escape.md", "sub/../../escape.md", "/tmp/escape.md"])
def test_refuses_to_write_outside_its_folder(tmp_path, path):
    with pytest.raises(BuildError, match="outside"):
        write_output([OutputFile(path, b"x")], tmp_path / "out")
    assert not (tmp_path / "escape.md").exists()


def test_generation_is_deterministic_and_idempotent(data_tree):
    layout = data_tree()
    first = generate(layout, TODAY)
    assert first.report.written
    before = snapshot(layout.docs_dir)
    again = generate(layout, TODAY)
    assert (again.report.written, again.report.removed) == ([], [])
    assert snapshot(layout.docs_dir) == before


def test_build_never_modifies_data(data_tree):
    layout = data_tree()
    before = snapshot(layout.data_dir)
    generate(layout, TODAY)
    assert snapshot(layout.data_dir) == before


def test_an_edit_rewrites_only_the_pages_it_touches(data_tree):
    layout = data_tree()
    generate(layout, TODAY)
    changed = VALID_TREE["projects/mine.yaml"].replace("summary: A prospect.", "summary: A bigger prospect.")
    report = data_tree({"projects/mine.yaml": changed}) and generate(layout, TODAY).report
    assert "projects/mine.md" in report.written
    assert "policies/ban.md" not in report.written


def test_written_files_and_the_site_are_readable_by_others(tmp_path):
    import stat

    from generator.write import fresh_dir_beside

    previous = os.umask(0o022)
    try:
        write_output([OutputFile("a/b.md", b"x")], tmp_path / "out")
        folder = fresh_dir_beside(tmp_path / "site")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out" / "a" / "b.md").stat().st_mode) == 0o644
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_leftover_temporary_files_are_cleared(tmp_path):
    out = tmp_path / "out"
    write_output([OutputFile("a.md", b"one")], out)
    (out / ".a.md.tmp").write_bytes(b"half")
    write_output([OutputFile("a.md", b"one")], out)
    assert sorted(p.name for p in out.iterdir()) == ["a.md"]


def test_nothing_changed_skips_generation_and_keeps_the_warnings(data_tree):
    layout = data_tree({"sources/unused.yaml": VALID_TREE["sources/mofcom-ban.yaml"]})
    first = generate(layout, TODAY)
    again = generate(layout, TODAY)
    assert (first.skipped, again.skipped) == (False, True)
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings] != []


@pytest.mark.parametrize("change", ["edit-data", "other-day", "docs-tampered"])
def test_any_change_regenerates(data_tree, change):
    layout = data_tree()
    generate(layout, TODAY)
    day = TODAY
    if change == "edit-data":
        data_tree({"events/talks.yaml": VALID_TREE["events/talks.yaml"].replace("Two sides met.", "Both sides met.")})
    elif change == "other-day":
        day = TODAY.replace(day=25)
    else:
        (layout.docs_dir / "policies" / "ban.md").write_text("tampered", encoding="utf-8")
    again = generate(layout, day)
    assert not again.skipped
    assert (layout.docs_dir / "policies" / "ban.md").read_text(encoding="utf-8") != "tampered"


def _same_size_and_time(path: Path, old: str, new: str) -> None:
    """Change a file's text in place while keeping its size and modification time, as a careless copy can."""
    assert len(old) == len(new)
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)


def test_an_edit_that_keeps_size_and_time_is_published(data_tree):
    layout = data_tree()
    generate(layout, TODAY)
    _same_size_and_time(layout.data_dir / "events" / "talks.yaml", "Two sides met.", "Two sides mat.")
    again = generate(layout, TODAY)
    assert not again.skipped
    assert "Two sides mat" in (layout.docs_dir / "events" / "talks.md").read_text(encoding="utf-8")


def test_a_generated_page_tampered_with_in_place_is_rewritten(data_tree):
    layout = data_tree()
    generate(layout, TODAY)
    page = layout.docs_dir / "policies" / "ban.md"
    good = page.read_bytes()
    _same_size_and_time(page, "Ban", "Bax")
    again = generate(layout, TODAY)
    assert not again.skipped
    assert page.read_bytes() == good
