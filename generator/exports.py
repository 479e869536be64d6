"""Exports stage: machine-readable twins of the site (JSON API, CSV, feeds, calendar).

Every file depends only on the records and the as-of date (`derived.today`), never on the
clock, so two builds of the same data for the same date are byte-identical. Links point into
the site by paths relative to the site root (the feeds resolve them against their own address)
unless ATLAS_SITE_URL names where the site is published.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import icalendar
from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]
from pydantic.json_schema import models_json_schema

from .derive import ONE_DAY, Derived, Status, StatusAt, Suspension, clause_status, policy_status
from .exceptions import BuildError
from .models import COLLECTIONS, Event, Mineral, Policy, Project, Record, RelationType, Source, display_name
from .render import PAGE_OF, date_long
from .schemas import SCHEMA_DIALECT
from .validate import SINGULAR, Dataset
from .write import OutputFile

SCHEMA_VERSION = "1.0"
API_ROOT = "api/v1"
SITE_NAME = "Critical Minerals Atlas"
# RFC 4151 tag URIs: stable ids that claim no web address.
TAG_PREFIX = "tag:critical-minerals-atlas,2025:"
UID_DOMAIN = "critical-minerals-atlas"
LIST_SEPARATOR = "; "
WORLD = "WORLD"
# A byte-order mark makes Excel read the files as UTF-8; csv readers take it off with "utf-8-sig".
CSV_BOM = "\ufeff"
FEED_COLLECTIONS = ("minerals", "policies", "projects", "events")
# The newest entries per feed; a feed reader needs recent changes, the JSON API holds everything.
FEED_LENGTH = 100
# The calendar is for what is coming; it keeps two years of the past for context.
CALENDAR_PAST_DAYS = 730
PRODUCTION_COLUMNS = (
    "mineral",
    "country",
    "year",
    "stage",
    "scope",
    "value",
    "unit",
    "share",
    "estimated",
    "source",
    "note",
    "producing_countries",
)

Json = dict[str, Any]


def export_files(dataset: Dataset, derived: Derived) -> list[OutputFile]:
    """Return every export file, by its path in the docs folder."""
    site_url = _site_url()
    changes = _status_changes(dataset, derived)
    files = [
        *_json_documents(dataset, derived),
        _json_schema(),
        *_csv_downloads(dataset, derived),
        *_atom_feeds(dataset, derived, changes, site_url),
        _calendar(dataset, derived, changes, site_url),
    ]
    return sorted(files, key=lambda f: f.path)


# Shared helpers


def _site_url() -> str | None:
    """Return ATLAS_SITE_URL with a trailing slash, or None when it is not set."""
    url = os.environ.get("ATLAS_SITE_URL", "").strip()
    if not url:
        return None
    if not re.match(r"^https?://[^\s/?#]+[^\s]*$", url):
        raise BuildError(f"ATLAS_SITE_URL '{url}' is not an http(s) address")
    return url if url.endswith("/") else url + "/"


def _page_path(collection: str, record_id: str) -> str:
    """Return the path of a record's page from the site root, as MkDocs publishes it."""
    return _directory_url(PAGE_OF[collection].format(id=record_id))


def _directory_url(markdown_path: str) -> str:
    stem = markdown_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _document_path(collection: str, record_id: str) -> str:
    return f"{API_ROOT}/{collection}/{record_id}.json"


def _minerals_of(record_id: str, record: Record) -> set[str]:
    """Return the minerals a record is about."""
    if isinstance(record, Mineral):
        return {record_id}
    if isinstance(record, Policy):
        return {*record.minerals, *(m for c in record.clauses for m in c.minerals)}
    if isinstance(record, Project | Event):
        return set(record.minerals)
    return set()


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _status_json(status: StatusAt) -> Json:
    return {
        "status": status.status.value,
        "label": status.status.label,
        "since": _iso(status.since),
        "until": _iso(status.until),
        "by": status.by,
    }


def _policy_reference(policy_id: str, derived: Derived) -> Json:
    """Return a policy's status as of the date, with the clauses whose status differs."""
    return {
        "id": policy_id,
        "status": _status_json(derived.policy_status[policy_id]),
        "suspended_clauses": [
            {"id": clause_id, "status": _status_json(derived.clause_status[(policy_id, clause_id)])}
            for clause_id in derived.suspended_clauses.get(policy_id, [])
        ],
    }


