"""The collections the atlas knows, each declared once: model, names, templates, CSV columns, API facts, feeds.

Every stage reads this registry. Adding a collection is its model, its two templates
(`<singular>.md.j2` and `<name>_index.md.j2`) and one `register(Collection(...))`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from . import urls
from .models import Event, FigureSet, Mineral, Policy, Project, Record, Source
from .outputs import (
    ActingOut,
    CitingOut,
    ClauseStatusOut,
    DerivedOut,
    EventDerived,
    EventItem,
    IndexItem,
    MineralDerived,
    MineralItem,
    PolicyDerived,
    PolicyItem,
    PolicyReference,
    ProjectDerived,
    ProjectItem,
    SeriesValueOut,
    SourceDerived,
    SourceItem,
    StatusOut,
)

if TYPE_CHECKING:
    from .concentration import ProductionSeries
    from .dataset import Derived


@dataclass(frozen=True)
class Row:
    """One record with what is derived for the as-of date: what a CSV row, an API fact or an index item is made from."""

    collection: str
    id: str
    record: Any
    derived: Derived


Column = tuple[str, Callable[[Row], Any]]


def _field(name: str) -> Column:
    return (name, attrgetter(f"record.{name}"))


def _no_minerals(_record_id: str, _record: Any) -> set[str]:
    return set()


def _no_facts(_row: Row) -> dict[str, Any]:
    return {}


def series_values(series: ProductionSeries | None) -> list[SeriesValueOut]:
    """A mineral's production series as the API gives it: one entry per area, year and edition."""
    if series is None:
        return []
    return [
        SeriesValueOut(
            area=area,
            year=year,
            edition=v.edition,
            value=v.figure.value,
            number=v.figure.number,
            unit=v.figure.unit,
            estimated=v.figure.estimated,
            newest=v.newest,
            observations=urls.api_document("observations", v.figure_set),
            line=v.figure.line,
        )
        for area, by_year in series.rows
        for year, values in sorted(by_year.items())
        for v in values
    ]


def page_of(collection: str, record_id: str, derived: Derived) -> str | None:
    """The page a record's API document and CSV row link to: its own, or the mineral page that shows it, or none."""
    if COLLECTIONS[collection].pages:
        return urls.page_url(collection, record_id)
    shown_on = derived.figures_shown_on.get(record_id) if collection == "observations" else None
    return urls.page_url("minerals", shown_on) if shown_on else None


# Columns every CSV file ends with, after the collection's own.
COMMON_COLUMNS: tuple[Column, ...] = (
    _field("verification"),
    _field("sources"),
    _field("last_verified"),
    ("page", lambda row: page_of(row.collection, row.id, row.derived)),
)


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
    facts: Callable[[Row], dict[str, Any]] = _no_facts  # the API document's `derived`, less review_overdue
    facts_model: type[DerivedOut] = DerivedOut
    item: Callable[[Row], dict[str, Any]] = _no_facts  # the index item's fields beyond IndexItem's
    item_model: type[IndexItem] = IndexItem
    pages: bool = True  # a page per record and an index; without, only the API and the CSV file
    imported: bool = False  # written by an importer, never by hand: `atlas new` does not offer it

    @property
    def page_template(self) -> str:
        return f"{self.singular}.md.j2"

    @property
    def index_template(self) -> str:
        return f"{self.name}_index.md.j2"

    @property
    def csv_columns(self) -> tuple[Column, ...]:
        return (("id", attrgetter("id")), *self.columns, *COMMON_COLUMNS)


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


def policy_reference(policy_id: str, derived: Derived) -> PolicyReference:
    """A measure's status as of the date, with the clauses whose status differs."""
    return PolicyReference(
        id=policy_id,
        status=StatusOut.of(derived.policy_status[policy_id]),
        suspended_clauses=[
            ClauseStatusOut(id=clause_id, status=StatusOut.of(derived.clause_status[(policy_id, clause_id)]))
            for clause_id in derived.suspended_clauses.get(policy_id, [])
        ],
    )


def policy_minerals(policy: Policy) -> set[str]:
    return {*policy.minerals, *(m for c in policy.clauses for m in c.minerals)}


def _policy_facts(row: Row) -> dict[str, Any]:
    policy: Policy = row.record
    derived = row.derived
    return {
        "answer": derived.answers[("policies", row.id)],
        "status": StatusOut.of(derived.policy_status[row.id]),
        "clauses": [
            ClauseStatusOut(id=c.id, status=StatusOut.of(derived.clause_status[(row.id, c.id)])) for c in policy.clauses
        ],
        "acted_on_by": [
            ActingOut(
                policy=a.by, type=a.relation.type, clause=a.relation.clause, start=a.relation.start, end=a.relation.end
            )
            for a in derived.acted_on_by.get(row.id, [])
        ],
        "listed_minerals": derived.lists_by_policy.get(row.id, []),
        "supported_projects": derived.projects_by_policy.get(row.id, []),
    }


def _status(attribute: str) -> Callable[[Row], Any]:
    return lambda row: getattr(row.derived.policy_status[row.id], attribute)


