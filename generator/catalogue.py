"""The collections the atlas publishes, each declared once: model, names, page side, exports, navigation.

Each `register(Collection(...))` below is the whole of what the stages know about a collection.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from .core import urls
from .core.concentration import ProductionSeries
from .core.models import Event, FigureSet, Mineral, Policy, Project, Source
from .records.dataset import Derived
from .records.outputs import (
    ActingOut,
    CitingOut,
    ClauseStatusOut,
    EventDerived,
    EventItem,
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
from .records.registry import Collection, Row, field_column, register
from .records.status import StatusAt
from .render import contexts


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
            observations=urls.api_document(FigureSet.collection, v.figure_set),
            line=v.figure.line,
        )
        for area, by_year in series.rows
        for year, values in sorted(by_year.items())
        for v in values
    ]


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


def _policy_facts(row: Row) -> dict[str, Any]:
    policy: Policy = row.record
    derived: Derived = row.derived
    return {
        "answer": derived.answers[(Policy.collection, row.id)],
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
        "listed_minerals": derived.minerals_listed_by(row.id),
        "supported_projects": derived.projects_supported_by(row.id),
    }


def _reported(status: StatusAt, attribute: str) -> Any:
    """What secondary reporting gives for the day where the measures' own terms say otherwise: its status, its end."""
    return getattr(status.reported, attribute) if status.reported else None


def _status(attribute: str) -> Callable[[Row], Any]:
    return lambda row: getattr(row.derived.policy_status[row.id], attribute)


register(
    Collection(
        name=Mineral.collection,
        singular="mineral",
        model=Mineral,
        display_name=attrgetter("name"),
        minerals_of=lambda record_id, _record: {record_id},
        in_feeds=True,
        feed_per_record=True,
        columns=(
            *map(field_column, ("name", "symbol", "atomic_number", "aliases", "summary")),
            ("lists", lambda row: sorted({m.policy for m in row.record.lists})),
            ("policies", lambda row: row.derived.measures_of(row.id)),
            ("projects", lambda row: row.derived.projects_of(row.id)),
        ),
        facts=lambda row: {
            "answer": row.derived.answers[(Mineral.collection, row.id)],
            "policies": [policy_reference(p, row.derived) for p in row.derived.measures_of(row.id)],
            "projects": row.derived.projects_of(row.id),
            "events": row.derived.events_of(row.id),
            "production_series": series_values(row.derived.series.get(row.id)),
        },
        facts_model=MineralDerived,
        item=lambda row: {"symbol": row.record.symbol},
        item_model=MineralItem,
        context=contexts.mineral_page,
        search=contexts.mineral_search,
        index_rows=contexts.mineral_rows,
        description="Every critical mineral in the atlas, with the measures that govern its trade and the "
        "concentration of its production.",
        nav_position=10,
    )
)
register(
    Collection(
        name=Policy.collection,
        singular="policy",
        model=Policy,
        display_name=lambda policy: policy.short_title or policy.document_number,
        minerals_of=lambda _id, policy: policy.covered_minerals(),
        in_feeds=True,
        columns=(
            *map(
                field_column,
                ("document_number", "short_title", "title", "jurisdiction", "authorities", "instrument"),
            ),
            *map(field_column, ("minerals", "targets", "summary")),
            *((name, attrgetter(f"record.dates.{name}")) for name in ("announced", "effective", "expires", "revoked")),
            ("status_as_of", attrgetter("derived.today")),
            ("status", _status("status")),
            ("status_label", lambda row: row.derived.policy_status[row.id].status.label),
            ("status_since", _status("since")),
            ("status_until", _status("until")),
            ("status_by", _status("by")),
            ("status_basis", _status("basis")),
            ("status_checked_through", _status("checked_through")),
            ("status_reported_through", _status("reported_through")),
            ("status_reported", lambda row: _reported(row.derived.policy_status[row.id], "status")),
            ("status_reported_until", lambda row: _reported(row.derived.policy_status[row.id], "until")),
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
        context=contexts.policy_page,
        search=contexts.policy_search,
        index_rows=contexts.measure_rows,
        description="Export controls, laws, critical-mineral lists and funding awards, with their status "
        "as of the build date.",
        nav_position=20,
    )
)
register(
    Collection(
        name=Project.collection,
        singular="project",
        model=Project,
        display_name=attrgetter("name"),
        minerals_of=lambda _id, project: set(project.minerals),
        in_feeds=True,
        columns=(
            field_column("name"),
            ("operator", attrgetter("record.operator.name")),
            ("tickers", attrgetter("record.operator.tickers")),
            ("country", attrgetter("record.location.country")),
            ("region", attrgetter("record.location.region")),
            ("district", attrgetter("record.location.district")),
            ("lat", lambda row: row.record.location.coordinates.lat if row.record.location.coordinates else None),
            ("lon", lambda row: row.record.location.coordinates.lon if row.record.location.coordinates else None),
            *map(field_column, ("minerals", "stage", "summary")),
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
        context=contexts.project_page,
        search=contexts.project_search,
        description="Mines and prospects that could add supply of critical minerals outside China, with their stage.",
        nav_position=30,
    )
)
register(
    Collection(
        name=Source.collection,
        singular="source",
        model=Source,
        display_name=attrgetter("title"),
        columns=(
            *map(field_column, ("title", "publisher", "url", "published", "accessed", "kind", "note")),
            ("cited_by", lambda row: [f"{c}/{i}" for c, i in row.derived.cited_by(row.id)]),
        ),
        facts=lambda row: {"cited_by": [CitingOut(collection=c, id=i) for c, i in row.derived.cited_by(row.id)]},
        facts_model=SourceDerived,
        item=lambda row: {"publisher": row.record.publisher, "kind": row.record.kind},
        item_model=SourceItem,
        context=contexts.source_page,
        description="Every source the atlas cites: official texts, reproductions and secondary reporting.",
        nav_position=70,
    )
)
register(
    Collection(
        name=Event.collection,
        singular="event",
        model=Event,
        display_name=attrgetter("title"),
        minerals_of=lambda _id, event: set(event.minerals),
        in_feeds=True,
        columns=tuple(
            map(field_column, ("title", "date", "end_date", "location", "country", "minerals", "policies", "summary"))
        ),
        facts=lambda row: {"policies": [policy_reference(p, row.derived) for p in row.record.policies]},
        facts_model=EventDerived,
        item=lambda row: {"date": row.record.date},
        item_model=EventItem,
        search=contexts.event_search,
        index_rows=contexts.event_rows,
        description="Talks, meetings and announcements about critical minerals that are not measures themselves.",
        nav_position=60,
    )
)
register(
    Collection(
        name=FigureSet.collection,
        singular="figure set",
        model=FigureSet,
        display_name=lambda figures: f"{figures.edition}: {figures.chapter.title()}",
        columns=(
            *map(field_column, ("edition", "chapter", "critical")),
            ("figures", lambda row: sum(len(s.figures) for s in row.record.sections)),
        ),
        pages=False,
        imported=True,
    )
)