# Status changes, shared by the Atom feeds and the calendar


@dataclass(frozen=True)
class _StatusChange:
    """A measure or one clause of it changing status; `day` is the first day of the new status."""

    day: dt.date
    policy_id: str
    clause_id: str | None
    before: StatusAt
    after: StatusAt

    @property
    def key(self) -> str:
        clause = f"/clauses/{self.clause_id}" if self.clause_id else ""
        return f"policies/{self.policy_id}{clause}/status/{self.day.isoformat()}"


def _status_changes(dataset: Dataset, derived: Derived) -> list[_StatusChange]:
    """Return every change of status of every measure and clause, oldest first."""
    changes: list[_StatusChange] = []
    policy: Policy
    for policy_id, policy in dataset.get("policies").items():
        suspensions = sorted(
            (
                Suspension(a.by, a.relation.clause, a.relation.start, a.relation.end)
                for a in derived.acted_on_by.get(policy_id, [])
                if a.relation.type is RelationType.suspends
            ),
            key=lambda s: (s.start, s.by),
        )
        for day in _turning_points(policy, suspensions):
            whole_before = policy_status(policy, suspensions, day - ONE_DAY)
            whole_after = policy_status(policy, suspensions, day)
            whole = (_status_key(whole_before), _status_key(whole_after))
            if whole[0] != whole[1]:
                changes.append(_StatusChange(day, policy_id, None, whole_before, whole_after))
            for clause in policy.clauses:
                before = clause_status(whole_before, clause.id, suspensions, day - ONE_DAY)
                after = clause_status(whole_after, clause.id, suspensions, day)
                pair = (_status_key(before), _status_key(after))
                if pair[0] != pair[1] and pair != whole:
                    changes.append(_StatusChange(day, policy_id, clause.id, before, after))
    return sorted(changes, key=lambda c: (c.day, c.key))


def _turning_points(policy: Policy, suspensions: list[Suspension]) -> list[dt.date]:
    dates = policy.dates
    days = {dates.effective or dates.announced}
    if dates.expires:
        days.add(dates.expires + ONE_DAY)
    if dates.revoked:
        days.add(dates.revoked)
    for suspension in suspensions:
        days.add(suspension.start)
        if suspension.end:
            days.add(suspension.end + ONE_DAY)
    return sorted(days)


def _status_key(status: StatusAt) -> tuple[Status, str | None]:
    return status.status, status.by


def _change_subject(change: _StatusChange, dataset: Dataset) -> str:
    name = display_name(dataset.get("policies")[change.policy_id])
    return f"clause {change.clause_id} of {name}" if change.clause_id else name


def _change_minerals(change: _StatusChange, dataset: Dataset) -> set[str]:
    policy: Policy = dataset.get("policies")[change.policy_id]
    if change.clause_id is None:
        return _minerals_of(change.policy_id, policy)
    clause = next(c for c in policy.clauses if c.id == change.clause_id)
    return set(clause.minerals or policy.minerals)


def _by_name(status: StatusAt, dataset: Dataset) -> str:
    return display_name(dataset.get("policies")[status.by]) if status.by else "another measure"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


# JSON API


def _json_bytes(document: Json) -> bytes:
    # Compact, so the C encoder does the work; readers' tools pretty-print.
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _json_documents(dataset: Dataset, derived: Derived) -> list[OutputFile]:
    """Return one document per record and one index per collection under api/v1/."""
    files: list[OutputFile] = []
    for collection, records in dataset.records.items():
        derive_facts = _DERIVED_FACTS[collection]
        items: list[Json] = []
        for record_id, record in records.items():
            document = {
                **_document_header(derived),
                "collection": collection,
                "id": record_id,
                "last_verified": record.last_verified.isoformat(),
                "page": _page_path(collection, record_id),
                "record": record.model_dump(mode="json", exclude_none=True, exclude={"id"}),
                "derived": {
                    **derive_facts(record_id, record, derived),
                    "review_overdue": (collection, record_id) in derived.stale,
                },
            }
            files.append(OutputFile(_document_path(collection, record_id), _json_bytes(document)))
            items.append(_index_item(collection, record_id, record, derived))
        index = {**_document_header(derived), "collection": collection, "count": len(items), "items": items}
        files.append(OutputFile(f"{API_ROOT}/{collection}/index.json", _json_bytes(index)))
    return files