register(
    Collection(
        name="minerals",
        singular="mineral",
        model=Mineral,
        display_name=attrgetter("name"),
        minerals_of=lambda record_id, _record: {record_id},
        in_feeds=True,
        feed_per_record=True,
        columns=(
            *map(_field, ("name", "symbol", "atomic_number", "aliases", "summary")),
            ("lists", lambda row: sorted({m.policy for m in row.record.lists})),
            ("policies", lambda row: row.derived.policies_by_mineral.get(row.id, [])),
            ("projects", lambda row: row.derived.projects_by_mineral.get(row.id, [])),
        ),
        facts=lambda row: {
            "answer": row.derived.answers[("minerals", row.id)],
            "policies": [policy_reference(p, row.derived) for p in row.derived.policies_by_mineral.get(row.id, [])],
            "projects": row.derived.projects_by_mineral.get(row.id, []),
            "events": row.derived.events_by_mineral.get(row.id, []),
            "production_series": series_values(row.derived.series.get(row.id)),
        },
        facts_model=MineralDerived,
        item=lambda row: {"symbol": row.record.symbol},
        item_model=MineralItem,
    )
)
register(
    Collection(
        name="policies",
        singular="policy",
        model=Policy,
        display_name=lambda policy: policy.short_title or policy.document_number,
        minerals_of=lambda _id, policy: policy_minerals(policy),
        in_feeds=True,
        columns=(
            *map(
                _field,
                ("document_number", "short_title", "title", "jurisdiction", "authorities", "instrument"),
            ),
            *map(_field, ("minerals", "targets", "summary")),
            *((name, attrgetter(f"record.dates.{name}")) for name in ("announced", "effective", "expires", "revoked")),
            ("status_as_of", attrgetter("derived.today")),
            ("status", _status("status")),
            ("status_label", lambda row: row.derived.policy_status[row.id].status.label),
            ("status_since", _status("since")),
            ("status_until", _status("until")),
            ("status_by", _status("by")),
            ("status_basis", _status("basis")),
            ("status_checked_through", _status("checked_through")),
            ("suspended_clauses", lambda row: row.derived.suspended_clauses.get(row.id, [])),
        ),
        facts=_policy_facts,
        facts_model=PolicyDerived,
        item=lambda row: {
            "jurisdiction": row.record.jurisdiction,
            "instrument": row.record.instrument,
            "minerals": row.record.minerals,
            "status": StatusOut.of(row.derived.policy_status[row.id]),
        },
        item_model=PolicyItem,
    )
)
register(
    Collection(
        name="projects",
        singular="project",
        model=Project,
        display_name=attrgetter("name"),
        minerals_of=lambda _id, project: set(project.minerals),
        in_feeds=True,
        columns=(
            _field("name"),
            ("operator", attrgetter("record.operator.name")),
            ("tickers", attrgetter("record.operator.tickers")),
            ("country", attrgetter("record.location.country")),
            ("region", attrgetter("record.location.region")),
            ("district", attrgetter("record.location.district")),
            ("lat", lambda row: row.record.location.coordinates.lat if row.record.location.coordinates else None),
            ("lon", lambda row: row.record.location.coordinates.lon if row.record.location.coordinates else None),
            *map(_field, ("minerals", "stage", "summary")),
        ),
        facts=lambda row: {
            "policies": [
                policy_reference(p, row.derived) for p in sorted({s.policy for s in row.record.support if s.policy})
            ]
        },
        facts_model=ProjectDerived,
        item=lambda row: {
            "country": row.record.location.country,
            "stage": row.record.stage,
            "minerals": row.record.minerals,
        },
        item_model=ProjectItem,
    )
)
register(
    Collection(
        name="sources",
        singular="source",
        model=Source,
        display_name=attrgetter("title"),
        columns=(
            *map(_field, ("title", "publisher", "url", "published", "accessed", "kind", "note")),
            ("cited_by", lambda row: [f"{c}/{i}" for c, i in row.derived.cited_by.get(row.id, [])]),
        ),
        facts=lambda row: {
            "cited_by": [CitingOut(collection=c, id=i) for c, i in row.derived.cited_by.get(row.id, [])]
        },
        facts_model=SourceDerived,
        item=lambda row: {"publisher": row.record.publisher, "kind": row.record.kind},
        item_model=SourceItem,
    )
)
register(
    Collection(
        name="events",
        singular="event",
        model=Event,
        display_name=attrgetter("title"),
        minerals_of=lambda _id, event: set(event.minerals),
        in_feeds=True,
        columns=tuple(
            map(_field, ("title", "date", "end_date", "location", "country", "minerals", "policies", "summary"))
        ),
        facts=lambda row: {"policies": [policy_reference(p, row.derived) for p in row.record.policies]},
        facts_model=EventDerived,
        item=lambda row: {"date": row.record.date},
        item_model=EventItem,
    )
)
register(
    Collection(
        name="observations",
        singular="figure set",
        model=FigureSet,
        display_name=lambda figures: f"{figures.edition}: {figures.chapter.title()}",
        columns=(
            *map(_field, ("edition", "chapter", "critical")),
            ("figures", lambda row: sum(len(s.figures) for s in row.record.sections)),
        ),
        pages=False,
        imported=True,
    )
)
