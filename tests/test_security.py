"""Nothing an editor writes in a data file can run in a reader's browser."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

from generator.build import build_site
from generator.render import md_text

from .conftest import VALID_TREE
from .html import page_text, parse, search_records

# Each payload carries a marker; escaped, the marker is only ever text, never a tag, attribute or script.
PAYLOADS = {
    "script": "<script>alert('XSS-SCRIPT')</script>",
    "img": "<img src=x onerror=alert('XSS-IMG')>",
    "md-link": "[click](javascript:alert('XSS-MDLINK'))",
    "md-image": "![x](data:text/html;base64,XSS-MDIMG)",
    "html-block": '<div onclick="XSS-BLOCK">x</div>',
    "title-breakout": "</title><script>XSS-TITLE</script>",
    "attr-list": "Gallium { onclick=XSS-ATTR }",
    "autolink": "<javascript:alert('XSS-AUTO')>",
    "attr-quote": '" data-pagefind-filter="XSS-QUOTE',
}
MARKERS = [
    "XSS-SCRIPT",
    "XSS-IMG",
    "XSS-MDLINK",
    "XSS-MDIMG",
    "XSS-BLOCK",
    "XSS-TITLE",
    "XSS-ATTR",
    "XSS-AUTO",
    "XSS-QUOTE",
]
# The mineral's name: it is also the title of its search result and a filter value of the pages covering it.
HOSTILE_NAME = " ".join([PAYLOADS["title-breakout"], PAYLOADS["script"], PAYLOADS["attr-quote"]])
ALL = " ".join(PAYLOADS.values())


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    from generator.build import Layout

    from .conftest import REPO, write_tree

    tree = dict(VALID_TREE)
    tree["minerals/gallium.yaml"] = (
        tree["minerals/gallium.yaml"]
        .replace("name: Gallium", f"name: {quoted(HOSTILE_NAME)}")
        .replace(
            "summary: A by-product metal used in chips. [@usgs-gallium]",
            f"summary: {quoted(ALL + ' {{ 7*7 }} JINJA-MARK')}",
        )
        .replace("scope: primary low-purity gallium", f"scope: {quoted('left | right PIPE-MARK')}")
    )
    tree["policies/ban.yaml"] = (
        tree["policies/ban.yaml"]
        .replace("title: A ban with two clauses", f"title: {quoted(PAYLOADS['img'] + ' ' + PAYLOADS['md-link'])}")
        .replace(
            "summary: Military end users. [@mofcom-ban]",
            f"summary: {quoted(PAYLOADS['html-block'] + ' [^1]: FOOTNOTE-MARK')}",
        )
    )
    tree["sources/mofcom-ban.yaml"] = tree["sources/mofcom-ban.yaml"].replace(
        "title: Announcement No. 1", f"title: {quoted(PAYLOADS['md-image'] + ' ' + PAYLOADS['autolink'])}"
    )
    tree["projects/mine.yaml"] = tree["projects/mine.yaml"].replace(
        "name: Mine Co", f"name: {quoted(PAYLOADS['attr-list'])}"
    )
    write_tree(tmp / "data", tree)
    layout = Layout.at(REPO, data_dir=tmp / "data", site_dir=tmp / "site", docs_dir=tmp / "docs")
    build_site(layout, dt.date(2026, 11, 24))
    return layout.site_dir


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# Head tags whose `content` is text for people (a page's description, its link preview): a payload is text there.
TEXT_META = ("description", "og:title", "og:description")


def _attributes(element) -> dict[str, str]:
    """The attributes a marker must never reach: all but the text of a description or link preview."""
    kind = element.attrs.get("name") or element.attrs.get("property")
    if element.tag == "meta" and kind in TEXT_META:
        return {k: v for k, v in element.attrs.items() if k != "content"}
    return element.attrs


def test_no_marker_becomes_a_tag_attribute_or_script(hostile_site):
    checked = 0
    for path in html_pages(hostile_site):
        page = parse(path)
        for element in page.elements:
            for marker in MARKERS:
                assert not any(marker in key or marker in value for key, value in _attributes(element).items()), (
                    path,
                    element,
                )
                if element.tag in ("script", "style", "title"):
                    assert marker not in element.text or element.tag == "title", (path, element)
            # The theme's own search-share button is the one javascript: link allowed.
            if element.tag == "a" and element.attrs.get("data-md-component") != "search-share":
                assert not element.attrs.get("href", "").lower().startswith(("javascript:", "data:")), (path, element)
            if element.tag == "img":
                assert not element.attrs.get("src", "").lower().startswith("data:text"), (path, element)
        checked += 1
    assert checked > 5


def test_a_description_and_link_preview_hold_payloads_as_text(hostile_site):
    page = parse(hostile_site / "minerals" / "gallium" / "index.html")
    [description] = page.find("meta", name="description")
    [preview] = page.find("meta", property="og:description")
    [title] = page.find("meta", property="og:title")
    # The summary, cut to a description's length, reaches the attribute whole: nothing closed it early.
    assert description.attrs["content"].startswith(f"{PAYLOADS['script']} {PAYLOADS['img']} {PAYLOADS['md-link']}")
    assert preview.attrs["content"] == description.attrs["content"]
    # The page's title, as the heading gives it: the name and the symbol.
    assert title.attrs["content"] == f"{HOSTILE_NAME} (Ga)"


def test_the_cite_box_holds_a_hostile_name_as_text(hostile_site):
    page = parse(hostile_site / "minerals" / "gallium" / "index.html")
    name = HOSTILE_NAME
    [csl] = [e for e in page.elements if e.tag == "pre" and e.attrs.get("class") == "atlas-cite-csl"]
    assert json.loads(csl.text)[0]["title"] == name
    [bibtex] = [e for e in page.elements if e.tag == "pre" and e.attrs.get("class") == "atlas-cite-bibtex"]
    assert (
        "  title = {{</title><script>XSS-TITLE</script> <script>alert('XSS-SCRIPT')</script> "
        '{"} data-pagefind-filter={"}XSS-QUOTE}},'
    ) in bibtex.text


def test_payloads_reach_the_page_as_text(hostile_site):
    text = page_text(hostile_site / "minerals" / "gallium" / "index.html")
    for payload in PAYLOADS.values():
        assert payload in text, payload


def test_title_cannot_be_closed_by_a_name(hostile_site):
    html = (hostile_site / "minerals" / "gallium" / "index.html").read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    assert head.count("</title>") == 1
    assert "&lt;/title&gt;&lt;script&gt;XSS-TITLE" in head


def test_jinja_syntax_in_data_prints_as_is(hostile_site):
    text = page_text(hostile_site / "minerals" / "gallium" / "index.html")
    assert "{{ 7*7 }} JINJA-MARK" in text


def test_pipe_stays_inside_its_table_cell(hostile_site):
    from .html import table_after

    rows = table_after(hostile_site / "minerals" / "gallium" / "index.html", "world-production")
    assert rows[0][3] == "left | right PIPE-MARK"
    assert len(rows[0]) == 7


def test_footnote_syntax_in_data_is_not_a_footnote(hostile_site):
    page = parse(hostile_site / "policies" / "ban" / "index.html")
    assert "[^1]: FOOTNOTE-MARK" in page_text(hostile_site / "policies" / "ban" / "index.html")
    assert not page.find("li", id="fn:1")


def test_a_hostile_name_stays_text_in_the_search_index(hostile_site):
    records = search_records(hostile_site)
    assert records["/minerals/gallium/"]["meta"] == {"title": f"{HOSTILE_NAME} (mineral)"}
    # Pagefind's UI puts filter values into the page as HTML: they are stored escaped, as text.
    escaped = html.escape(HOSTILE_NAME)
    assert records["/minerals/gallium/"]["filters"] == {"collection": ["Minerals"], "mineral": [escaped]}
    ban = records["/policies/ban/"]["filters"]
    assert sorted(ban) == ["collection", "jurisdiction", "mineral", "status"]
    assert ban["mineral"] == [escaped]
    values = [v for record in records.values() for values in record["filters"].values() for v in values]
    assert len(values) > 10
    assert not [v for v in values if "<" in v or '"' in v]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<b>bold</b>", r"&lt;b\>bold&lt;/b\>"),
        ("a | b", r"a \| b"),
        ("[x](y)", r"\[x\]\(y\)"),
        ("1. item", r"1\. item"),
        ("# heading", r"\# heading"),
        ("line\nbreak", "line break"),
        ("AT&T", "AT&amp;T"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_md_text_escapes(text, escaped):
    assert md_text(text) == escaped