def _document_header(derived: Derived) -> Json:
    return {"schema_version": SCHEMA_VERSION, "generated_at": derived.today.isoformat()}


def _index_item(collection: str, record_id: str, record: Record, derived: Derived) -> Json:
    """Return the summary of one record listed in its collection's index.json."""
    item: Json = {
        "id": record_id,
        "name": display_name(record),
        "last_verified": record.last_verified.isoformat(),
        "page": _page_path(collection, record_id),
        "document": _document_path(collection, record_id),
    }
    if isinstance(record, Policy):
        item |= {
            "jurisdiction": record.jurisdiction,
            "instrument": record.instrument.value,
            "minerals": record.minerals,
            "status": _status_json(derived.policy_status[record_id]),
        }
    elif isinstance(record, Project):
        item |= {"country": record.location.country, "stage": record.stage.value, "minerals": record.minerals}
    elif isinstance(record, Source):
        item |= {"publisher": record.publisher, "kind": record.kind.value}
    elif isinstance(record, Event):
        item |= {"date": record.date.isoformat()}
    elif isinstance(record, Mineral):
        item |= {"symbol": record.symbol}
    return item


def _mineral_facts(record_id: str, record: Record, derived: Derived) -> Json:
    return {
        "policies": [_policy_reference(p, derived) for p in derived.policies_by_mineral.get(record_id, [])],
        "projects": derived.projects_by_mineral.get(record_id, []),
        "events": derived.events_by_mineral.get(record_id, []),
    }


def _policy_facts(record_id: str, record: Record, derived: Derived) -> Json:
    assert isinstance(record, Policy)
    return {
        "status": _status_json(derived.policy_status[record_id]),
        "clauses": [
            {"id": c.id, "status": _status_json(derived.clause_status[(record_id, c.id)])} for c in record.clauses
        ],
        "acted_on_by": [
            {
                "policy": a.by,
                "type": a.relation.type.value,
                "clause": a.relation.clause,
                "start": a.relation.start.isoformat(),
                "end": _iso(a.relation.end),
            }
            for a in derived.acted_on_by.get(record_id, [])
        ],
        "listed_minerals": derived.lists_by_policy.get(record_id, []),
        "supported_projects": derived.projects_by_policy.get(record_id, []),
    }


def _project_facts(record_id: str, record: Record, derived: Derived) -> Json:
    assert isinstance(record, Project)
    return {"policies": [_policy_reference(p, derived) for p in sorted({s.policy for s in record.support if s.policy})]}


def _source_facts(record_id: str, record: Record, derived: Derived) -> Json:
    return {"cited_by": [{"collection": c, "id": i} for c, i in derived.cited_by.get(record_id, [])]}


def _event_facts(record_id: str, record: Record, derived: Derived) -> Json:
    assert isinstance(record, Event)
    return {"policies": [_policy_reference(p, derived) for p in record.policies]}


_DERIVED_FACTS: dict[str, Callable[[str, Record, Derived], Json]] = {
    "minerals": _mineral_facts,
    "policies": _policy_facts,
    "projects": _project_facts,
    "sources": _source_facts,
    "events": _event_facts,
}


# JSON Schema of the API documents


def _json_schema() -> OutputFile:
    """Return api/v1/schema.json: every API document, records typed by the same models the build validates with."""
    _, records = models_json_schema(
        [(COLLECTIONS[c], "serialization") for c in sorted(COLLECTIONS)], ref_template="#/$defs/{model}"
    )
    defs: Json = dict(records["$defs"])
    for collection, model in COLLECTIONS.items():
        record_schema = dict(defs[model.__name__])
        # The id is the document's own `id`; records are published without it.
        record_schema["properties"] = {k: v for k, v in record_schema["properties"].items() if k != "id"}
        defs[model.__name__] = record_schema
        defs[f"{collection}_document"] = _document_schema(collection, model.__name__)
        defs[f"{collection}_index"] = _index_schema(collection)
        defs[f"{collection}_derived"] = _DERIVED_SCHEMAS[collection]
    defs |= {"StatusAt": _STATUS_SCHEMA, "PolicyReference": _POLICY_REFERENCE_SCHEMA}
    schema = {
        "$schema": SCHEMA_DIALECT,
        "title": f"{SITE_NAME} API v{SCHEMA_VERSION}: a record document or a collection index",
        "description": "Facts as recorded are under `record`; what the site computes from them for the date "
        "`generated_at` (statuses, backlinks) is under `derived`.",
        "oneOf": [{"$ref": f"#/$defs/{c}_{kind}"} for c in COLLECTIONS for kind in ("document", "index")],
        "$defs": dict(sorted(defs.items())),
    }
    return OutputFile(f"{API_ROOT}/schema.json", _json_bytes(schema))


