"""Payloads in every free-text field of every collection reach the Markdown and the feeds as text, never as markup."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml

from generator.build import Layout, check, generate
from generator.core import urls
from generator.core.exceptions import DataError
from generator.records.registry import COLLECTIONS

from .conftest import REPO, TODAY, write_tree
from .injection import EVALUATED, PAYLOAD, PAYLOADS, RECORD_ID, dump, free_text_paths, hostile_tree, record, url_paths

URL_HELP = "is not an http(s) URL; only addresses starting with https:// or http:// are allowed"
# Markup that would act if a payload were written out unescaped, anywhere in a page.
RAW_MARKUP = [
    re.compile(r"<script", re.IGNORECASE),
    re.compile(r"<img", re.IGNORECASE),
    re.compile(r"<svg onload", re.IGNORECASE),
    re.compile(r"<!--"),
    re.compile(r"<javascript:", re.IGNORECASE),
]
# Markdown that would make a link, outside the raw HTML blocks the generator writes (Markdown is not read inside them).
RAW_MARKDOWN = [
    re.compile(r"\]\(\s*javascript:", re.IGNORECASE),
    # A link reference definition: a line that starts with a label and a colon.
    re.compile(r"^\s*\[js\]:", re.MULTILINE),
]
ATOM = "{http://www.w3.org/2005/Atom}"


def hostile_layout(tmp: Path) -> Layout:
    write_tree(tmp / "data", dict(hostile_tree()))
    return Layout.at(REPO, data_dir=tmp / "data", site_dir=tmp / "site", docs_dir=tmp / "docs")


@pytest.fixture(scope="module")
def hostile_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    layout = hostile_layout(tmp_path_factory.mktemp("hostile-docs"))
    generate(layout, TODAY)
    return layout.docs_dir


def leaves(value: Any, path: tuple[Any, ...]) -> list[Any]:
    """The values at a path whose list steps are left out: ('clauses', 'summary') reads every clause's summary."""
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item, path)]
    if not path:
        return [value]
    return leaves(getattr(value, path[0]), path[1:])


def outside_html_blocks(markdown: str) -> str:
    """The lines of a page that are read as Markdown: a raw HTML block starts with a tag and ends at a blank line.

    That is CommonMark's rule; Python-Markdown's reads on to the closing tag, so a blank line that data slipped
    into a block would make the rest Markdown on some engine.
    """
    kept, in_block = [], False
    for line in markdown.splitlines():
        if not line.strip():
            in_block = False
        elif line.startswith("<"):
            in_block = True
        if not in_block:
            kept.append(line)
    return "\n".join(kept)


def test_the_hostile_records_are_valid_without_warnings(tmp_path):
    assert check(hostile_layout(tmp_path), TODAY).warnings == []


def test_every_free_text_field_of_every_collection_holds_the_payloads(tmp_path):
    dataset = check(hostile_layout(tmp_path), TODAY).dataset
    filled = 0
    for name, collection in COLLECTIONS.items():
        hostile = dataset.get(name)[RECORD_ID]
        for path in free_text_paths(collection.model):
            values = leaves(hostile, path)
            assert values and all(PAYLOAD in value for value in values), (name, path, values)
            filled += 1
    # The fields readers see most, as a check on the walk itself.
    assert ("summary",) in free_text_paths(COLLECTIONS["minerals"].model)
    assert ("operator", "name") in free_text_paths(COLLECTIONS["projects"].model)
    assert ("sections", "figures", "corrected", "note") in free_text_paths(COLLECTIONS["observations"].model)
    assert filled > 60


def test_markdown_holds_the_payloads_only_as_escaped_text(hostile_docs):
    pages = sorted(hostile_docs.rglob("*.md"))
    assert len(pages) > 15
    for page in pages:
        text = page.read_text(encoding="utf-8")
        # The front matter is YAML for the theme, which escapes what it prints: it must stay one mapping.
        if text.startswith("---\n"):
            front_matter, text = text[4:].split("\n---\n", 1)
            assert isinstance(yaml.safe_load(front_matter), dict), page.relative_to(hostile_docs)
        for raw in RAW_MARKUP:
            assert not raw.search(text), (page.relative_to(hostile_docs), raw.pattern)
        for raw in RAW_MARKDOWN:
            assert not raw.search(outside_html_blocks(text)), (page.relative_to(hostile_docs), raw.pattern)
        assert EVALUATED not in text, page.relative_to(hostile_docs)


