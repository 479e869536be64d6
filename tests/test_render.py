"""Rendering: indexes come in pages of bounded size, so no page grows with the number of records."""

from __future__ import annotations

import pytest

from generator.build import generate
from generator.render import PAGE_SIZE, Pager

from .conftest import TODAY, VALID_TREE


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
