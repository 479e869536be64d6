"""The one Jinja environment and its filters.

Every value printed into a template is escaped for Markdown and HTML unless a filter marked it
as already safe (`Md`), so text from data files reaches readers as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from ..core import formatting
from ..core.exceptions import BuildError
from ..core.models import ID_RE, Amount, country_name
from ..records import wording
from ..records.status import StatusAt
from .charts import DatedSpan

# Characters Python-Markdown (with the tables extension) lets a backslash escape.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"]+$")


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


def html_block(value: Any) -> Md:
    """Escape text for a raw HTML block, where Markdown is not read: every character, line breaks too, stays."""
    return Md(html.escape(str(value), quote=True))


def html_line(value: Any) -> Md:
    """Escape text for one line of a raw HTML block (element text or a quoted attribute): no line break can end it."""
    return html_block(" ".join(str(value).split()))


def pagefind_filter(value: Any) -> Md:
    """Escape a search filter value: Pagefind decodes character references in it twice, and its UI shows it as HTML."""
    return Md(html.escape(html.escape(html_line(value), quote=True), quote=True))


def safe_url(url: str) -> str:
    """Return an http(s) URL encoded for a Markdown link; refuse anything else."""
    if not _SAFE_URL.match(url):
        raise BuildError(f"refusing to link to '{url}': only http(s) URLs are allowed")
    return quote(url, safe=":/?#@!$&'*+,;=%~[]")


def date_long(value: dt.date | str | None) -> Md:
    """Format a date as '27 Nov 2026', or 'Nov 2026' / '2026' when only that is known."""
    return Md(formatting.date_long(value))


def number(value: float | None) -> Md:
    """Format a quantity with thousands separators and no needless decimals."""
    return Md(formatting.number(value))


def money(amount: Amount) -> Md:
    """A sum in its own currency and scale; the currency is a checked ISO 4217 code and the rest are numbers."""
    return Md(html.escape(formatting.money(amount.value, amount.currency, amount.scale.value, amount.up_to)))


def label(value: Enum) -> str:
    """Turn an enum value such as 'export-licensing' into words: 'Export licensing'."""
    return formatting.words(str(value.value))


def iso(value: dt.date) -> Md:
    """Format a date as YYYY-MM-DD, for machine-readable attributes."""
    return Md(value.isoformat())


def anchor(record_id: str) -> Md:
    """Use a validated record id as an HTML anchor."""
    if not ID_RE.fullmatch(record_id):
        raise BuildError(f"'{record_id}' is not a valid anchor")
    return Md(record_id)


def safe_path(path: str) -> Md:
    """Use a relative site path built from validated ids as a link target."""
    if not re.fullmatch(r"[a-z0-9./-]+", path):
        raise BuildError(f"'{path}' is not a safe link path")
    return Md(path)


def status_phrase(status: StatusAt) -> str:
    """Say a status with the date that ends it ('Suspended until 27 Nov 2026'), and whether a source confirms it."""
    return wording.badge_phrase(status)


def status_badge(status: StatusAt) -> Md:
    """Render a status as a coloured badge with words, the same everywhere."""
    return _badge(wording.badge_classes(status), status.status.label, status_phrase(status))


def partly_suspended_badge() -> Md:
    """Render the badge of a measure in force with some of its clauses suspended."""
    key = wording.PARTLY_SUSPENDED_KEY
    return _badge(f"atlas-status atlas-status--{key}", wording.PARTLY_SUSPENDED, wording.PARTLY_SUSPENDED)


def _badge(classes: str, label: str, phrase: str) -> Md:
    return Md(f'<span class="{classes}" data-status-label="{html.escape(label)}">{html_text(phrase)}</span>')


def span_label(span: DatedSpan) -> Md:
    """A span of a measure's life in the timeline table: 'Suspended (scheduled)'."""
    return Md(md_text(span.status.label) + span.basis.words.mark)


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
        html_block=html_block,
        html_line=html_line,
        pagefind_filter=pagefind_filter,
        date_long=date_long,
        number=number,
        status_badge=status_badge,
        status_phrase=status_phrase,
        span_label=span_label,
        country_name=country_name,
        safe_url=lambda url: Md(safe_url(url)),
        label=label,
        iso=iso,
        anchor=anchor,
        safe_path=safe_path,
    )
    env.globals["partly_suspended_badge"] = partly_suspended_badge
    env.globals["money"] = money
    return env


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return md_text(value)
