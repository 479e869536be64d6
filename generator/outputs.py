"""Typed output models of the JSON API: what the site computes, as published; the API's JSON Schema comes from them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from .models import Instrument, ProjectStage, RelationType, SourceKind
from .status import Status, StatusAt

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
    by: str | None = Field(description="The suspending policy, when suspended.")

    @classmethod
    def of(cls, status: StatusAt) -> StatusOut:
        return cls(
            status=status.status, label=status.status.label, since=status.since, until=status.until, by=status.by
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

    review_overdue: bool = False


class MineralDerived(DerivedOut):
    policies: list[PolicyReference]
    projects: list[str]
    events: list[str]


class PolicyDerived(DerivedOut):
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
    page: str = Field(description="The record's page, as a path from the site root.")
    document: str = Field(description="The record's full document, as a path from the site root.")


class MineralItem(IndexItem):
    symbol: str


class PolicyItem(IndexItem):
    jurisdiction: str
    instrument: Instrument
    minerals: list[str]
    status: StatusOut


class ProjectItem(IndexItem):
    country: str
    stage: ProjectStage
    minerals: list[str]


class SourceItem(IndexItem):
    publisher: str
    kind: SourceKind


class EventItem(IndexItem):
    date: Day
