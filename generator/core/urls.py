"""Every output path and URL of the site, and the record ids that would collide with them.

Paths are relative to the docs folder (as the write stage takes them); URLs are the addresses
MkDocs publishes them at, relative to the site root. Nothing else builds a path or a URL.
"""

from __future__ import annotations

import posixpath
import re

API_ROOT = "api/v1"
API_SCHEMA = f"{API_ROOT}/schema.json"
FEEDS = "feeds"
SITE_FEED = "atom"
REVIEWS_FEED = "reviews"
CALENDAR = f"{FEEDS}/calendar.ics"
DOWNLOADS = "downloads"
SCHEMAS = "schemas"
PRODUCTION_TABLE = f"{DOWNLOADS}/production.csv"
TIMELINE = "timeline"
DATA_PAGE = "data.md"
HOME_PAGE = "index.md"
ABOUT_PAGE = "about.md"
METHODOLOGY_PAGE = "methodology.md"
# Folders of the docs folder that are not collections; a collection may not take their name.
RESERVED_FOLDERS = frozenset({"api", FEEDS, DOWNLOADS, TIMELINE, "assets", SCHEMAS, "countries"})
_INDEX_PAGE = re.compile(r"^(index|page-[0-9]+)$")


def page(collection: str, record_id: str) -> str:
    """The Markdown page of a record: `minerals/gallium.md`."""
    return f"{collection}/{record_id}.md"


def index_page(folder: str) -> str:
    """The first page of an index: `folder/index.md`."""
    return f"{folder}/index.md"


def index_pages(folder: str, count: int) -> list[str]:
    """The pages of an index of `count` pages: `folder/index.md`, `folder/page-2.md`, ..."""
    return [index_page(folder) if n == 1 else f"{folder}/page-{n}.md" for n in range(1, max(count, 1) + 1)]


def api_document(collection: str, record_id: str) -> str:
    return f"{API_ROOT}/{collection}/{record_id}.json"


def api_index(collection: str) -> str:
    return f"{API_ROOT}/{collection}/index.json"


def table(collection: str) -> str:
    """The CSV download of a collection."""
    return f"{DOWNLOADS}/{collection}.csv"


def mineral_table(mineral_id: str) -> str:
    """The CSV download of every figure of one mineral: `downloads/figures/gallium.csv`."""
    return f"{DOWNLOADS}/figures/{mineral_id}.csv"


def feed(name: str = SITE_FEED) -> str:
    """An Atom feed: the whole site's, or one mineral's by its id."""
    return f"{FEEDS}/{name}.xml"


def editor_schema(collection: str) -> str:
    """The JSON Schema editors' tools read for a collection's data files."""
    return f"{SCHEMAS}/{collection}.schema.json"


def policy_calendar(policy_id: str) -> str:
    """The calendar of one measure: `feeds/policies/cn-mofcom-2024-46.ics`."""
    return f"{FEEDS}/policies/{policy_id}.ics"


COUNTRIES = "countries"


def country(code: str) -> str:
    """The page of a country, or of a group such as the EU, by its code: `countries/cn.md`."""
    return f"{COUNTRIES}/{code.lower()}.md"


def url_of(markdown_path: str) -> str:
    """The address MkDocs publishes a Markdown page at, with directory URLs: `minerals/gallium/`."""
    stem = markdown_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def page_url(collection: str, record_id: str) -> str:
    return url_of(page(collection, record_id))


def relative(from_page: str, target: str) -> str:
    """A link from one docs page to another file of the docs folder, as Markdown links are written."""
    here = posixpath.dirname(from_page)
    if not here:
        return target
    if target.startswith(here + "/"):
        return target[len(here) + 1 :]
    return "../" * (here.count("/") + 1) + target


def reserved(collection: str, record_id: str, feeds_per_record: bool) -> str | None:
    """Say which generated file a record id would collide with, or None when it is free."""
    if _INDEX_PAGE.match(record_id):
        return f"'{record_id}' is reserved for the index pages of {collection}/; choose another id"
    if feeds_per_record and record_id in (SITE_FEED, REVIEWS_FEED):
        return f"'{record_id}' is reserved for the site's feed {feed(record_id)}; choose another id"
    return None