_ID_SCHEMA: Json = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}
_DATE_SCHEMA: Json = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_OPTIONAL_DATE_SCHEMA: Json = {"anyOf": [_DATE_SCHEMA, {"type": "null"}]}
_IDS_SCHEMA: Json = {"type": "array", "items": _ID_SCHEMA}
_HEADER_SCHEMA: Json = {
    "schema_version": {"const": SCHEMA_VERSION},
    "generated_at": {**_DATE_SCHEMA, "description": "The as-of date: statuses under `derived` hold on this day."},
}
_STATUS_SCHEMA: Json = {
    "type": "object",
    "description": "A status on the as-of date, with the dates that bound it (inclusive; null when open).",
    "additionalProperties": False,
    "required": ["status", "label", "since", "until", "by"],
    "properties": {
        "status": {"enum": [s.value for s in Status]},
        "label": {"enum": [s.label for s in Status]},
        "since": _OPTIONAL_DATE_SCHEMA,
        "until": _OPTIONAL_DATE_SCHEMA,
        "by": {"anyOf": [_ID_SCHEMA, {"type": "null"}], "description": "The suspending policy, when suspended."},
    },
}
_CLAUSE_STATUS_SCHEMA: Json = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "status"],
    "properties": {"id": {"type": "string"}, "status": {"$ref": "#/$defs/StatusAt"}},
}
_POLICY_REFERENCE_SCHEMA: Json = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "status", "suspended_clauses"],
    "properties": {
        "id": _ID_SCHEMA,
        "status": {"$ref": "#/$defs/StatusAt"},
        "suspended_clauses": {"type": "array", "items": _CLAUSE_STATUS_SCHEMA},
    },
}
_POLICY_REFERENCES: Json = {"type": "array", "items": {"$ref": "#/$defs/PolicyReference"}}


