"""Rendering: indexes come in pages of bounded size, so no page grows with the number of records."""

from __future__ import annotations

import re

import pytest

from generator.build import Layout, generate
from generator.render import PAGE_SIZE, Pager

from . import injection
from .conftest import REPO, TODAY, VALID_TREE, write_tree


@pytest.mark.parametrize(
    ("number", "count", "window"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, 3, None, 10]),
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (12, 12, [1, None, 10, 11, 12]),
    ],
)
def test_pager_window(number, count, window):
    assert Pager(number, ["x"] * count, count).window() == window


def test_indexes_are_split_into_pages(data_tree):
    extra = {
        f"sources/extra-{n:03d}.yaml": VALID_TREE["sources/mofcom-ban.yaml"].replace(
            "Announcement No. 1", f"Extra source {n}"
        )
        for n in range(2 * PAGE_SIZE + 5)
    }
    layout = data_tree(extra)
    generate(layout, TODAY)
    docs = layout.docs_dir
    pages = sorted(p.name for p in (docs / "sources").glob("*.md") if not p.name.startswith("extra"))
    assert [p for p in pages if p.startswith(("index", "page-"))] == ["index.md", "page-2.md", "page-3.md"]
    for name in ("index.md", "page-2.md", "page-3.md"):
        rows = [
            line
            for line in (docs / "sources" / name).read_text(encoding="utf-8").splitlines()
            if line.startswith("| <span")
        ]
        assert len(rows) <= PAGE_SIZE
    middle = (docs / "sources" / "page-2.md").read_text(encoding="utf-8")
    assert f"Page 2 of 3 ({2 * PAGE_SIZE + 5 + 3} in all): [1](index.md) **2** [3](page-3.md)" in middle
    assert (docs / "sources" / "extra-000.md").exists()


# Ordinary text an editor may write in any free-text field: paragraphs, list markers and a pipe.
CELL_TEXT = "First paragraph.\n\n- a list marker | a pipe\n\n1. a numbered line\n\n> a quote\n\nLast paragraph."
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def table_breaks(markdown: str, page: str) -> list[str]:
    """Every place where a Markdown table of `page` is cut: a row of another width, or a row's end on a loose line."""
    found = []
    columns = None
    for number, line in enumerate(markdown.splitlines(), 1):
        if line.startswith("|"):
            cells = len(_UNESCAPED_PIPE.split(line))
            if columns is None:
                columns = cells
            elif cells != columns:
                found.append(f"{page}:{number}: a row of {cells - 2} cells in a table of {columns - 2}")
        else:
            columns = None
            if _UNESCAPED_PIPE.search(line.rstrip()[-1:]):
                found.append(f"{page}:{number}: the end of a table row outside its table: {line[:60]!r}")
    return found


def test_text_with_paragraphs_lists_and_pipes_stays_in_its_table_cell_in_every_collection(tmp_path, monkeypatch):
    monkeypatch.setattr(injection, "PAYLOAD", CELL_TEXT)
    write_tree(tmp_path / "data", injection.hostile_tree())
    layout = Layout.at(REPO, data_dir=tmp_path / "data", site_dir=tmp_path / "site", docs_dir=tmp_path / "docs")
    generate(layout, TODAY)
    pages = sorted(layout.docs_dir.rglob("*.md"))
    tables = [p for p in pages if "\n|---" in p.read_text(encoding="utf-8")]
    assert len(tables) > 5
    broken = [b for p in pages for b in table_breaks(p.read_text(encoding="utf-8"), p.name)]
    assert broken == []
    policy = (layout.docs_dir / "policies" / f"{injection.RECORD_ID}.md").read_text(encoding="utf-8")
    assert "First paragraph\\.<br><br>\\- a list marker \\| a pipe<br><br>1\\. a numbered line" in policy


def test_the_table_check_finds_a_cut_row():
    cut = "| A | B |\n|---|---|\n| one | first\n\nsecond | two |\n"
    assert table_breaks(cut, "p.md") == [
        "p.md:3: a row of 1 cells in a table of 2",
        "p.md:5: the end of a table row outside its table: 'second | two |'",
    ]
