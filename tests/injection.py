"""A data tree whose every free-text field holds script, markup and template payloads.

The records are built by walking the models of the registry's collections, so a field added to
a model is filled with the payloads without touching this module; a field whose form the walk
cannot guess (a new pattern) stops the build of the tree with a message saying what to add.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from typing import Any, Literal, get_args, get_origin

import yaml
from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, StringConstraints

from generator.core import models
from generator.core.fieldtypes import is_model, unwrap
from generator.core.models import Citations, Ref
from generator.records.registry import COLLECTIONS

# Each payload tries one way out of text: a tag, an attribute, a link scheme, a template, Markdown syntax.
PAYLOADS: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "attribute-breakout": '"><img src=x onerror=alert(1)>',
    "single-quote-breakout": "'><svg onload=alert(1)>",
    "javascript-scheme": "javascript:alert(1)",
    "entity-scheme": "&#x6a;avascript:alert(1)",
    "markdown-link": "[x](javascript:alert(1))",
    "markdown-reference": "[y][js]\n\n[js]: javascript:alert(1)",
    "autolink": "<javascript:alert(1)>",
    "attr-list": "{: onclick=alert(1) }",
    "html-comment": "<!--",
    "cdata-end": "]]><script>alert(1)</script>",
    "template-expression": "tpl:{{ 7*7 }}",
    "template-block": "{% raw %}",
}
# Every free-text field holds every payload, so no field is tried with only the harmless ones.
PAYLOAD = " ".join(PAYLOADS.values())
# What `{{ 7*7 }}` becomes if data were ever rendered as a template.
EVALUATED = "tpl:49"

RECORD_ID = "hostile"
# A second measure for the first to act on: a measure cannot act on itself.
OTHER_POLICY = "plain"
URL = "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-gallium.pdf"
DAY = "2026-11-01"
MONTH = "2026-11"
# Values of constrained text fields, by the pattern they must match.
PATTERN_EXAMPLES = {
    models.ID_PATTERN: RECORD_ID,
    r"^[A-Z]{2}$": "US",
    r"^[A-Z]{3}$": "USD",
    r"^[A-Z][a-z]?$": "Ga",
    r"^[A-Za-z/ ]+:[A-Z0-9.]+$": "ASX:ABC",
    r"^[0-9a-z.()]+$": "1",
    models.HS_CODE_PATTERN: "2504101000",
    models.CONTROL_CODE_PATTERN: "1C902",
    models.DESTINATION_PATTERN: "US",
}
# Fields whose value must agree with another record, not only with their type.
OVERRIDES: dict[tuple[type[BaseModel], str], Any] = {
    # The hostile measure is a loan, so that its steps and sums are filled; a mineral's list membership names
    # the other measure, a list designation.
    (models.Policy, "instrument"): "loan",
    (models.ListMembership, "policy"): OTHER_POLICY,
    (models.Relation, "policy"): OTHER_POLICY,
    (models.Relation, "clause"): "1",
    (models.StatusCheck, "clause"): "1",
}
_HTTP_URL = get_args(models.HttpUrl)[1:]
_PARTIAL_DATE = get_args(models.Fuzzy)[1:]


def record(model: type[BaseModel], record_id: str) -> dict[str, Any]:
    """Return a record of `model` with every field given, free text holding PAYLOAD."""
    values = _fields(model)
    values["id"] = record_id
    return values


def hostile_tree() -> dict[str, str]:
    """Return {path under data/: YAML text}: one hostile record per collection, and the measure it acts on."""
    tree = {
        f"{name}/{RECORD_ID}.yaml": dump(record(collection.model, RECORD_ID))
        for name, collection in sorted(COLLECTIONS.items())
    }
    other = record(models.Policy, OTHER_POLICY)
    other["relations"] = []
    other["instrument"] = "list-designation"
    other["steps"] = []
    tree[f"policies/{OTHER_POLICY}.yaml"] = dump(other)
    return tree


def dump(values: dict[str, Any]) -> str:
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1_000_000)


def free_text_paths(model: type[BaseModel]) -> list[tuple[str, ...]]:
    """Return the path of every field of `model` (nested models included) that the walk fills with PAYLOAD."""
    return [
        path
        for path, owner, base, metadata in _leaf_fields(model, ())
        if base is str and (owner, path[-1]) not in OVERRIDES and _is_free_text(metadata)
    ]


def url_paths(model: type[BaseModel]) -> list[tuple[str, ...]]:
    """Return the path of every field of `model` (nested models included) that holds an http(s) URL."""
    return [path for path, _owner, _base, metadata in _leaf_fields(model, ()) if any(m in _HTTP_URL for m in metadata)]


def _leaf_fields(
    model: type[BaseModel], prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], type[BaseModel], Any, list[Any]]]:
    """Yield (path, model owning the field, base type, metadata) for every field that is not a model; lists see through."""
    for name, info in model.model_fields.items():
        base, metadata = _unwrapped(info.annotation, list(info.metadata))
        if get_origin(base) is list:
            base, metadata = _unwrapped(get_args(base)[0], metadata)
        if is_model(base):
            yield from _leaf_fields(base, prefix + (name,))
        else:
            yield prefix + (name,), model, base, metadata


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    return {
        name: _value(model, name, info.annotation, list(info.metadata)) for name, info in model.model_fields.items()
    }


def _unwrapped(tp: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    base, more = unwrap(tp)
    return base, metadata + more


def _is_free_text(metadata: list[Any]) -> bool:
    return not any(
        isinstance(m, Ref) or _pattern(m) is not None or m in _HTTP_URL or m in _PARTIAL_DATE for m in metadata
    )


def _pattern(item: Any) -> str | None:
    if isinstance(item, StringConstraints):
        return item.pattern if isinstance(item.pattern, str) else None
    return None


def _value(model: type[BaseModel], name: str, tp: Any, metadata: list[Any]) -> Any:
    if (model, name) in OVERRIDES:
        return OVERRIDES[(model, name)]
    base, metadata = _unwrapped(tp, metadata)
    if get_origin(base) is list:
        return [_value(model, name, get_args(base)[0], [])]
    if is_model(base):
        return _fields(base)
    if get_origin(base) is Literal:
        return get_args(base)[0]
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return next(iter(base)).value
    if base is bool:
        return True
    if base is int:
        return next(n for n in (2024, 180, 31, 1) if _within(n, metadata))
    if base is float:
        return 50.0
    if base is dt.date:
        return DAY
    if base is str:
        return _text(model, name, metadata)
    raise TypeError(f"{model.__name__}.{name}: no hostile value for type {base!r}; add one to tests/injection.py")


def _text(model: type[BaseModel], name: str, metadata: list[Any]) -> str:
    refs = [m for m in metadata if isinstance(m, Ref)]
    if refs:
        return RECORD_ID
    if any(m in _HTTP_URL for m in metadata):
        return URL
    if any(m in _PARTIAL_DATE for m in metadata):
        return MONTH
    patterns = [p for p in map(_pattern, metadata) if p is not None]
    if patterns:
        if patterns[0] not in PATTERN_EXAMPLES:
            raise KeyError(f"{model.__name__}.{name}: add an example of {patterns[0]!r} to PATTERN_EXAMPLES")
        return PATTERN_EXAMPLES[patterns[0]]
    if any(isinstance(m, Citations) for m in metadata):
        return f"{PAYLOAD} [@{RECORD_ID}]"
    return PAYLOAD


def _within(number: int, metadata: list[Any]) -> bool:
    bounds = [b for m in metadata for b in ([m] if not hasattr(m, "metadata") else m.metadata)]
    for bound in bounds:
        if isinstance(bound, Ge) and not number >= bound.ge:  # type: ignore[operator]
            return False
        if isinstance(bound, Gt) and not number > bound.gt:  # type: ignore[operator]
            return False
        if isinstance(bound, Le) and not number <= bound.le:  # type: ignore[operator]
            return False
        if isinstance(bound, Lt) and not number < bound.lt:  # type: ignore[operator]
            return False
    return True