def _object_schema(properties: Json) -> Json:
    """Return the schema of an object with exactly these properties, all required."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(properties),
        "properties": properties,
    }


def _derived_schema(properties: Json) -> Json:
    described = {**properties, "review_overdue": {"type": "boolean"}}
    return {
        **_object_schema(described),
        "description": "Computed by the site from this and other records for the date `generated_at`.",
    }


_DERIVED_SCHEMAS: dict[str, Json] = {
    "minerals": _derived_schema({"policies": _POLICY_REFERENCES, "projects": _IDS_SCHEMA, "events": _IDS_SCHEMA}),
    "policies": _derived_schema(
        {
            "status": {"$ref": "#/$defs/StatusAt"},
            "clauses": {"type": "array", "items": _CLAUSE_STATUS_SCHEMA},
            "acted_on_by": {
                "type": "array",
                "items": _object_schema(
                    {
                        "policy": _ID_SCHEMA,
                        "type": {"enum": [t.value for t in RelationType]},
                        "clause": {"type": ["string", "null"]},
                        "start": _DATE_SCHEMA,
                        "end": _OPTIONAL_DATE_SCHEMA,
                    }
                ),
            },
            "listed_minerals": _IDS_SCHEMA,
            "supported_projects": _IDS_SCHEMA,
        }
    ),
    "projects": _derived_schema({"policies": _POLICY_REFERENCES}),
    "sources": _derived_schema(
        {
            "cited_by": {
                "type": "array",
                "items": _object_schema({"collection": {"enum": list(COLLECTIONS)}, "id": _ID_SCHEMA}),
            }
        }
    ),
    "events": _derived_schema({"policies": _POLICY_REFERENCES}),
}

_INDEX_ITEM_EXTRAS: dict[str, Json] = {
    "minerals": {"symbol": {"type": "string"}},
    "policies": {
        "jurisdiction": {"type": "string"},
        "instrument": {"$ref": "#/$defs/Instrument"},
        "minerals": _IDS_SCHEMA,
        "status": {"$ref": "#/$defs/StatusAt"},
    },
    "projects": {"country": {"type": "string"}, "stage": {"$ref": "#/$defs/ProjectStage"}, "minerals": _IDS_SCHEMA},
    "sources": {"publisher": {"type": "string"}, "kind": {"$ref": "#/$defs/SourceKind"}},
    "events": {"date": _DATE_SCHEMA},
}


def _document_schema(collection: str, model_name: str) -> Json:
    return {
        **_object_schema(
            {
                **_HEADER_SCHEMA,
                "collection": {"const": collection},
                "id": _ID_SCHEMA,
                "last_verified": _DATE_SCHEMA,
                "page": {"type": "string", "description": "The record's page, as a path from the site root."},
                "record": {"$ref": f"#/$defs/{model_name}"},
                "derived": {"$ref": f"#/$defs/{collection}_derived"},
            }
        ),
        "title": f"One {SINGULAR[collection]}: {API_ROOT}/{collection}/<id>.json",
    }


def _index_schema(collection: str) -> Json:
    item = _object_schema(
        {
            "id": _ID_SCHEMA,
            "name": {"type": "string"},
            "last_verified": _DATE_SCHEMA,
            "page": {"type": "string"},
            "document": {"type": "string", "pattern": f"^{API_ROOT}/{collection}/[a-z0-9-]+\\.json$"},
            **_INDEX_ITEM_EXTRAS[collection],
        }
    )
    return {
        **_object_schema(
            {
                **_HEADER_SCHEMA,
                "collection": {"const": collection},
                "count": {"type": "integer", "minimum": 0},
                "items": {"type": "array", "items": item},
            }
        ),
        "title": f"Every {SINGULAR[collection]}: {API_ROOT}/{collection}/index.json",
    }


# CSV downloads


def _csv_file(path: str, columns: Iterable[str], rows: Iterable[dict[str, str]]) -> OutputFile:
    """Return a CSV file: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return OutputFile(path, (CSV_BOM + buffer.getvalue()).encode("utf-8"))


