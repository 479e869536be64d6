"""What a model expects at a field path: base types, metadata and the collections that fields refer to."""

from __future__ import annotations

import types
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from .documents import FieldPath
from .models import Citations, Ref


@cache
def citations_at(model: type[BaseModel], shape: FieldPath) -> Citations | None:
    """The citation rule of the text field at `shape` (list indices written as 0), or None if it takes none."""
    found = type_at(model, shape)
    return next((m for m in found[1] if isinstance(m, Citations)), None) if found else None


@cache
def ref_at(model: type[BaseModel], shape: FieldPath) -> str | None:
    found = type_at(model, shape)
    return next((m.collection for m in found[1] if isinstance(m, Ref)), None) if found else None


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


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def type_at(model: type[BaseModel], path: FieldPath) -> tuple[Any, list[Any]] | None:
    """Return the base type and metadata the model expects at `path`."""
    tp: Any = model
    metadata: list[Any] = []
    for part in path:
        base, more = unwrap(tp)
        if isinstance(part, str) and is_model(base):
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


def value_at(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data
