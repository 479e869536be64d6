"""Render stage: records and derived facts → Markdown pages, through the Jinja templates in site_config/templates."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..core import urls
from ..core.citations import pieces
from ..core.config import atlas_version
from ..core.exceptions import BuildError
from ..core.formatting import date_long
from ..core.models import Source, SourceKind, country_name
from ..core.progress import QUIET, Progress
from ..records.dataset import Dataset, Derived
from ..records.registry import COLLECTIONS, display_name
from . import contexts
from .environment import Md, make_environment, md_text, safe_url
from .links import Links, Patterns

PATTERNS = Patterns()

__all__ = ["PAGE_SIZE", "TIMELINE_PAGE_SIZE", "Page", "Pager", "make_environment", "render"]

# Rows per page of an index, so no page grows with the number of records.
PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 100


@dataclass
class Citations:
    """Numbered footnotes for the sources cited on one page, in order of first citation."""

    sources: dict[str, Source]
    page_path: str
    lines: dict[tuple[str, str], Md] = field(default_factory=dict)  # shared by pages: (source, folder) → line
    order: list[str] = field(default_factory=list)
    secondary_only: bool = False  # some claim on the page rests on secondary sources alone

    def cite(self, *source_ids: str | None) -> Md:
        marks = []
        for source_id in source_ids:
            if source_id is None:
                continue
            if source_id not in self.order:
                self.order.append(source_id)
            marks.append(f"[^{source_id}]")
        # Marks side by side read 1, 2, 3 rather than 123.
        return Md(MARK_SEPARATOR.join(marks))

    def text(self, value: str) -> Md:
        """Escape text with inline citations (`[@id]`), turning each into footnote marks where it stands.

        A claim that cites only secondary sources says so next to its marks.
        """
        return Md("\n\n".join(self._paragraphs(value)))

    def in_cell(self, value: str) -> Md:
        """Escape text with inline citations for a table cell: its paragraphs stay in the cell, on one line."""
        return Md(CELL_PARAGRAPH_BREAK.join(self._paragraphs(value)))

    def _paragraphs(self, value: str) -> list[str]:
        paragraphs = []
        for paragraph in re.split(r"\n\s*\n", value):
            if not paragraph.strip():
                continue
            parts: list[str] = []
            for piece in pieces(paragraph):
                parts.append(_escaped_keeping_spaces(piece.text))
                if piece.cites:
                    parts.append(self.cite(*piece.cites))
                    if all(self.sources[s].kind is SourceKind.secondary for s in piece.cites):
                        self.secondary_only = True
                        parts.append(SECONDARY_MARK)
            paragraphs.append("".join(parts).strip())
        return paragraphs

    def footnotes(self) -> Md:
        lines = []
        folder = posixpath.dirname(self.page_path)
        for source_id in self.order:
            line = self.lines.get((source_id, folder))
            if line is None:
                line = self.lines[(source_id, folder)] = source_line(self.sources[source_id], source_id, self.page_path)
            lines.append(f"[^{source_id}]: {line}")
        return Md("\n".join(lines))


MARK_SEPARATOR = "<sup>,</sup>"
# A table row is one line of Markdown, so paragraphs inside a cell are parted by line breaks instead.
CELL_PARAGRAPH_BREAK = "<br><br>"
SECONDARY_MARK = Md(' <span class="atlas-secondary">(secondary reporting)</span>')


def _escaped_keeping_spaces(text: str) -> str:
    """Escape a run of text between citations, keeping the single space at either end that separates it."""
    if not text.strip():
        return " " if text else ""
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    return lead + md_text(text) + trail


def source_line(source: Source, source_id: str, page_path: str) -> Md:
    """One citation: publisher, title (to the source list), date, kind, and the original address."""
    anchor = urls.relative(page_path, urls.page(Source.collection, source_id))
    when = date_long(source.published) if source.published else "undated"
    parts = [f"{md_text(source.publisher)}, [{md_text(source.title)}]({anchor}), {when}."]
    if source.kind.value == "secondary":
        parts.append("Secondary source.")
    elif source.kind.value == "reproduction":
        parts.append("Reproduction of the official text.")
    if source.url:
        parts.append(f"[Original]({safe_url(source.url)})")
    return Md(" ".join(parts))


@dataclass(frozen=True)
class Pager:
    """Where one page of an index stands among its pages, with links to its neighbours."""

    number: int
    links: list[str]  # link to every page, from this one
    total_rows: int

    @property
    def count(self) -> int:
        return len(self.links)

    def window(self) -> list[int | None]:
        """Page numbers to show: first, last and two either side of this one; None marks a gap."""
        shown = sorted({1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)})
        result: list[int | None] = []
        previous = 0
        for n in shown:
            if n - previous > 1:
                result.append(None)
            result.append(n)
            previous = n
        return result


@dataclass
class Page:
    """One Markdown page to write, relative to the docs folder."""

    path: str
    content: str
    producer: str  # the template or file it comes from


# A front matter block as MkDocs reads it.
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)?---\n", re.DOTALL)


def with_meta(content: str, meta: dict[str, str]) -> str:
    """Add keys to a page's front matter (making one if it has none); a key the page sets itself is kept as it is."""
    match = _FRONT_MATTER.match(content)
    own = (match.group(1) or "") if match else ""
    present = (yaml.safe_load(own) or {}) if own else {}
    added = {key: value for key, value in meta.items() if key not in present}
    if not added:
        return content
    lines = yaml.safe_dump(added, allow_unicode=True, sort_keys=True, width=1 << 16)
    if match:
        return f"---\n{own}{lines}---\n{content[match.end() :]}"
    return f"---\n{lines}---\n\n{content}"


