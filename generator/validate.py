"""Validate stage: turn loaded documents into typed records and check what types cannot."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from .core import citations, urls
from .core.documents import PLACEHOLDER, Document, FieldPath
from .core.fieldtypes import citations_at, is_model, ref_at, type_at, value_at, walk
from .core.models import (
    ID_RE,
    PATTERN_HELP,
    AsWritten,
    FieldError,
    Instrument,
    Mineral,
    PartialDate,
    Policy,
    Record,
    RelationType,
    Source,
)
from .core.problems import Problems
from .core.progress import QUIET, Progress
from .core.references import Reference
from .records import clocks
from .records.dataset import Dataset
from .records.registry import COLLECTIONS

FAR_FUTURE_YEARS = 30


def validate(
    documents: list[Document],
    today: dt.date,
    present: set[tuple[str, str]] | None = None,
    progress: Progress = QUIET,
    calendar_day: dt.date | None = None,
) -> tuple[Dataset, Problems]:
    """Validate every document; return the valid records and every problem found.

    `today` is the as-of date for statuses and reviews, which may be any day; `calendar_day` the
    real date, after which no record can have been verified (None leaves that check out).
    `present` names every record file on disk, valid or not: a reference to a file that has its
    own errors is not reported again.
    """
    problems = Problems()
    dataset = Dataset.of_collections(list(COLLECTIONS))
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
        _check_citations(document, dataset, problems, present or set())
    for document, record in valid:
        _check_dates(document, record, today, problems)
        if isinstance(record, Policy):
            _check_policy(document, record, dataset, problems)
        if isinstance(record, Mineral):
            _check_lists(document, record, dataset, problems)
            _check_shares(document, record, problems)
            _check_prices(document, record, problems)
        _check_review(document, record, today, problems)
        if calendar_day is not None:
            _check_verified(document, record, calendar_day, problems)
    _check_suspension_cycles(valid, problems)
    cited = {source_id for _, source_id in dataset.references.targets(Source.collection)}
    for source_id in sorted(set(dataset.sources) - cited):
        path = dataset.paths[(Source.collection, source_id)]
        problems.add(path, 1, 1, "", f"source '{source_id}' is not cited by any record", warning=True)
    for collection in dataset.records:
        dataset.records[collection] = dict(sorted(dataset.records[collection].items()))
    return dataset, problems


def _validate_document(document: Document, problems: Problems) -> Record | None:
    collection = COLLECTIONS[document.collection]
    model = collection.model
    record: Record | None = None
    taken = urls.reserved(collection.name, document.id, collection.feed_per_record)
    if taken is not None:
        problems.add(document.path, 1, 1, "", f"file name {taken}")
        return None
    placeholders = _placeholders(document.data, ())
    for path in placeholders:
        problems.at(document, path, f"placeholder {PLACEHOLDER} not filled in", value=True)
    try:
        record = model.model_validate(document.data)
    except ValidationError as error:
        items = error.errors(include_url=False)
        for item in _without_typo_echoes(model, items):
            loc = tuple(item["loc"])
            failed = item.get("ctx", {}).get("error")
            if isinstance(failed, FieldError):
                loc = (*loc, *failed.path)
            if loc not in placeholders:
                value = item["type"] not in ("extra_forbidden", "missing")
                problems.at(document, loc, _explain(model, item), value=value)
    _check_yaml_types(document, model, problems)
    if record is not None and record.id is not None and record.id != document.id:
        problems.at(
            document,
            ("id",),
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
            parent = type_at(model, loc[:-1])
            fields = list(parent[0].model_fields) if parent and is_model(parent[0]) else []
            for match in difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6):
                suggested.add(loc[:-1] + (match,))
    return [i for i in items if not (i["type"] == "missing" and tuple(i["loc"]) in suggested)]


def _has_errors_for(document: Document, problems: Problems) -> bool:
    return any(p.path == document.path and p.severity == "error" for p in problems.items)


_YAML_KINDS = {"bool": "a boolean", "int": "a number", "float": "a number", "timestamp": "a date"}


def _check_yaml_types(document: Document, model: type[BaseModel], problems: Problems) -> None:
    """Catch unquoted text that YAML reads as a boolean, number or date."""
    for path, yaml_type in document.typed_plain.items():
        found = type_at(model, path)
        if found is None:
            continue
        base, metadata = found
        if base is not str or any(isinstance(m, AsWritten) for m in metadata):
            continue
        value = value_at(document.data, path)
        kind = _YAML_KINDS.get(yaml_type, yaml_type)
        message = f"'{value}' is read by YAML as {kind}, not text; put it in quotes: \"{value}\""
        problems.at(document, path, message, value=True)


def _check_references(document: Document, dataset: Dataset, problems: Problems, present: set[tuple[str, str]]) -> None:
    """Check every id a document names is a record of the right collection."""
    model = COLLECTIONS[document.collection].model
    for path, value in _leaves(document.data, ()):
        ref = ref_at(model, tuple(0 if isinstance(p, int) else p for p in path))
        if ref is None or not isinstance(value, str):
            continue
        dataset.references.add(Reference(document.collection, document.id, path, ref, value))
        if value not in dataset.records[ref] and (ref, value) not in present and not value.startswith(PLACEHOLDER):
            problems.at(document, path, _unknown(ref, value, dataset.records[ref]), value=True)


def _check_citations(document: Document, dataset: Dataset, problems: Problems, present: set[tuple[str, str]]) -> None:
    """Check the inline citations of every text field: known sources, and every sentence cited where required."""
    model = COLLECTIONS[document.collection].model
    for path, value in _leaves(document.data, ()):
        rule = citations_at(model, tuple(0 if isinstance(p, int) else p for p in path))
        if rule is None or not isinstance(value, str) or value.startswith(PLACEHOLDER):
            continue
        for written in citations.malformed(value):
            problems.at(
                document, path, f"'{written}' is not a citation: write [@source-id] or [@one; @two]", value=True
            )
        for source_id in citations.cited_sources(value):
            if not ID_RE.fullmatch(source_id):
                continue
            dataset.references.add(Reference(document.collection, document.id, path, Source.collection, source_id))
            if source_id not in dataset.sources and (Source.collection, source_id) not in present:
                message = _unknown(Source.collection, source_id, dataset.sources) + f" in citation [@{source_id}]"
                problems.at(document, path, message, value=True)
        if rule.every_sentence:
            for sentence in citations.uncited_sentences(value):
                shown = sentence if len(sentence) <= 60 else sentence[:57] + "..."
                message = f"the sentence '{shown}' cites no source; add [@source-id] before its full stop"
                problems.at(document, path, message, value=True, warning=True)


def _leaves(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, path + (index,))
    else:
        yield path, data


def _check_dates(document: Document, record: Record, today: dt.date, problems: Problems) -> None:
    """Catch dates so far ahead they must be typos."""
    horizon = dt.date(today.year + FAR_FUTURE_YEARS, today.month, min(today.day, 28))
    for path, value, _ref in walk(record):
        day = value.first_day if isinstance(value, PartialDate) else value
        if isinstance(day, dt.date) and day > horizon:
            message = f"'{value}' is more than {FAR_FUTURE_YEARS} years after {today.isoformat()}; check the year"
            problems.at(document, path, message, value=True)


def _check_policy(document: Document, policy: Policy, dataset: Dataset, problems: Problems) -> None:
    seen: set[str] = set()
    for index, clause in enumerate(policy.clauses):
        if clause.id in seen:
            problems.at(document, ("clauses", index, "id"), f"clause '{clause.id}' is listed twice")
        seen.add(clause.id)
    revoked, announced = policy.dates.revoked, policy.dates.announced
    if revoked is not None and revoked < announced:
        message = f"revoked ({revoked}) is before announced ({announced}); a measure is revoked after it is announced"
        problems.at(document, ("dates", "revoked"), message, value=True)
    begins = policy.dates.effective or policy.dates.announced
    ends = policy.dates.expires
    for index, relation in enumerate(policy.relations):
        here = ("relations", index)
        outside = relation.start < begins or (ends is not None and (relation.end is None or relation.end > ends))
        if relation.type is RelationType.suspends and outside:
            # A measure suspends others only while it is itself in force.
            life = f"{begins.isoformat()} to {ends.isoformat() if ends else 'open-ended'}"
            span = f"{relation.start.isoformat()} to {relation.end.isoformat() if relation.end else 'open-ended'}"
            message = f"the period {span} lies outside the life of this measure ({life}); check its dates"
            problems.at(document, (*here, "start"), message)
        if relation.policy == document.id:
            problems.at(document, (*here, "policy"), "a policy cannot act on itself")
            continue
        target = dataset.policies.get(relation.policy)
        if target is None:
            continue
        if relation.clause is not None and relation.clause not in {c.id for c in target.clauses}:
            known = ", ".join(c.id for c in target.clauses) or "none"
            message = f"unknown clause '{relation.clause}' of policy '{relation.policy}' (its clauses: {known})"
            problems.at(document, (*here, "clause"), message, value=True)
        if relation.type is RelationType.suspends:
            # A measure can be suspended from its announcement on, before it takes effect: MOFCOM and GAC No. 70
            # of 2025 suspended Nos. 55 to 58 from 7 November 2025, the day before they were due to take effect.
            target_begins = target.dates.announced
            target_ends = target.dates.expires
            if relation.start < target_begins or (
                target_ends is not None and (relation.end is None or relation.end > target_ends)
            ):
                life = f"{target_begins.isoformat()} to {target_ends.isoformat() if target_ends else 'open-ended'}"
                span = f"{relation.start.isoformat()} to {relation.end.isoformat() if relation.end else 'open-ended'}"
                message = f"suspension {span} lies outside the life of '{relation.policy}' ({life})"
                problems.at(document, (*here, "start"), message)


def _check_lists(document: Document, mineral: Mineral, dataset: Dataset, problems: Problems) -> None:
    for index, membership in enumerate(mineral.lists):
        target = dataset.policies.get(membership.policy)
        if target is not None and target.instrument not in (Instrument.list_designation, Instrument.law):
            message = (
                f"'{membership.policy}' is a {target.instrument.value} policy; "
                "a list membership names a list designation or a law that sets a list"
            )
            problems.at(document, ("lists", index, "policy"), message, value=True)


def _check_shares(document: Document, mineral: Mineral, problems: Problems) -> None:
    """Catch shares of one whole that add up to more than 100 percent."""
    # Figures of different editions are shown side by side, so each edition is a whole of its own.
    production: dict[tuple[object, ...], list[tuple[FieldPath, float]]] = {}
    for index, figure in enumerate(mineral.production):
        if figure.share is not None:
            key = (figure.year, figure.stage.value, figure.scope, figure.edition)
            production.setdefault(key, []).append((("production", index, "share"), figure.share))
    for (year, stage, scope, _edition), shares in production.items():
        _report_excess(document, shares, f"the shares of {stage} production in {year} ({scope})", problems)
    uses: dict[tuple[object, ...], list[tuple[FieldPath, float]]] = {}
    for index, use in enumerate(mineral.end_uses):
        if use.share is not None:
            uses.setdefault((use.year, use.scope, use.edition), []).append((("end_uses", index, "share"), use.share))
    for (year, scope, _edition), shares in uses.items():
        when = f" in {year}" if year is not None else ""
        _report_excess(document, shares, f"the shares of end uses{when} ({scope})", problems)


def _report_excess(document: Document, shares: list[tuple[FieldPath, float]], whole: str, problems: Problems) -> None:
    """Report the first share at which a running total passes 100 percent."""
    total = sum(share for _path, share in shares)
    running = 0.0
    for path, share in shares:
        running += share
        if running > 100:
            message = f"{whole} add up to {total:g}%, more than 100%; check the figures"
            problems.at(document, path, message, value=True)
            return


def _check_prices(document: Document, mineral: Mineral, problems: Problems) -> None:
    for index, price in enumerate(mineral.prices):
        if price.value_high is not None and price.value_high < price.value:
            message = f"value_high ({price.value_high:g}) is below value ({price.value:g}); a range runs low to high"
            problems.at(document, ("prices", index, "value_high"), message, value=True)


def _check_suspension_cycles(valid: list[tuple[Document, Record]], problems: Problems) -> None:
    """Report every suspension that is part of a circle of policies suspending each other."""
    policies = {document.id: (document, record) for document, record in valid if isinstance(record, Policy)}
    suspends: dict[str, list[tuple[int, str]]] = {
        policy_id: [
            (index, r.policy)
            for index, r in enumerate(policy.relations)
            if r.type is RelationType.suspends and r.policy != policy_id and r.policy in policies
        ]
        for policy_id, (_document, policy) in policies.items()
    }
    for policy_id, edges in sorted(suspends.items()):
        document = policies[policy_id][0]
        for index, target in edges:
            way_back = _suspension_path(suspends, target, policy_id)
            if way_back is not None:
                circle = " → ".join([policy_id, *way_back])
                message = f"suspensions run in a circle ({circle}); a measure cannot end up suspending itself"
                problems.at(document, ("relations", index, "policy"), message, value=True)


def _suspension_path(suspends: dict[str, list[tuple[int, str]]], start: str, goal: str) -> list[str] | None:
    """Return the shortest chain of suspensions from `start` to `goal`, both included, or None."""
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    for current in queue:
        if current == goal:
            chain = [current]
            while (before := previous[chain[-1]]) is not None:
                chain.append(before)
            return chain[::-1]
        for _index, target in suspends.get(current, []):
            if target not in previous:
                previous[target] = current
                queue.append(target)
    return None


def _check_review(document: Document, record: Record, today: dt.date, problems: Problems) -> None:
    if (due := clocks.review_due(record, today)) is not None:
        problems.at(document, ("last_verified",), clocks.review_due_warning(due), warning=True)
    if (stale := clocks.knowledge_stale(record, today)) is not None:
        # Not an error under --strict: the fix waits for newer material, which may not be published yet.
        message = clocks.knowledge_stale_warning(stale)
        problems.at(document, ("research_cutoff",), message, warning=True, fails_strict=False)


def _check_verified(document: Document, record: Record, calendar_day: dt.date, problems: Problems) -> None:
    # A day of slack: the editor's clock may be ahead of the machine's by a time zone.
    if record.last_verified > calendar_day + dt.timedelta(days=1):
        message = (
            f"'{record.last_verified}' is after today's date ({calendar_day.isoformat()}); "
            "give the day the record was last checked"
        )
        problems.at(document, ("last_verified",), message, value=True)


def _unknown(collection: str, value: str, known: dict[str, Any]) -> str:
    message = f"unknown {COLLECTIONS[collection].singular} '{value}'"
    match = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return message + (f" (did you mean '{match[0]}'?)" if match else f" (no file data/{collection}/{value}.yaml)")


def _explain(model: type[BaseModel], item: Any) -> str:
    """Turn one pydantic error into a sentence an editor can act on."""
    kind: str = item["type"]
    loc = tuple(item["loc"])
    value = item.get("input")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        parent = type_at(model, loc[:-1])
        fields = list(parent[0].model_fields) if parent and is_model(parent[0]) else []
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
        found = type_at(model, loc)
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
        if str(item["ctx"].get("pattern", "")) in PATTERN_HELP:
            return f"'{value}' {PATTERN_HELP[item['ctx']['pattern']]}"
        if "a-z0-9" in str(item["ctx"].get("pattern", "")):
            return f"'{value}' is not a valid id: use lowercase letters, digits and single hyphens"
        return f"'{value}' does not have the expected form ({item['ctx']['pattern']})"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return f"'{value}' is out of range: {item['msg'].lower()}"
    if kind in {"int_parsing", "int_from_float"}:
        return f"'{value}' is not a whole number"
    if kind == "finite_number":
        return f"'{value}' is not a finite number; write the figure as the source prints it"
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
