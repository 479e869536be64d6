"""Validate stage: turn loaded documents into typed records and check what types cannot."""

from __future__ import annotations

import datetime as dt
import difflib
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .exceptions import Problems
from .load import Document, FieldPath, dotted
from .models import COLLECTIONS, AsWritten, Instrument, Mineral, PartialDate, Policy, Record, Ref, RelationType
from .progress import QUIET, Progress

SINGULAR = {"minerals": "mineral", "policies": "policy", "projects": "project", "sources": "source", "events": "event"}
FAR_FUTURE_YEARS = 30
PLACEHOLDER = "FILL-IN"  # what `atlas new` writes where a value is needed


@dataclass
class Dataset:
    """Every valid record, by collection and id, with the file each came from."""

    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {c: {} for c in COLLECTIONS})
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    # Which records cite each source, gathered while references are checked.
    cited_by: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    def get(self, collection: str) -> dict[str, Any]:
        return self.records[collection]


def validate(
    documents: list[Document], today: dt.date, present: set[tuple[str, str]] | None = None, progress: Progress = QUIET
) -> tuple[Dataset, Problems]:
    """Validate every document; return the valid records and every problem found.

    `present` names every record file on disk, valid or not: a reference to a file that has its
    own errors is not reported again.
    """
    problems = Problems()
    dataset = Dataset()
    valid: list[tuple[Document, Record]] = []
    for document in documents:
        record = _validate_document(document, problems)
        if record is not None:
            dataset.records[document.collection][document.id] = record
            dataset.paths[(document.collection, document.id)] = document.path
            valid.append((document, record))
        progress.step()
    # References are checked on every document, valid or not, so one run reports every problem.
    for document in documents:
        _check_references(document, dataset, problems, present or set())
    for document, record in valid:
        _check_dates(document, record, today, problems)
        if isinstance(record, Policy):
            _check_policy(document, record, dataset, problems)
        if isinstance(record, Mineral):
            _check_lists(document, record, dataset, problems)
        _check_review(document, record, today, problems)
    for source_id in sorted(set(dataset.records["sources"]) - set(dataset.cited_by)):
        path = dataset.paths[("sources", source_id)]
        problems.add(path, 1, 1, "", f"source '{source_id}' is not cited by any record", warning=True)
    for collection in dataset.records:
        dataset.records[collection] = dict(sorted(dataset.records[collection].items()))
    return dataset, problems


def _validate_document(document: Document, problems: Problems) -> Record | None:
    model = COLLECTIONS[document.collection]
    record: Record | None = None
    placeholders = _placeholders(document.data, ())
    for path in placeholders:
        line, col = document.position(path, value=True)
        problems.add(document.path, line, col, dotted(path), f"placeholder {PLACEHOLDER} not filled in")
    try:
        record = model.model_validate(document.data)
    except ValidationError as error:
        items = error.errors(include_url=False)
        for item in _without_typo_echoes(model, items):
            loc = tuple(item["loc"])
            if loc in placeholders:
                continue
            line, col = document.position(loc, value=item["type"] not in ("extra_forbidden", "missing"))
            problems.add(document.path, line, col, dotted(loc), _explain(model, item))
    _check_yaml_types(document, model, problems)
    if record is not None and record.id is not None and record.id != document.id:
        line, col = document.position(("id",))
        problems.add(
            document.path,
            line,
            col,
            "id",
            f"'{record.id}' differs from the file name '{document.id}'; "
            "the id is the file name, remove this field or rename the file",
        )
        return None
    return record if not _has_errors_for(document, problems) else None


