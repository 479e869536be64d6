"""What a collection of records is, and the registry of the collections the atlas publishes.

Every stage loops over `COLLECTIONS` and asks each collection what it needs: its model and
names (load, validate), its page context, index rows, search entry and navigation entry
(render), its CSV columns and API facts (exports). Adding a collection is its model, its two
templates (`<singular>.md.j2` and `<name>_index.md.j2`) and one `register(Collection(...))`;
the atlas's own collections are declared in `catalogue.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from ..core import urls
from ..core.models import FigureSet, Mineral, Record
from .outputs import DerivedOut, IndexItem


@dataclass(frozen=True)
class Row:
    """One record with what is derived for the as-of date: what a CSV row, an API fact or an index item is made from."""

    collection: str
    id: str
    record: Any
    derived: Any  # the Derived facts of the build


@dataclass(frozen=True)
class SearchEntry:
    """What a page tells the search index: the title of its result and the values it can be filtered by."""

    title: str  # says what the record is: "Antimony (mineral)"
    filters: tuple[tuple[str, str], ...]  # (filter, value) pairs: collection, mineral, jurisdiction, status


Column = tuple[str, Callable[[Row], Any]]
# (record id, record, dataset, derived, page path) -> what its page shows beyond the record itself
PageContext = Callable[[str, Any, Any, Any, str], Mapping[str, Any]]
# (record id, record, dataset, derived) -> how its page appears in search
SearchOf = Callable[[str, Any, Any, Any], SearchEntry]
# (dataset, derived) -> the rows of the collection's index
IndexRows = Callable[[Any, Any], list[Any]]


def field_column(name: str) -> Column:
    """A CSV column holding one field of the record, under the field's name."""
    return (name, attrgetter(f"record.{name}"))


def _no_minerals(_record_id: str, _record: Any) -> set[str]:
    return set()


def _no_facts(_row: Row) -> dict[str, Any]:
    return {}


# Columns every CSV file ends with, after the collection's own.
COMMON_COLUMNS: tuple[Column, ...] = (
    field_column("verification"),
    field_column("sources"),
    field_column("last_verified"),
    ("page", lambda row: page_of(row.collection, row.id, row.derived)),
)


def page_of(collection: str, record_id: str, derived: Any) -> str | None:
    """The page a record's API document and CSV row link to: its own, or the mineral page that shows it, or none."""
    if COLLECTIONS[collection].pages:
        return urls.page_url(collection, record_id)
    shown_on = derived.figures_shown_on.get(record_id) if collection == FigureSet.collection else None
    return urls.page_url(Mineral.collection, shown_on) if shown_on else None


@dataclass(frozen=True)
class Collection:
    """Everything the stages need to know about one collection of records."""

    name: str  # plural: the folder in data/, the URL prefix, the API and CSV name
    singular: str
    model: type[Record]
    display_name: Callable[[Any], str]
    minerals_of: Callable[[str, Any], set[str]] = _no_minerals
    in_feeds: bool = False  # its records' checks appear in the feeds
    feed_per_record: bool = False  # each record has a feed of its own (feeds/<id>.xml)
    columns: tuple[Column, ...] = ()  # the CSV columns between `id` and COMMON_COLUMNS
    facts: Callable[[Row], dict[str, Any]] = _no_facts  # the API document's `derived`, less the two clocks
    facts_model: type[DerivedOut] = DerivedOut
    item: Callable[[Row], dict[str, Any]] = _no_facts  # the index item's fields beyond IndexItem's
    item_model: type[IndexItem] = IndexItem
    pages: bool = True  # a page per record and an index; without, only the API and the CSV file
    imported: bool = False  # written by an importer, never by hand: `atlas new` does not offer it
    # The page side. A collection without a context shows its record; without a search entry its pages stay
    # out of search results; without index rows its index lists (id, record) in id order.
    context: PageContext | None = None
    search: SearchOf | None = None
    index_rows: IndexRows | None = None
    description: str = ""  # what its index is about, for search results and link previews
    nav_title: str = ""  # its index's entry in the site's navigation (default: the name, capitalised)
    nav_position: int = 75  # where that entry stands among SITE_SECTIONS' positions
    # Where a record this collection's records refer to lists them: the heading of that list on its page. Empty
    # for a collection whose referrers' templates list it already (a mineral page lists its projects).
    listed_on_referred_pages: str = ""

    @property
    def page_template(self) -> str:
        return f"{self.singular}.md.j2"

    @property
    def index_template(self) -> str:
        return f"{self.name}_index.md.j2"

    @property
    def csv_columns(self) -> tuple[Column, ...]:
        return (("id", attrgetter("id")), *self.columns, *COMMON_COLUMNS)

    @property
    def index_description(self) -> str:
        return self.description or f"Every {self.singular} recorded in the atlas."

    @property
    def title(self) -> str:
        return self.nav_title or self.name.capitalize()


@dataclass(frozen=True)
class Section:
    """An entry of the site's navigation: a page of its own, or a collection's index."""

    title: str
    path: str  # the Markdown page, relative to the docs folder
    position: int
    index: bool = False  # an index of records, which the home page and the 404 page list


# The pages that are not a collection's index, by their place in the navigation; collections fit in between.
SITE_SECTIONS: tuple[Section, ...] = (
    Section("Home", urls.HOME_PAGE, 0),
    Section("Countries", urls.index_page(urls.COUNTRIES), 40, index=True),
    Section("Timeline", urls.index_page(urls.TIMELINE), 50, index=True),
    Section("Data and API", urls.DATA_PAGE, 80),
    Section("About", urls.ABOUT_PAGE, 90),
    Section("Methodology", urls.METHODOLOGY_PAGE, 100),
)

COLLECTIONS: dict[str, Collection] = {}


def register(collection: Collection) -> Collection:
    """Add a collection; refuse a name that is taken or that a generated folder uses."""
    if collection.name in COLLECTIONS or collection.name in urls.RESERVED_FOLDERS:
        raise ValueError(f"collection name '{collection.name}' is already used")
    COLLECTIONS[collection.name] = collection
    return collection


def unregister(name: str) -> None:
    """Remove a collection added with `register` (for tests that add one of their own)."""
    del COLLECTIONS[name]


def collection_named(name: str) -> Collection | None:
    """Find a collection by its plural or singular name: 'policies' or 'policy'."""
    return COLLECTIONS.get(name) or next((c for c in COLLECTIONS.values() if c.singular == name), None)


def collection_of(record: Record) -> Collection:
    return next(c for c in COLLECTIONS.values() if type(record) is c.model)


def display_name(record: Record) -> str:
    """Return the name a record goes by on the site."""
    return collection_of(record).display_name(record)


def navigation() -> list[Section]:
    """The site's navigation: its own pages and every collection's index that has pages, in their places."""
    indexes = [
        Section(c.title, urls.index_page(c.name), c.nav_position, index=True) for c in COLLECTIONS.values() if c.pages
    ]
    return sorted([*SITE_SECTIONS, *indexes], key=lambda s: s.position)


def mkdocs_nav() -> list[dict[str, str]]:
    """The navigation as MkDocs' `nav` setting takes it, which the build passes to MkDocs."""
    return [{section.title: section.path} for section in navigation()]
