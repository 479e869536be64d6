"""Read built HTML pages: their elements, attributes and visible text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class ParsedPage(HTMLParser):
    elements: list[Element] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)
    _stack: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self._stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if any(e.tag == tag for e in self._stack):
            while self._stack.pop().tag != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        for element in self._stack:
            element.text += data

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]


def table_after(path: Path, heading_id: str) -> list[list[str]]:
    """Return the rows (cell texts) of the first table after the heading with `heading_id`."""
    html = path.read_text(encoding="utf-8")
    start = html.index(f'id="{heading_id}"')
    fragment = html[start : html.index("</table>", start)]
    rows = []
    for row in fragment.split("<tr")[1:]:
        page = ParsedPage()
        page.feed("<tr" + row)
        cells = [" ".join(e.text.split()) for e in page.elements if e.tag == "td"]
        if cells:
            rows.append(cells)
    return rows


def parse(path: Path) -> ParsedPage:
    page = ParsedPage()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def page_text(path: Path) -> str:
    """Return the visible text of a page's main content, whitespace collapsed."""
    page = parse(path)
    articles = [e for e in page.elements if e.tag == "article"]
    return " ".join((articles[0].text if articles else page.text).split())


def search_records(site: Path) -> dict[str, dict]:
    """Return what Pagefind's index holds for each indexed page, by URL: its text, title meta and filter values."""
    import gzip
    import json

    found = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        found[fragment["url"]] = fragment
    return found
