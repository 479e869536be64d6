"""Typed output models of the JSON API: what the site computes, as published; the API's JSON Schema comes from them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from ..core.models import Instrument, ProjectStage, RelationType, SourceKind
from . import wording
from .status import StatusAt
from .wording import Basis, Status

# A day as published: YYYY-MM-DD (the schema says so with a pattern, which validators check without format support).
Day = Annotated[dt.date, WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]


class Output(BaseModel):
    """Base of every output model: no other keys, and every key present (null when not known)."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_serialization_defaults_required=True)


class StatusOut(Output):
    """A status on the as-of date, with the dates that bound it (inclusive; null when open)."""

    status: Status
    label: str
    since: Day | None
    until: Day | None
    by: str | None = Field(description="The policy that suspends or supersedes it, if one does.")
    basis: Basis = Field(description=wording.basis_meanings())
    checked_through: Day | None = Field(
        description="The newest source day confirming this status (for `reported`, the newest report); null if none."
    )
    reported_through: Day | None = Field(
        default=None,
        description="The newest secondary report of a confirmed status, where newer than the confirmation.",
    )
    reported: StatusOut | None = Field(
        default=None,
        description="Where `basis` is `unclear`: the status secondary reporting gives for the day, which the "
        "measures' own terms contradict.",
    )

    @classmethod
    def of(cls, status: StatusAt) -> StatusOut:
        return cls(
            status=status.status,
            label=status.status.label,
            since=status.since,
            until=status.until,
            by=status.by,
            basis=status.basis,
            checked_through=status.checked_through,
            reported_through=status.reported_through,
            reported=cls.of(status.reported) if status.reported else None,
        )


class ClauseStatusOut(Output):
    id: str
    status: StatusOut


class PolicyReference(Output):
    """A measure with its status as of the date, and the clauses whose status differs."""

    id: str
    status: StatusOut
    suspended_clauses: list[ClauseStatusOut]


class ActingOut(Output):
    policy: str
    type: RelationType
    clause: str | None
    start: Day
    end: Day | None


class CitingOut(Output):
    collection: str
    id: str


class DerivedOut(Output):
    """Computed by the site from this and other records for the date `generated_at`."""

    review_due: bool = Field(
        default=False,
        description="More than the record's review interval since a person last checked it (last_verified).",
    )
    knowledge_stale: bool = Field(
        default=False,
        description="More than the record's review interval since the newest material its facts were checked against "
        "(research_cutoff): the facts may be out of date. Always false for sources.",
    )


class SeriesValueOut(Output):
    """One edition's production figure for an area and a year."""

    area: str = Field(description="ISO 3166-1 alpha-2 code, or the group as USGS names it ('World total').")
    year: str
    edition: str = Field(description="The edition the figure comes from, e.g. 'MCS 2024'.")
    value: str = Field(description="The value token exactly as the edition prints it.")
    number: float | None
    unit: str
    estimated: bool
    newest: bool = Field(description="The newest edition that gives this year; false where a later edition gives it.")
    observations: str = Field(description="The figure set it comes from, as a path from the site root.")
    line: int = Field(description="The line of the release file it comes from.")


class MineralDerived(DerivedOut):
    answer: str = Field(description="Where trade in the mineral stands on `generated_at`, in words.")
    policies: list[PolicyReference]
    projects: list[str]
    events: list[str]
    production_series: list[SeriesValueOut] = Field(
        default_factory=list,
        description="Production by country over every year the imported editions cover, each value with its edition.",
    )


class PolicyDerived(DerivedOut):
    answer: str = Field(description="Where the measure stands on `generated_at`, in words.")
    status: StatusOut
    clauses: list[ClauseStatusOut]
    acted_on_by: list[ActingOut]
    listed_minerals: list[str]
    supported_projects: list[str]


class ProjectDerived(DerivedOut):
    policies: list[PolicyReference]


class SourceDerived(DerivedOut):
    cited_by: list[CitingOut]


class EventDerived(DerivedOut):
    policies: list[PolicyReference]


class IndexItem(Output):
    """The summary of one record in its collection's index.json."""

    id: str
    name: str
    last_verified: Day
    page: str | None = Field(
        description="The record's page, as a path from the site root; for a figure set, the mineral page that "
        "shows it, or null when no page does."
    )
    document: str = Field(description="The record's full document, as a path from the site root.")


class MineralItem(IndexItem):
    symbol: str | None


class PolicyItem(IndexItem):
    jurisdiction: str
    instrument: Instrument
    minerals: list[str]
    status: StatusOut


class ProjectItem(IndexItem):
    country: str
    stage: ProjectStage | None
    minerals: list[str]


class SourceItem(IndexItem):
    publisher: str
    kind: SourceKind


class EventItem(IndexItem):
    date: Day


class RepublishedOut(Output):
    what: str
    terms: str
    sources: list[str] = Field(description="The source records of what is republished, under api/v1/sources/.")


class LicenceOut(Output):
    """The terms on which the atlas's text and data may be reused, and those of what it republishes."""

    spdx: str = Field(description="SPDX identifier of the licence of the atlas's own text and data: CC-BY-4.0.")
    name: str
    url: str
    attribution: str = Field(description="Credit a reuse gives, with the sources each record cites.")
    republished: list[RepublishedOut]
    sources: str = Field(description="The terms of the documents cited as sources.")
