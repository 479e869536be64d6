"""Search: Pagefind indexes the built site; a failure stops the build and leaves the previous site in place."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from generator import search
from generator.build import build_site
from generator.core.exceptions import BuildError
from generator.render.environment import html_line, pagefind_filter
from generator.search import index_site

from .html import search_records

FAILING = [sys.executable, "-c", "import sys; print('Error: no pages to index', file=sys.stderr); sys.exit(3)"]


def write_pages(site: Path, pages: dict[str, str]) -> Path:
    for relative, body in pages.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{body}</body></html>')
    return site


def test_pagefind_indexes_only_the_pages_that_mark_their_body(tmp_path):
    site = write_pages(
        tmp_path / "site",
        {
            "minerals/gallium/index.html": "<main data-pagefind-body><h1>Gallium</h1><p>A metal.</p></main>"
            '<span hidden data-pagefind-filter="collection">Minerals</span>',
            "minerals/index.html": "<main><h1>Minerals</h1><p>Gallium and more.</p></main>",
        },
    )
    index_site(site)
    records = search_records(site)
    assert list(records) == ["/minerals/gallium/"]
    assert records["/minerals/gallium/"]["filters"] == {"collection": ["Minerals"]}
    assert (site / "pagefind" / "pagefind-ui.js").is_file()


def test_a_failing_pagefind_is_reported_with_its_output(tmp_path):
    with pytest.raises(BuildError) as raised:
        index_site(tmp_path, FAILING)
    assert raised.value.message == f"Pagefind failed to index {tmp_path} (exit status 3):\n  Error: no pages to index"


def test_a_missing_pagefind_is_reported(tmp_path):
    with pytest.raises(BuildError) as raised:
        index_site(tmp_path, [str(tmp_path / "no-such-pagefind")])
    assert (
        raised.value.message == f"could not run Pagefind ({tmp_path / 'no-such-pagefind'}): No such file or directory"
    )


def test_a_failing_pagefind_stops_the_build_and_keeps_the_previous_site(data_tree, monkeypatch):
    layout = data_tree()
    layout.site_dir.mkdir(parents=True)
    (layout.site_dir / "index.html").write_text("the previous site", encoding="utf-8")
    monkeypatch.setattr(search, "pagefind_command", lambda site_dir: FAILING)
    with pytest.raises(BuildError) as raised:
        build_site(layout, dt.date(2026, 11, 24))
    assert re.fullmatch(
        rf"Pagefind failed to index {re.escape(str(layout.site_dir.parent))}/\.site\.\w+ \(exit status 3\):\n"
        rf"  Error: no pages to index\nThe site in {re.escape(str(layout.site_dir))} is left as it was\.",
        raised.value.message,
    )
    assert (layout.site_dir / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert sorted(p.name for p in layout.site_dir.parent.iterdir() if p.name.startswith(".site")) == []


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ('x" onmouseover="alert(1)', "x&quot; onmouseover=&quot;alert(1)"),
        ("x' onclick='y", "x&#x27; onclick=&#x27;y"),
        ("<script>a & b</script>", "&lt;script&gt;a &amp; b&lt;/script&gt;"),
        ("two\n  lines", "two lines"),
    ],
    ids=["double-quote", "single-quote", "markup", "whitespace"],
)
def test_html_escape_keeps_a_value_text_in_a_raw_html_block(value, escaped):
    assert html_line(value) == escaped


def test_pagefind_reads_a_title_and_a_filter_as_written(tmp_path):
    """The title comes out as the text; a filter value, which Pagefind decodes twice, as the text escaped for its UI."""
    value = "AT&amp;T <b>x</b> 'q' \"d\""
    body = f'<span data-pagefind-meta="title">{html_line(value)}</span>'
    body += f'<span data-pagefind-filter="name">{pagefind_filter(value)}</span>'
    site = write_pages(tmp_path / "site", {"a/index.html": f"<main data-pagefind-body><h1>A</h1>{body}</main>"})
    index_site(site)
    record = search_records(site)["/a/"]
    assert record["meta"]["title"] == value
    assert record["filters"] == {"name": ["AT&amp;amp;T &lt;b&gt;x&lt;/b&gt; &#x27;q&#x27; &quot;d&quot;"]}


# Pagefind that exits 0 after its writes failed, as on a full disk: every file of the bundle there but empty.
EMPTY_WRITER = [
    sys.executable,
    "-c",
    "import pathlib, sys; bundle = pathlib.Path(sys.argv[1]) / 'pagefind'; bundle.mkdir();"
    "[(bundle / name).write_bytes(b'') for name in ('pagefind-entry.json', 'pagefind.js', 'pagefind-ui.js',"
    " 'pagefind-ui.css', 'pagefind-worker.js')]",
]


def test_a_pagefind_that_writes_empty_files_and_exits_0_stops_the_build_and_keeps_the_previous_site(
    data_tree, monkeypatch
):
    layout = data_tree()
    layout.site_dir.mkdir(parents=True)
    (layout.site_dir / "index.html").write_text("the previous site", encoding="utf-8")
    monkeypatch.setattr(search, "pagefind_command", lambda site_dir: [*EMPTY_WRITER, str(site_dir)])
    with pytest.raises(BuildError) as raised:
        build_site(layout, dt.date(2026, 11, 24))
    assert re.fullmatch(
        rf"Pagefind left {re.escape(str(layout.site_dir.parent))}/\.site\.\w+/pagefind/pagefind-entry\.json missing "
        r"or empty; the search index is broken; free disk space or fix the cause, then build again\n"
        rf"The site in {re.escape(str(layout.site_dir))} is left as it was\.",
        raised.value.message,
    )
    assert (layout.site_dir / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert sorted(p.name for p in layout.site_dir.parent.iterdir() if p.name.startswith(".site")) == []


def _indexed_site(tmp_path: Path) -> Path:
    site = write_pages(
        tmp_path / "site",
        {
            "minerals/gallium/index.html": "<main data-pagefind-body><h1>Gallium</h1><p>A metal.</p></main>",
            "minerals/germanium/index.html": "<main data-pagefind-body><h1>Germanium</h1><p>A metal.</p></main>",
        },
    )
    index_site(site)
    search.verify_bundle(site)
    return site


def test_an_index_file_cut_short_is_refused(tmp_path):
    site = _indexed_site(tmp_path)
    fragment = sorted((site / "pagefind" / "fragment").iterdir())[0]
    fragment.write_bytes(fragment.read_bytes()[:10])
    with pytest.raises(BuildError) as raised:
        search.verify_bundle(site)
    assert raised.value.message == (
        f"Pagefind wrote an unreadable index file {fragment}; "
        "the search index is broken; free disk space or fix the cause, then build again"
    )


def test_an_index_missing_pages_is_refused(tmp_path):
    site = _indexed_site(tmp_path)
    write_pages(site, {"minerals/antimony/index.html": "<main data-pagefind-body><h1>Antimony</h1></main>"})
    with pytest.raises(BuildError) as raised:
        search.verify_bundle(site)
    assert raised.value.message == (
        f"Pagefind indexed 2 pages of the 3 built for search in {site}; "
        "the search index is broken; free disk space or fix the cause, then build again"
    )


def test_an_unreadable_entry_file_is_refused(tmp_path):
    site = _indexed_site(tmp_path)
    (site / "pagefind" / "pagefind-entry.json").write_text('{"version": "1.5.2", "langu', encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        search.verify_bundle(site)
    assert raised.value.message.startswith(
        f"Pagefind wrote an unreadable {site / 'pagefind' / 'pagefind-entry.json'} ("
    )