def _placeholders(data: Any, path: FieldPath) -> list[FieldPath]:
    """Find the values `atlas new` left to fill in."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _placeholders(value, path + (key,))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data) for p in _placeholders(value, path + (index,))]
    return [path] if isinstance(data, str) and data.startswith(PLACEHOLDER) else []


def _without_typo_echoes(model: type[BaseModel], items: list[Any]) -> list[Any]:
    """Drop 'required field is missing' where the field is present under a misspelt name."""
    suggested = set()
    for item in items:
        if item["type"] == "extra_forbidden":
            loc = tuple(item["loc"])
            parent = _type_at(model, loc[:-1])
            fields = list(parent[0].model_fields) if parent and _is_model(parent[0]) else []
            for match in difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6):
                suggested.add(loc[:-1] + (match,))
    return [i for i in items if not (i["type"] == "missing" and tuple(i["loc"]) in suggested)]


def _has_errors_for(document: Document, problems: Problems) -> bool:
    return any(p.path == document.path and p.severity == "error" for p in problems.items)


def _check_yaml_types(document: Document, model: type[BaseModel], problems: Problems) -> None:
    """Catch unquoted text that YAML reads as a boolean, number or date."""
    for path, yaml_type in document.typed_plain.items():
        found = _type_at(model, path)
        if found is None:
            continue
        base, metadata = found
        if base is not str or any(isinstance(m, AsWritten) for m in metadata):
            continue
        value = _value_at(document.data, path)
        line, col = document.position(path, value=True)
        kind = {"bool": "a boolean", "int": "a number", "float": "a number", "timestamp": "a date"}.get(
            yaml_type, yaml_type
        )
        problems.add(
            document.path,
            line,
            col,
            dotted(path),
            f"'{value}' is read by YAML as {kind}, not text; put it in quotes: \"{value}\"",
        )


def _check_references(document: Document, dataset: Dataset, problems: Problems, present: set[tuple[str, str]]) -> None:
    """Check every id a document names is a record of the right collection."""
    model = COLLECTIONS[document.collection]
    for path, value in _leaves(document.data, ()):
        ref = _ref_at(model, tuple(0 if isinstance(p, int) else p for p in path))
        if ref is None or not isinstance(value, str):
            continue
        if ref == "sources":
            dataset.cited_by.setdefault(value, set()).add((document.collection, document.id))
        if value not in dataset.records[ref] and (ref, value) not in present and not value.startswith(PLACEHOLDER):
            line, col = document.position(path, value=True)
            problems.add(document.path, line, col, dotted(path), _unknown(ref, value, dataset.records[ref]))


def _leaves(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, path + (index,))
    else:
        yield path, data


@cache
def _ref_at(model: type[BaseModel], shape: FieldPath) -> str | None:
    found = _type_at(model, shape)
    return next((m.collection for m in found[1] if isinstance(m, Ref)), None) if found else None


def _check_dates(document: Document, record: Record, today: dt.date, problems: Problems) -> None:
    """Catch dates so far ahead they must be typos."""
    horizon = dt.date(today.year + FAR_FUTURE_YEARS, today.month, min(today.day, 28))
    for path, value, _ref in walk(record):
        day = value.first_day if isinstance(value, PartialDate) else value
        if isinstance(day, dt.date) and day > horizon:
            line, col = document.position(path, value=True)
            problems.add(
                document.path,
                line,
                col,
                dotted(path),
                f"'{value}' is more than {FAR_FUTURE_YEARS} years after {today.isoformat()}; check the year",
            )


def _check_policy(document: Document, policy: Policy, dataset: Dataset, problems: Problems) -> None:
    seen: set[str] = set()
    for index, clause in enumerate(policy.clauses):
        if clause.id in seen:
            line, col = document.position(("clauses", index, "id"))
            problems.add(document.path, line, col, f"clauses[{index}].id", f"clause '{clause.id}' is listed twice")
        seen.add(clause.id)
    policies: dict[str, Policy] = dataset.get("policies")
    for index, relation in enumerate(policy.relations):
        here = ("relations", index)
        if relation.policy == document.id:
            line, col = document.position(here + ("policy",))
            problems.add(document.path, line, col, dotted(here + ("policy",)), "a policy cannot act on itself")
            continue
        target = policies.get(relation.policy)
        if target is None:
            continue
        if relation.clause is not None and relation.clause not in {c.id for c in target.clauses}:
            line, col = document.position(here + ("clause",), value=True)
            known = ", ".join(c.id for c in target.clauses) or "none"
            problems.add(
                document.path,
                line,
                col,
                dotted(here + ("clause",)),
                f"unknown clause '{relation.clause}' of policy '{relation.policy}' (its clauses: {known})",
            )
        if relation.type is RelationType.suspends:
            begins = target.dates.effective or target.dates.announced
            ends = target.dates.expires
            if relation.start < begins or (ends is not None and (relation.end is None or relation.end > ends)):
                line, col = document.position(here + ("start",))
                life = f"{begins.isoformat()} to {ends.isoformat() if ends else 'open-ended'}"
                span = f"{relation.start.isoformat()} to {relation.end.isoformat() if relation.end else 'open-ended'}"
                problems.add(
                    document.path,
                    line,
                    col,
                    dotted(here),
                    f"suspension {span} lies outside the life of '{relation.policy}' ({life})",
                )


def _check_lists(document: Document, mineral: Mineral, dataset: Dataset, problems: Problems) -> None:
    policies: dict[str, Policy] = dataset.get("policies")
    for index, membership in enumerate(mineral.lists):
        target = policies.get(membership.policy)
        if target is not None and target.instrument not in (Instrument.list_designation, Instrument.law):
            line, col = document.position(("lists", index, "policy"), value=True)
            problems.add(
                document.path,
                line,
                col,
                f"lists[{index}].policy",
                f"'{membership.policy}' is a {target.instrument.value} policy; "
                "a list membership names a list designation or a law that sets a list",
            )


def _check_review(document: Document, record: Record, today: dt.date, problems: Problems) -> None:
    age = (today - record.last_verified).days
    if age > record.review_interval_days:
        line, col = document.position(("last_verified",))
        problems.add(
            document.path,
            line,
            col,
            "last_verified",
            f"not verified for {age} days (review interval {record.review_interval_days}); "
            "check the facts and update last_verified",
            warning=True,
        )


def _unknown(collection: str, value: str, known: dict[str, Any]) -> str:
    message = f"unknown {SINGULAR[collection]} '{value}'"
    match = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return message + (f" (did you mean '{match[0]}'?)" if match else f" (no file data/{collection}/{value}.yaml)")


def _explain(model: type[BaseModel], item: Any) -> str:
    """Turn one pydantic error into a sentence an editor can act on."""
    kind: str = item["type"]
    loc = tuple(item["loc"])
    value = item.get("input")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        parent = _type_at(model, loc[:-1])
        fields = list(parent[0].model_fields) if parent and _is_model(parent[0]) else []
        match = difflib.get_close_matches(name, fields, n=1, cutoff=0.6)
        hint = (
            f" (did you mean '{match[0]}'?)" if match else (f" (known fields: {', '.join(fields)})" if fields else "")
        )
        return f"unknown field '{name}'{hint}"
    if kind == "missing":
        name = str(loc[-1])
        if name == "source":
            return "a figure or dated fact needs a source: add `source: <source id>`"
        return "required field is missing"
    if kind == "enum":
        found = _type_at(model, loc)
        expected = [str(e.value) for e in found[0]] if found else []
        match = difflib.get_close_matches(str(value), expected, n=1, cutoff=0.5)
        hint = f" (did you mean '{match[0]}'?)" if match else ""
        return f"'{value}' is not one of: {', '.join(expected)}{hint}"
    if value is None and kind in {
        "string_type",
        "int_type",
        "float_type",
        "date_type",
        "bool_type",
        "list_type",
        "model_type",
        "dict_type",
    }:
        return "is empty; give a value or remove the field"
    if kind == "value_error":
        return str(item["ctx"]["error"])
    if kind == "string_pattern_mismatch":
        if "a-z0-9" in str(item["ctx"].get("pattern", "")):
            return f"'{value}' is not a valid id: use lowercase letters, digits and single hyphens"
        return f"'{value}' does not have the expected form ({item['ctx']['pattern']})"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return f"'{value}' is out of range: {item['msg'].lower()}"
    if kind in {"int_parsing", "int_from_float"}:
        return f"'{value}' is not a whole number"
    if kind == "float_parsing":
        return f"'{value}' is not a number"
    if kind == "bool_parsing":
        return f"'{value}' is not true or false"
    if kind in {"list_type", "model_type", "dict_type", "model_attributes_type"}:
        shape = "a list (lines starting with '- ')" if kind == "list_type" else "a group of fields"
        return f"should be {shape}, not '{value}'"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "string_too_short":
        return "is empty; give a value or remove the field"
    if kind == "string_type":
        return f"should be text, not '{value}'"
    return f"{item['msg']} (got '{value}')"


def walk(model: BaseModel, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any, str | None]]:
    """Yield (path, value, referenced collection) for every leaf value of a record."""
    refs = _field_refs(type(model))
    for name in type(model).model_fields:
        yield from _walk_value(getattr(model, name), path + (name,), refs[name])


def _walk_value(value: Any, path: FieldPath, ref: str | None) -> Iterator[tuple[FieldPath, Any, str | None]]:
    if isinstance(value, BaseModel):
        yield from walk(value, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk_value(item, path + (index,), ref)
    else:
        yield path, value, ref


@cache
def _field_refs(model: type[BaseModel]) -> dict[str, str | None]:
    refs: dict[str, str | None] = {}
    for name, info in model.model_fields.items():
        metadata = list(info.metadata)
        tp: Any = info.annotation
        while True:
            base, more = unwrap(tp)
            metadata += more
            if get_origin(base) is list:
                tp = get_args(base)[0]
                continue
            break
        refs[name] = next((m.collection for m in metadata if isinstance(m, Ref)), None)
    return refs


def unwrap(tp: Any) -> tuple[Any, list[Any]]:
    """Strip Annotated and Optional from a type; return the base type and the metadata."""
    metadata: list[Any] = []
    while True:
        if get_origin(tp) is Annotated:
            args = get_args(tp)
            tp, metadata = args[0], metadata + list(args[1:])
        elif get_origin(tp) in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp, metadata
            tp = members[0]
        else:
            return tp, metadata


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _type_at(model: type[BaseModel], path: FieldPath) -> tuple[Any, list[Any]] | None:
    """Return the base type and metadata the model expects at `path`."""
    tp: Any = model
    metadata: list[Any] = []
    for part in path:
        base, more = unwrap(tp)
        if isinstance(part, str) and _is_model(base):
            info = base.model_fields.get(part)
            if info is None:
                return None
            tp, metadata = info.annotation, list(info.metadata)
        elif isinstance(part, int) and get_origin(base) is list:
            tp, metadata = get_args(base)[0], []
        else:
            return None
    base, more = unwrap(tp)
    return base, metadata + more


def _value_at(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data