@pytest.mark.parametrize("collection", ["minerals", "policies", "projects", "sources", "events"])
def test_template_syntax_in_data_is_printed_not_run(hostile_docs, collection):
    text = (hostile_docs / collection / f"{RECORD_ID}.md").read_text(encoding="utf-8")
    assert r"tpl:\{\{ 7\*7 \}\}" in text
    assert r"\{% raw %\}" in text


def test_feeds_are_well_formed_and_hold_the_payloads_as_plain_text(hostile_docs):
    feeds = sorted((hostile_docs / "feeds").rglob("*.xml"))
    assert {"atom.xml", f"{RECORD_ID}.xml"} <= {f.name for f in feeds}
    for feed in feeds:
        raw = feed.read_text(encoding="utf-8")
        assert "<script" not in raw.lower()
        root = ET.fromstring(raw)
        elements = list(root.iter())
        assert all(e.tag.startswith(ATOM) for e in elements), {e.tag for e in elements}
        # Atom text constructs are plain text unless marked html or xhtml, which a feed reader would render.
        assert all(e.get("type") in (None, "text") for e in elements if e.tag != ATOM + "link")
        titles = [e.text or "" for e in root.iter(ATOM + "title")]
        assert any(PAYLOADS["script"] in title for title in titles), titles


URL_FIELDS = [(name, path) for name, c in sorted(COLLECTIONS.items()) for path in url_paths(c.model)]
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "javascript://example.com/%0Aalert(1)",
    "&#x6a;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "//example.com/page",
    "https://example.com/ onmouseover=alert(1)",
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/<svg onload=alert(1)>",
    "https:alert(1)",
]


def test_the_url_fields_are_found():
    assert ("sources", ("url",)) in URL_FIELDS


@pytest.mark.parametrize("url", HOSTILE_URLS)
@pytest.mark.parametrize(("collection", "path"), URL_FIELDS, ids=[f"{c}.{'.'.join(p)}" for c, p in URL_FIELDS])
def test_a_url_field_refuses_anything_but_http(tmp_path, collection, path, url):
    values = record(COLLECTIONS[collection].model, RECORD_ID)
    holder, steps = values, []
    for part in path[:-1]:
        is_list = isinstance(holder[part], list)
        holder = holder[part][0] if is_list else holder[part]
        steps.append(f"{part}[0]" if is_list else part)
    holder[path[-1]] = url
    tree = dict(hostile_tree())
    tree[f"{collection}/{RECORD_ID}.yaml"] = text = dump(values)
    write_tree(tmp_path / "data", tree)
    layout = Layout.at(REPO, data_dir=tmp_path / "data", site_dir=tmp_path / "site", docs_dir=tmp_path / "docs")
    # Where the value stands: the line of the dumped file that holds it, after its key (the header is line 1).
    written = yaml.safe_dump(url, width=1_000_000).removesuffix("\n...\n").strip()
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.lstrip(" -").startswith(f"{path[-1]}: {written}"))
    column = lines[index].index(f"{path[-1]}: ") + len(f"{path[-1]}: ") + 1
    with pytest.raises(DataError) as raised:
        check(layout, TODAY)
    field = ".".join([*steps, path[-1]])
    assert [str(p) for p in raised.value.problems] == [
        f"data/{collection}/{RECORD_ID}.yaml:{index + 2}:{column}: {field}: '{url}' {URL_HELP}"
    ]


def test_a_measure_calendar_names_it_on_one_line(hostile_docs):
    calendar = icalendar.Calendar.from_ical((hostile_docs / urls.policy_calendar(RECORD_ID)).read_bytes())
    name = str(calendar["x-wr-calname"])
    assert PAYLOADS["script"] in name
    assert "\n" not in name