class Renderer:
    """Render every page from one dataset and its derived facts."""

    def __init__(
        self,
        env: jinja2.Environment,
        dataset: Dataset,
        derived: Derived,
        content_dir: Path,
        progress: Progress = QUIET,
        site_url: str | None = None,
    ) -> None:
        self.site_url = site_url
        # What every page states in its footer: the day its facts hold on, and the version that built it.
        self.meta = {"as_of": derived.today.isoformat(), "atlas_version": atlas_version()}
        self.progress = progress
        self.env = env
        self.dataset = dataset
        self.derived = derived
        self.content_dir = content_dir
        self._templates: dict[str, jinja2.Template] = {}
        self._source_lines: dict[tuple[str, str], Md] = {}

    def template(self, name: str) -> jinja2.Template:
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]

    def page(self, template: str, path: str, context: dict[str, Any], description: str = "") -> Page:
        """Render one page; `description` is what it is about, in plain text, for search results and link previews."""
        citations = Citations(self.dataset.sources, path, self._source_lines)

        def link(collection: str, record_id: str, text: str | None = None) -> Md:
            return self.link(path, collection, record_id, text)

        def country(code: str) -> Md:
            return Md(f"[{md_text(country_name(code))}]({urls.relative(path, urls.country(code))})")

        try:
            content = self.template(template).render(
                page_path=path,
                paths=Links(path),
                patterns=PATTERNS,
                today=self.derived.today,
                cite=citations.cite,
                cited=citations.text,
                cited_in_cell=citations.in_cell,
                citations=citations,
                link=link,
                country=country,
                **context,
            )
        except jinja2.TemplateError as error:
            raise BuildError(f"{template}: {error}") from error
        meta = {**self.meta, "description": description} if description else self.meta
        return Page(path, with_meta(content, meta), f"template {template}")

    def link(self, page_path: str, collection: str, record_id: str, text: str | None = None) -> Md:
        label = md_text(text if text is not None else display_name(self.dataset.get(collection)[record_id]))
        return Md(f"[{label}]({urls.relative(page_path, urls.page(collection, record_id))})")

    def render_all(self) -> list[Page]:
        """Render every page of the site, in a stable order."""
        dataset, derived = self.dataset, self.derived
        pages: list[Page] = []
        for collection in COLLECTIONS.values():
            if not collection.pages:
                continue
            for record_id, record in dataset.get(collection.name).items():
                context = contexts.record_context(collection.name, record_id, record, dataset, derived, self.site_url)
                path = urls.page(collection.name, record_id)
                description = contexts.record_description(record)
                pages.append(self.page(collection.page_template, path, context, description))
                self.progress.step()
            rows = contexts.index_rows(collection.name, dataset, derived)
            pages += self.paged(
                collection.index_template, collection.name, rows, PAGE_SIZE, collection.index_description
            )
        for code in derived.countries:
            context = dict(contexts.country_context(code, dataset, derived))
            pages.append(self.page("country.md.j2", urls.country(code), context, contexts.country_description(code)))
        countries = list(derived.countries.items())
        pages += self.paged(
            "countries_index.md.j2", urls.COUNTRIES, countries, PAGE_SIZE, _about("countries_index.md.j2")
        )
        timeline = contexts.timeline_rows(derived)
        pages += self.paged("timeline.md.j2", urls.TIMELINE, timeline, TIMELINE_PAGE_SIZE, _about("timeline.md.j2"))
        data_page = dict(contexts.data_page(dataset))
        pages.append(self.page("data.md.j2", urls.DATA_PAGE, data_page, _about("data.md.j2")))
        intro = self._content("home.md")
        home = contexts.home(dataset, derived, intro)
        pages.append(self.page("home.md.j2", urls.HOME_PAGE, dict(home), contexts.short_description(intro)))
        for file in sorted(self.content_dir.glob("*.md")):
            if file.name != "home.md":
                # A hand-written page describes itself in its front matter; the site's description stands in.
                content = with_meta(file.read_text(encoding="utf-8"), self.meta)
                pages.append(Page(file.name, content, f"content/{file.name}"))
        return pages

    def paged(self, template: str, folder: str, rows: list[Any], size: int, about: str) -> list[Page]:
        """Render an index in pages of `size` rows: folder/index.md, folder/page-2.md, ...; `about` describes it."""
        paths = urls.index_pages(folder, -(-len(rows) // size))
        pages = []
        for number, path in enumerate(paths, start=1):
            pager = Pager(number, [urls.relative(path, p) for p in paths], len(rows))
            chunk = rows[(number - 1) * size : number * size]
            description = about + (f" Page {number}." if number > 1 else "")
            pages.append(self.page(template, path, {"rows": chunk, "pager": pager}, description))
        return pages

    def _content(self, name: str) -> Md:
        path = self.content_dir / name
        return Md(path.read_text(encoding="utf-8")) if path.exists() else Md("")


def _about(template: str) -> str:
    return contexts.PAGE_DESCRIPTIONS[template]


def render(
    env: jinja2.Environment,
    dataset: Dataset,
    derived: Derived,
    content_dir: Path,
    progress: Progress = QUIET,
    site_url: str | None = None,
) -> list[Page]:
    """Render every page of the site; with the site's address, pages cite themselves by their full URL."""
    with progress.stage("render", dataset.count()):
        return Renderer(env, dataset, derived, content_dir, progress, site_url).render_all()
