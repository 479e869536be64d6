"""The containers every stage passes on: the valid records (`Dataset`) and what is derived from them (`Derived`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from ..core.concentration import Concentration, ProductionSeries, Share
from ..core.models import (
    Event,
    FigureSet,
    Mineral,
    Observation,
    PartialDate,
    Policy,
    Project,
    Record,
    Relation,
    RelationType,
    Source,
)
from ..core.references import References
from .clocks import Overdue
from .status import PolicyTimeline, StatusAt


@dataclass
class Dataset:
    """Every valid record, by collection and id, with the file each came from."""

    records: dict[str, dict[str, Record]] = field(default_factory=dict)  # every collection, empty ones included
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    # Who refers to whom, gathered while references are checked.
    references: References = field(default_factory=References)

    @classmethod
    def of_collections(cls, names: list[str]) -> Dataset:
        return cls(records={name: {} for name in names})

    def get(self, collection: str) -> dict[str, Any]:
        return self.records[collection]

    @property
    def minerals(self) -> dict[str, Mineral]:
        return cast(dict[str, Mineral], self.records[Mineral.collection])

    @property
    def policies(self) -> dict[str, Policy]:
        return cast(dict[str, Policy], self.records[Policy.collection])

    @property
    def projects(self) -> dict[str, Project]:
        return cast(dict[str, Project], self.records[Project.collection])

    @property
    def sources(self) -> dict[str, Source]:
        return cast(dict[str, Source], self.records[Source.collection])

    @property
    def events(self) -> dict[str, Event]:
        return cast(dict[str, Event], self.records[Event.collection])

    @property
    def figure_sets(self) -> dict[str, FigureSet]:
        return cast(dict[str, FigureSet], self.records[FigureSet.collection])

    def count(self) -> int:
        return sum(len(records) for records in self.records.values())


@dataclass(frozen=True)
class TimelineEntry:
    """One dated happening, linked to the record it belongs to."""

    date: str  # ISO date, or YYYY-MM / YYYY when only that is known
    collection: str
    record_id: str
    kind: str  # what happened, e.g. "takes effect", "suspension ends", "milestone"
    text: str
    minerals: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return PartialDate(self.date).sort_key


# The relations through which a measure reaches the minerals of the measure it acts on. A list superseding
# another does not reach the minerals the older list names.
REACHING = frozenset({RelationType.suspends, RelationType.amends})


@dataclass(frozen=True)
class Acting:
    """Another policy acting on this one."""

    by: str
    relation: Relation


@dataclass
class CountryFacts:
    """What the atlas records about one country (or group such as the EU), gathered from every record."""

    code: str
    # Its rows in the production tables of the world, by what the row says: (mineral, table, row, its computed share).
    produces: list[tuple[str, Concentration, Observation, Share | None]] = field(default_factory=list)
    withholds: list[tuple[str, Concentration, Observation]] = field(default_factory=list)  # "W"
    not_reported: list[tuple[str, Concentration, Observation]] = field(default_factory=list)  # "NA"
    imposes: list[str] = field(default_factory=list)  # measures of its own
    targeted_by: list[str] = field(default_factory=list)  # measures that name it among their targets
    projects: list[str] = field(default_factory=list)


@dataclass
class Derived:
    """Everything computed from the records and the as-of date."""

    today: dt.date
    soon_days: int = 30  # how far ahead "changing soon" looks
    timelines: dict[str, PolicyTimeline] = field(default_factory=dict)
    policy_status: dict[str, StatusAt] = field(default_factory=dict)
    clause_status: dict[tuple[str, str], StatusAt] = field(default_factory=dict)
    suspended_clauses: dict[str, list[str]] = field(default_factory=dict)
    # Who refers to whom; the backlinks below are questions put to it.
    references: References = field(default_factory=References)
    acted_on_by: dict[str, list[Acting]] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)
    changing_soon: list[tuple[str, str | None]] = field(default_factory=list)
    # The two clocks (clocks.py), by (collection, id) of the records past their interval.
    review_due: dict[tuple[str, str], Overdue] = field(default_factory=dict)
    knowledge_stale: dict[tuple[str, str], Overdue] = field(default_factory=dict)
    # Supply concentration by mineral, from its imported world tables; facts by country code.
    concentrations: dict[str, list[Concentration]] = field(default_factory=dict)
    countries: dict[str, CountryFacts] = field(default_factory=dict)
    # Production by country over every edition imported, by mineral.
    series: dict[str, ProductionSeries] = field(default_factory=dict)
    # Every figure set a mineral's page draws on: its own, then the earlier editions of the same chapters.
    figure_sets_of: dict[str, list[str]] = field(default_factory=dict)
    # The mineral page that shows each imported figure set (figure sets have no page of their own).
    figures_shown_on: dict[str, str] = field(default_factory=dict)
    # Where things stand, in words: by (collection, id) for measures and minerals, and for the whole site.
    answers: dict[tuple[str, str], str] = field(default_factory=dict)
    site_answer: str = ""

    def measures_of(self, mineral_id: str) -> list[str]:
        """The measures reaching a mineral: those naming it, the lists its record says it is on, and the measures
        that suspend or amend any of these (No. 70 reaches the rare earths through Nos. 61 and 62)."""
        found = set(self.references.linked(Mineral.collection, mineral_id, Policy.collection))
        frontier = list(found)
        while frontier:
            for acting in self.acted_on_by.get(frontier.pop(), []):
                if acting.relation.type in REACHING and acting.by not in found:
                    found.add(acting.by)
                    frontier.append(acting.by)
        return sorted(found)

    def projects_of(self, mineral_id: str) -> list[str]:
        return self._referring(Mineral.collection, mineral_id, Project.collection)

    def events_of(self, mineral_id: str) -> list[str]:
        return self._referring(Mineral.collection, mineral_id, Event.collection)

    def minerals_listed_by(self, policy_id: str) -> list[str]:
        """The minerals whose records say they are on a list."""
        return self._referring(Policy.collection, policy_id, Mineral.collection)

    def projects_supported_by(self, policy_id: str) -> list[str]:
        """The projects a measure funds or designates: those it names, and those whose records name it."""
        return self.references.linked(Policy.collection, policy_id, Project.collection)

    def funding_of(self, project_id: str) -> list[str]:
        """The measures that fund or designate a project: those naming it, and those its record names."""
        return self.references.linked(Project.collection, project_id, Policy.collection)

    def cited_by(self, source_id: str) -> list[tuple[str, str]]:
        """Every record citing a source, by (collection, id)."""
        return self.references.referring(Source.collection, source_id)

    def _referring(self, collection: str, record_id: str, by: str) -> list[str]:
        return [i for _, i in self.references.referring(collection, record_id, by)]

    def is_past(self, entry: TimelineEntry) -> bool:
        return PartialDate(entry.date).sort_key <= (self.today.year, self.today.month, self.today.day)

    def status_of(self, policy_id: str, clause_id: str | None = None) -> StatusAt:
        return self.clause_status[(policy_id, clause_id)] if clause_id else self.policy_status[policy_id]