def _cell(value: Any) -> str:
    """Format one value for a CSV cell: lists joined with '; ', booleans as true/false, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_cell(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _csv_downloads(dataset: Dataset, derived: Derived) -> list[OutputFile]:
    """Return downloads/<collection>.csv, one row per record, and downloads/production.csv."""
    files = []
    for collection, (columns, row_of) in _CSV_TABLES.items():
        rows = []
        for record_id, record in dataset.get(collection).items():
            common = {
                "id": record_id,
                "verification": record.verification,
                "sources": record.sources,
                "last_verified": record.last_verified,
                "page": _page_path(collection, record_id),
            }
            rows.append({key: _cell(value) for key, value in (common | row_of(record_id, record, derived)).items()})
        files.append(_csv_file(f"downloads/{collection}.csv", columns, rows))
    files.append(_csv_file("downloads/production.csv", PRODUCTION_COLUMNS, _production_rows(dataset)))
    return files


def _mineral_row(record_id: str, record: Any, derived: Derived) -> dict[str, Any]:
    mineral: Mineral = record
    return {
        "name": mineral.name,
        "symbol": mineral.symbol,
        "atomic_number": mineral.atomic_number,
        "aliases": mineral.aliases,
        "summary": mineral.summary,
        "lists": sorted({m.policy for m in mineral.lists}),
        "policies": derived.policies_by_mineral.get(record_id, []),
        "projects": derived.projects_by_mineral.get(record_id, []),
    }


def _policy_row(record_id: str, record: Any, derived: Derived) -> dict[str, Any]:
    policy: Policy = record
    status = derived.policy_status[record_id]
    return {
        "document_number": policy.document_number,
        "short_title": policy.short_title,
        "title": policy.title,
        "jurisdiction": policy.jurisdiction,
        "authorities": policy.authorities,
        "instrument": policy.instrument,
        "minerals": policy.minerals,
        "targets": policy.targets,
        "summary": policy.summary,
        "announced": policy.dates.announced,
        "effective": policy.dates.effective,
        "expires": policy.dates.expires,
        "revoked": policy.dates.revoked,
        "status_as_of": derived.today,
        "status": status.status,
        "status_label": status.status.label,
        "status_since": status.since,
        "status_until": status.until,
        "status_by": status.by,
        "suspended_clauses": derived.suspended_clauses.get(record_id, []),
    }


def _project_row(record_id: str, record: Any, derived: Derived) -> dict[str, Any]:
    project: Project = record
    coordinates = project.location.coordinates
    return {
        "name": project.name,
        "operator": project.operator.name,
        "tickers": project.operator.tickers,
        "country": project.location.country,
        "region": project.location.region,
        "district": project.location.district,
        "lat": coordinates.lat if coordinates else None,
        "lon": coordinates.lon if coordinates else None,
        "minerals": project.minerals,
        "stage": project.stage,
        "summary": project.summary,
    }


def _source_row(record_id: str, record: Any, derived: Derived) -> dict[str, Any]:
    source: Source = record
    return {
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published": source.published,
        "accessed": source.accessed,
        "kind": source.kind,
        "note": source.note,
        "cited_by": [f"{c}/{i}" for c, i in derived.cited_by.get(record_id, [])],
    }


def _event_row(record_id: str, record: Any, derived: Derived) -> dict[str, Any]:
    event: Event = record
    return {
        "title": event.title,
        "date": event.date,
        "end_date": event.end_date,
        "location": event.location,
        "country": event.country,
        "minerals": event.minerals,
        "policies": event.policies,
        "summary": event.summary,
    }


_COMMON_COLUMNS = ("verification", "sources", "last_verified", "page")
_CSV_TABLES: dict[str, tuple[tuple[str, ...], Callable[[str, Any, Derived], dict[str, Any]]]] = {
    "minerals": (
        (
            "id",
            "name",
            "symbol",
            "atomic_number",
            "aliases",
            "summary",
            "lists",
            "policies",
            "projects",
            *_COMMON_COLUMNS,
        ),
        _mineral_row,
    ),
    "policies": (
        (
            "id",
            "document_number",
            "short_title",
            "title",
            "jurisdiction",
            "authorities",
            "instrument",
            "minerals",
            "targets",
            "summary",
            "announced",
            "effective",
            "expires",
            "revoked",
            "status_as_of",
            "status",
            "status_label",
            "status_since",
            "status_until",
            "status_by",
            "suspended_clauses",
            *_COMMON_COLUMNS,
        ),
        _policy_row,
    ),
    "projects": (
        (
            "id",
            "name",
            "operator",
            "tickers",
            "country",
            "region",
            "district",
            "lat",
            "lon",
            "minerals",
            "stage",
            "summary",
            *_COMMON_COLUMNS,
        ),
        _project_row,
    ),
    "sources": (
        ("id", "title", "publisher", "url", "published", "accessed", "kind", "note", "cited_by", *_COMMON_COLUMNS),
        _source_row,
    ),
    "events": (
        ("id", "title", "date", "end_date", "location", "country", "minerals", "policies", "summary", *_COMMON_COLUMNS),
        _event_row,
    ),
}


def _production_rows(dataset: Dataset) -> list[dict[str, str]]:
    """Return production figures in long format: country rows as recorded, then world totals as country WORLD."""
    rows = []
    mineral: Mineral
    for mineral_id, mineral in dataset.get("minerals").items():
        figures: list[tuple[str, Any, list[str]]] = [(f.country, f, []) for f in mineral.production]
        figures += [(WORLD, f, f.producing_countries) for f in mineral.world_production]
        for country, figure, producers in figures:
            values = {
                "mineral": mineral_id,
                "country": country,
                "year": figure.year,
                "stage": figure.stage,
                "scope": figure.scope,
                "value": figure.value,
                "unit": figure.unit,
                "share": figure.share,
                "estimated": figure.estimated,
                "source": figure.source,
                "note": figure.note,
                "producing_countries": producers,
            }
            rows.append({key: _cell(value) for key, value in values.items()})
    return rows


# Atom feeds


@dataclass(frozen=True)
class _FeedEntry:
    """One Atom entry: a record newly checked, or a change of status."""

    day: dt.date
    key: str  # the tag URI after TAG_PREFIX
    title: str
    summary: str
    page: str
    category: str
    minerals: frozenset[str]


def _atom_feeds(
    dataset: Dataset, derived: Derived, changes: list[_StatusChange], site_url: str | None
) -> list[OutputFile]:
    """Return feeds/atom.xml for the whole site and feeds/<mineral>.xml for each mineral."""
    entries = _feed_entries(dataset, derived, changes)
    by_mineral: dict[str, list[_FeedEntry]] = {}
    for entry in entries:
        for mineral_id in entry.minerals:
            by_mineral.setdefault(mineral_id, []).append(entry)
    files = [_atom_feed("atom", SITE_NAME, entries[:FEED_LENGTH], derived, site_url)]
    mineral: Mineral
    for mineral_id, mineral in dataset.get("minerals").items():
        own = by_mineral.get(mineral_id, [])[:FEED_LENGTH]
        files.append(_atom_feed(mineral_id, f"{SITE_NAME}: {mineral.name}", own, derived, site_url))
    return files


def _feed_entries(dataset: Dataset, derived: Derived, changes: list[_StatusChange]) -> list[_FeedEntry]:
    """Return the entries up to the as-of date, newest first."""
    entries: list[_FeedEntry] = []
    for collection in FEED_COLLECTIONS:
        for record_id, record in dataset.get(collection).items():
            name = display_name(record)
            entries.append(
                _FeedEntry(
                    day=record.last_verified,
                    key=f"{collection}/{record_id}",
                    title=f"{_capitalized(SINGULAR[collection])}: {name}",
                    summary=f"Last verified against its sources on {date_long(record.last_verified)}. "
                    f"{getattr(record, 'summary', '')}".strip(),
                    page=_page_path(collection, record_id),
                    category=collection,
                    minerals=frozenset(_minerals_of(record_id, record)),
                )
            )
    for change in changes:
        title, summary = _change_words(change, dataset)
        entries.append(
            _FeedEntry(
                day=change.day,
                key=change.key,
                title=title,
                summary=summary,
                page=_page_path("policies", change.policy_id),
                category="status",
                minerals=frozenset(_change_minerals(change, dataset)),
            )
        )
    past = sorted((e for e in entries if e.day <= derived.today), key=lambda e: e.key)
    return sorted(past, key=lambda e: e.day, reverse=True)


def _change_words(change: _StatusChange, dataset: Dataset) -> tuple[str, str]:
    """Return the headline and summary of a change of status, as a feed reader shows them."""
    subject = _change_subject(change, dataset)
    day = date_long(change.day)
    last_day = date_long(change.day - ONE_DAY)
    before, after = change.before.status, change.after.status
    if after is Status.suspended:
        by = _by_name(change.after, dataset)
        until = f" until {date_long(change.after.until)} inclusive" if change.after.until else ""
        return f"{_capitalized(subject)} suspended by {by}", f"From {day}, {subject} is suspended by {by}{until}."
    if before is Status.suspended and after is Status.in_force:
        by = _by_name(change.before, dataset)
        return (
            f"Suspension of {subject} ends",
            f"The suspension of {subject} by {by} ended after {last_day}; from {day} it is in force again.",
        )
    if after is Status.in_force:
        return f"{_capitalized(subject)} takes effect", f"{_capitalized(subject)} is in force from {day}."
    if after is Status.expired:
        return (
            f"{_capitalized(subject)} expires",
            f"{_capitalized(subject)} was in force until {last_day} inclusive; it has expired since {day}.",
        )
    if after is Status.revoked:
        return (
            f"{_capitalized(subject)} is revoked",
            f"{_capitalized(subject)} is no longer in force from {day}: it was revoked.",
        )
    return (
        f"{_capitalized(subject)}: {before.label.lower()} to {after.label.lower()}",
        f"From {day}, {subject} is {after.label.lower()}.",
    )


def _href(page: str, site_url: str | None) -> str:
    """Return a link to a page, from the feeds/ folder when the site's address is not known."""
    return site_url + page if site_url else "../" + page


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _atom_feed(name: str, title: str, entries: list[_FeedEntry], derived: Derived, site_url: str | None) -> OutputFile:
    feed = FeedGenerator()
    feed.id(f"{TAG_PREFIX}feeds/{name}")
    feed.title(title)
    feed.subtitle("Changes of status of export controls and other measures, and records checked against their sources.")
    feed.author(name=SITE_NAME)
    # Replace feedgen's own name, address and version, which would change the file when feedgen does.
    feed.generator(SITE_NAME)
    feed.language("en")
    feed.link(href=_href("", site_url), rel="alternate", type="text/html")
    feed.link(
        href=f"{site_url}feeds/{name}.xml" if site_url else f"{name}.xml", rel="self", type="application/atom+xml"
    )
    # The newest entry dates the feed; never the clock.
    feed.updated(_midnight(max((e.day for e in entries), default=derived.today)))
    for entry in entries:
        item = feed.add_entry(order="append")
        item.id(TAG_PREFIX + entry.key)
        item.title(entry.title)
        item.updated(_midnight(entry.day))
        item.link(href=_href(entry.page, site_url), rel="alternate")
        item.category(term=entry.category)
        item.summary(entry.summary)
    content: bytes = feed.atom_str(pretty=True)
    return OutputFile(f"feeds/{name}.xml", content)


