"""Render stage: records and derived facts → Markdown pages, through the Jinja templates in site_config/templates.

Every value printed into a template is escaped for Markdown and HTML unless a filter marked it
as already safe (`Md`), so text from data files reaches readers as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from .charts import policy_spans, policy_timeline_chart, production_share_chart
from .derive import SOON_DAYS, Derived, StatusAt
from .exceptions import BuildError
from .load import ID_RE
from .models import PartialDate, Source, country_name, display_name
from .progress import QUIET, Progress
from .validate import SINGULAR, Dataset

# Characters Python-Markdown (with the tables extension) lets a backslash escape.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"]+$")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PAGE_OF = {c: c + "/{id}.md" for c in ("minerals", "policies", "projects", "sources", "events")}
# Rows per page of an index, so no page grows with the number of records.
PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 100


class Md(str):
    """Text that is already valid, safe Markdown and must not be escaped again."""


def md_text(value: Any) -> Md:
    """Escape text for any place in a Markdown page: inline, table cell or heading."""
    if isinstance(value, Md):
        return value
    return _escaped(str(value))


@lru_cache(maxsize=1 << 16)
def _escaped(value: str) -> Md:
    text = " ".join(value.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return Md(_MD_SPECIAL.sub(r"\\\1", text))


def md_paragraphs(value: str) -> Md:
    """Escape text that may hold paragraphs separated by blank lines."""
    paragraphs = [md_text(p) for p in re.split(r"\n\s*\n", value) if p.strip()]
    return Md("\n\n".join(paragraphs))


def html_text(value: Any) -> str:
    """Escape text for an HTML element inside a Markdown page."""
    return str(md_text(value))


def safe_url(url: str) -> str:
    """Return an http(s) URL encoded for a Markdown link; refuse anything else."""
    if not _SAFE_URL.match(url):
        raise BuildError(f"refusing to link to '{url}': only http(s) URLs are allowed")
    return quote(url, safe=":/?#@!$&'*+,;=%~[]")


def date_long(value: dt.date | str | None) -> Md:
    """Format a date as '27 Nov 2026', or 'Nov 2026' / '2026' when only that is known."""
    if value is None:
        return Md("")
    if isinstance(value, dt.date):
        return Md(f"{value.day} {MONTHS[value.month - 1]} {value.year}")
    year, month, day = PartialDate(value).sort_key
    if day:
        return date_long(dt.date(year, month, day))
    return Md(f"{MONTHS[month - 1]} {year}" if month else str(year))


def number(value: float | None) -> Md:
    """Format a quantity with thousands separators and no needless decimals."""
    if value is None:
        return Md("")
    return Md(f"{value:,.0f}" if float(value).is_integer() else f"{value:,}")


LABELS = {"end-user-ban": "End-user ban", "not-yet-in-force": "Not yet in force"}


def label(value: Enum) -> str:
    """Turn an enum value such as 'export-licensing' into words: 'Export licensing'."""
    text = str(value.value)
    return LABELS.get(text, text.replace("-", " ").capitalize())


def iso(value: dt.date) -> Md:
    """Format a date as YYYY-MM-DD, for machine-readable attributes."""
    return Md(value.isoformat())


def anchor(record_id: str) -> Md:
    """Use a validated record id as an HTML anchor."""
    if not ID_RE.match(record_id):
        raise BuildError(f"'{record_id}' is not a valid anchor")
    return Md(record_id)


def safe_path(path: str) -> Md:
    """Use a relative site path built from validated ids as a link target."""
    if not re.match(r"^[a-z0-9./-]+$", path):
        raise BuildError(f"'{path}' is not a safe link path")
    return Md(path)


def status_phrase(status: StatusAt) -> str:
    """Say a status with the date that ends it: 'Suspended until 27 Nov 2026'."""
    label = status.status.label
    if status.status.value == "not-yet-in-force" and status.next_change:
        return f"{label} (takes effect {date_long(status.next_change)})"
    if status.status.value in ("suspended",) and status.until:
        return f"{label} until {date_long(status.until)}"
    if status.status.value == "in-force" and status.until:
        return f"{label} until {date_long(status.until)}"
    if status.status.value in ("expired", "revoked") and status.since:
        return f"{label} since {date_long(status.since)}"
    return label


def status_badge(status: StatusAt) -> Md:
    """Render a status as a coloured badge with words, the same everywhere."""
    key = status.status.value
    return Md(
        f'<span class="atlas-status atlas-status--{key}" data-status-label="{status.status.label}">'
        f"{html_text(status_phrase(status))}</span>"
    )


@dataclass
class Citations:
    """Numbered footnotes for the sources cited on one page, in order of first citation."""

    sources: dict[str, Source]
    page_path: str
    lines: dict[tuple[str, str], Md] = field(default_factory=dict)  # shared by pages: (source, folder) → line
    order: list[str] = field(default_factory=list)

    def cite(self, *source_ids: str | None) -> Md:
        marks = []
        for source_id in source_ids:
            if source_id is None:
                continue
            if source_id not in self.order:
                self.order.append(source_id)
            marks.append(f"[^{source_id}]")
        return Md("".join(marks))

    def footnotes(self) -> Md:
        lines = []
        folder = posixpath.dirname(self.page_path)
        for source_id in self.order:
            line = self.lines.get((source_id, folder))
            if line is None:
                line = self.lines[(source_id, folder)] = source_line(self.sources[source_id], source_id, self.page_path)
            lines.append(f"[^{source_id}]: {line}")
        return Md("\n".join(lines))


def source_line(source: Source, source_id: str, page_path: str) -> Md:
    """One citation: publisher, title (to the source list), date, kind, and the original address."""
    anchor = relative(page_path, PAGE_OF["sources"].format(id=source_id))
    when = date_long(source.published) if source.published else "undated"
    parts = [f"{md_text(source.publisher)}, [{md_text(source.title)}]({anchor}), {when}."]
    if source.kind.value == "secondary":
        parts.append("Secondary source.")
    elif source.kind.value == "reproduction":
        parts.append("Reproduction of the official text.")
    if source.url:
        parts.append(f"[Original]({safe_url(source.url)})")
    return Md(" ".join(parts))


def relative(page_path: str, target: str) -> str:
    """Return a Markdown link path from one docs page to another (both relative to the docs folder)."""
    here = posixpath.dirname(page_path)
    if not here:
        return target
    if target.startswith(here + "/"):
        return target[len(here) + 1 :]
    return "../" * (here.count("/") + 1) + target


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


def make_environment(templates: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """Build the one Jinja environment: strict, escaping every printed value for Markdown.

    With `cache_dir`, compiled templates are kept there between builds (Jinja checks each against
    its source before using it).
    """
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache_dir)) if cache_dir is not None else None,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md_text=md_text,
        md_paragraphs=md_paragraphs,
        date_long=date_long,
        number=number,
        status_badge=status_badge,
        status_phrase=status_phrase,
        country_name=country_name,
        safe_url=lambda url: Md(safe_url(url)),
        label=label,
        iso=iso,
        anchor=anchor,
        safe_path=safe_path,
    )
    env.globals.update(
        production_share_chart=lambda mineral: Md(production_share_chart(mineral)),
        policy_timeline_chart=lambda policy_id, policy, derived: Md(policy_timeline_chart(policy_id, policy, derived)),
        policy_spans=policy_spans,
    )
    return env


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return md_text(value)


class Renderer:
    """Render every page from one dataset and its derived facts."""

    def __init__(
        self, env: jinja2.Environment, dataset: Dataset, derived: Derived, content_dir: Path, progress: Progress = QUIET
    ) -> None:
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

    def page(self, template: str, path: str, **context: Any) -> Page:
        citations = Citations(self.dataset.get("sources"), path, self._source_lines)

        def link(collection: str, record_id: str, text: str | None = None) -> Md:
            return self.link(path, collection, record_id, text)

        try:
            content = self.template(template).render(
                page_path=path,
                data=self.dataset,
                d=self.derived,
                today=self.derived.today,
                cite=citations.cite,
                citations=citations,
                link=link,
                **context,
            )
        except jinja2.TemplateError as error:
            raise BuildError(f"{template}: {error}") from error
        return Page(path, content)

    def link(self, page_path: str, collection: str, record_id: str, text: str | None = None) -> Md:
        label = md_text(text if text is not None else display_name(self.dataset.get(collection)[record_id]))
        return Md(f"[{label}]({relative(page_path, PAGE_OF[collection].format(id=record_id))})")

    def render_all(self) -> list[Page]:
        """Render every page of the site, in a stable order."""
        pages: list[Page] = []
        for collection in PAGE_OF:
            template = f"{SINGULAR[collection]}.md.j2"
            for record_id, record in self.dataset.get(collection).items():
                pages.append(
                    self.page(
                        template,
                        PAGE_OF[collection].format(id=record_id),
                        id=record_id,
                        record=record,
                        source_file=Md(f"data/{collection}/{record_id}.yaml"),
                        stale=(collection, record_id) in self.derived.stale,
                    )
                )
                self.progress.step()
            pages += self.paged(
                f"{collection}_index.md.j2", collection, list(self.dataset.get(collection).items()), PAGE_SIZE
            )
        pages += self.paged("timeline.md.j2", "timeline", self.derived.timeline, TIMELINE_PAGE_SIZE)
        pages.append(self.page("data.md.j2", "data.md"))
        pages.append(self.page("home.md.j2", "index.md", intro=self._content("home.md"), soon_days=SOON_DAYS))
        for path in sorted(self.content_dir.glob("*.md")):
            if path.name != "home.md":
                pages.append(Page(path.name, path.read_text(encoding="utf-8")))
        return pages

    def paged(self, template: str, folder: str, rows: list[Any], size: int) -> list[Page]:
        """Render an index in pages of `size` rows: folder/index.md, folder/page-2.md, ..."""
        count = max(1, -(-len(rows) // size))
        paths = [f"{folder}/index.md" if n == 1 else f"{folder}/page-{n}.md" for n in range(1, count + 1)]
        pages = []
        for number, path in enumerate(paths, start=1):
            pager = Pager(number, [relative(path, p) for p in paths], len(rows))
            chunk = rows[(number - 1) * size : number * size]
            pages.append(self.page(template, path, rows=chunk, pager=pager))
        return pages

    def _content(self, name: str) -> Md:
        path = self.content_dir / name
        return Md(path.read_text(encoding="utf-8")) if path.exists() else Md("")


def render(
    env: jinja2.Environment, dataset: Dataset, derived: Derived, content_dir: Path, progress: Progress = QUIET
) -> list[Page]:
    """Render every page of the site."""
    total = sum(len(dataset.get(c)) for c in PAGE_OF)
    with progress.stage("render", total):
        return Renderer(env, dataset, derived, content_dir, progress).render_all()
