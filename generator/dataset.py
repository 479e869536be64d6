"""The containers every stage passes on: the valid records (`Dataset`) and what is derived from them (`Derived`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from .concentration import Concentration, ProductionSeries, Share
from .models import Event, FigureSet, Mineral, Observation, PartialDate, Policy, Project, Record, Relation, Source
from .registry import COLLECTIONS
from .status import PolicyTimeline, StatusAt


@dataclass
class Dataset:
    """Every valid record, by collection and id, with the file each came from."""

    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {name: {} for name in COLLECTIONS})
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    # Which records cite each source, gathered while references are checked.
    cited_by: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    def get(self, collection: str) -> dict[str, Any]:
        return self.records[collection]

    @property
    def minerals(self) -> dict[str, Mineral]:
        return cast(dict[str, Mineral], self.records["minerals"])

    @property
    def policies(self) -> dict[str, Policy]:
        return cast(dict[str, Policy], self.records["policies"])

    @property
    def projects(self) -> dict[str, Project]:
        return cast(dict[str, Project], self.records["projects"])

    @property
    def sources(self) -> dict[str, Source]:
        return cast(dict[str, Source], self.records["sources"])

    @property
    def events(self) -> dict[str, Event]:
        return cast(dict[str, Event], self.records["events"])

    @property
    def figure_sets(self) -> dict[str, FigureSet]:
        return cast(dict[str, FigureSet], self.records["observations"])

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
    policies_by_mineral: dict[str, list[str]] = field(default_factory=dict)
    projects_by_mineral: dict[str, list[str]] = field(default_factory=dict)
    events_by_mineral: dict[str, list[str]] = field(default_factory=dict)
    lists_by_policy: dict[str, list[str]] = field(default_factory=dict)
    acted_on_by: dict[str, list[Acting]] = field(default_factory=dict)
    projects_by_policy: dict[str, list[str]] = field(default_factory=dict)
    cited_by: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)
    changing_soon: list[tuple[str, str | None]] = field(default_factory=list)
    stale: set[tuple[str, str]] = field(default_factory=set)
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

    def is_past(self, entry: TimelineEntry) -> bool:
        return PartialDate(entry.date).sort_key <= (self.today.year, self.today.month, self.today.day)

    def status_of(self, policy_id: str, clause_id: str | None = None) -> StatusAt:
        return self.clause_status[(policy_id, clause_id)] if clause_id else self.policy_status[policy_id]