# iCalendar


def _calendar(dataset: Dataset, derived: Derived, changes: list[_StatusChange], site_url: str | None) -> OutputFile:
    """Return feeds/calendar.ics: changes of status, past and upcoming, and dated events, as all-day events."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{SITE_NAME}//Calendar of measures//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", SITE_NAME)
    calendar.add(
        "x-wr-caldesc",
        "When export controls and other measures on critical minerals take effect, are suspended, or end.",
    )
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    stamp = _midnight(derived.today)
    since = derived.today - dt.timedelta(days=CALENDAR_PAST_DAYS)
    items: list[tuple[dt.date, str, icalendar.Event]] = []
    for change in changes:
        day, summary, description = _calendar_words(change, dataset)
        if day < since:
            continue
        page = _page_path("policies", change.policy_id)
        event = _all_day_event(change.key, stamp, day, day, summary, description, page, site_url)
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(days=-1))
        event.add_component(alarm)
        items.append((day, change.key, event))
    record: Event
    for event_id, record in dataset.get("events").items():
        if (record.end_date or record.date) < since:
            continue
        key = f"events/{event_id}"
        page = _page_path("events", event_id)
        event = _all_day_event(
            key, stamp, record.date, record.end_date or record.date, record.title, record.summary, page, site_url
        )
        if record.location:
            event.add("location", record.location)
        items.append((record.date, key, event))
    for _day, _key, event in sorted(items, key=lambda i: (i[0], i[1])):
        calendar.add_component(event)
    return OutputFile("feeds/calendar.ics", calendar.to_ical())


def _calendar_words(change: _StatusChange, dataset: Dataset) -> tuple[dt.date, str, str]:
    """Return the day, summary and description of a change of status in the calendar.

    An ending is shown on its last day, and says so, since that is the day a reader must act by.
    """
    subject = _change_subject(change, dataset)
    before, after = change.before.status, change.after.status
    last_day = change.day - ONE_DAY
    if before is Status.suspended and after is not Status.suspended:
        by = _by_name(change.before, dataset)
        return (
            last_day,
            f"Suspension of {subject} ends after {date_long(last_day)}",
            f"{date_long(last_day)} is the last day of the suspension of {subject} by {by}. "
            f"From {date_long(change.day)} it is {after.label.lower()}.",
        )
    if after is Status.expired:
        return (
            last_day,
            f"{_capitalized(subject)} expires after {date_long(last_day)}",
            f"{date_long(last_day)} is the last day {subject} is in force.",
        )
    headline, summary = _change_words(change, dataset)
    return change.day, headline, summary


def _all_day_event(
    key: str,
    stamp: dt.datetime,
    first: dt.date,
    last: dt.date,
    summary: str,
    description: str,
    page: str,
    site_url: str | None,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{key}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("dtend", last + ONE_DAY)  # DTEND of an all-day event is the day after the last
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    if site_url:
        event.add("url", site_url + page)
    return event
