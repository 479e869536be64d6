"""Skeletons for new records, written from the models so they never drift from the schema."""

from __future__ import annotations

import datetime as dt
import os
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ..core.documents import PLACEHOLDER
from ..core.exceptions import AtlasError, UsageError
from ..core.fieldtypes import unwrap
from ..core.models import Record, Researched, Scope, Source, id_problem
from ..records.registry import COLLECTIONS, collection_named


def new_record(data_dir: Path, collection: str, record_id: str, today: dt.date) -> Path:
    """Write a commented skeleton for a new record; refuse an invalid or existing id.

    `collection` is a collection's plural or singular name: 'policies' or 'policy'.
    """
    found = collection_named(collection)
    if found is None:
        names = ", ".join(sorted(c.singular for c in COLLECTIONS.values()))
        raise UsageError(f"unknown collection '{collection}'; use one of: {names}")
    wrong = id_problem(record_id)
    if wrong is not None:
        raise UsageError(f"'{record_id}' {wrong}")
    if not data_dir.is_dir():
        raise AtlasError(f"data folder {data_dir} not found")
    path = data_dir / found.name / f"{record_id}.yaml"
    if path.is_symlink() or path.exists():
        raise AtlasError(f"{path} already exists; edit it instead")
    path.parent.mkdir(exist_ok=True)
    if not path.parent.resolve().is_relative_to(data_dir.resolve()):
        raise AtlasError(f"{path.parent} is a link to a folder outside {data_dir}; make it a folder of its own")
    try:
        # A file or link that appeared since the check above is neither followed nor overwritten.
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        raise AtlasError(f"{path} already exists; edit it instead") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(skeleton(found.name, today))
    return path


def skeleton(collection: str, today: dt.date) -> str:
    """Return the YAML skeleton of a record: required fields as placeholders, optional ones commented."""
    lines = [
        f"# yaml-language-server: $schema=../../site_config/schemas/{collection}.schema.json",
        f"# A new {COLLECTIONS[collection].singular}. Replace every {PLACEHOLDER}, uncomment the optional fields you",
        "# have a source for, then run `atlas validate`. Quote text that YAML could read as",
        '# something else ("NO", "on", "0123").',
    ]
    lines += _fields(COLLECTIONS[collection].model, 0, today)
    return "\n".join(lines) + "\n"


def _fields(model: type[BaseModel], indent: int, today: dt.date) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    # The record's own fields first, then what a measure covers (`Scope`), then those every record shares.
    shared = [*Record.model_fields, *(n for n in Researched.model_fields if n not in Record.model_fields)]
    later = [n for n in Scope.model_fields if n in model.model_fields] + [n for n in shared if n in model.model_fields]
    names = [n for n in model.model_fields if n not in later] + later
    for name in names:
        info = model.model_fields[name]
        if name == "id":
            continue
        note = f"  # {info.description}" if info.description else ""
        if name == "last_verified":
            lines.append(f"{pad}last_verified: {today.isoformat()}{note}")
        elif name == "sources" and model is not Source:
            lines += [f"{pad}sources:{note}", f"{pad}  - {PLACEHOLDER}"]
        elif info.is_required():
            lines += _required(name, info, pad, note, indent, today)
        else:
            lines.append(f"{pad}# {name}: {_example(info)}{note}")
    return lines


def _required(name: str, info: FieldInfo, pad: str, note: str, indent: int, today: dt.date) -> list[str]:
    base, _ = unwrap(info.annotation)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return [f"{pad}{name}:{note}", *_fields(base, indent + 2, today)]
    if get_origin(base) is list:
        item, _ = unwrap(get_args(base)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return [f"{pad}{name}:{note}", f"{pad}  -", *_fields(item, indent + 4, today)]
        return [f"{pad}{name}:{note}", f"{pad}  - {_placeholder(item)}"]
    return [f"{pad}{name}: {_placeholder(base)}{note}"]


def _placeholder(base: Any) -> str:
    if isinstance(base, type) and issubclass(base, Enum):
        return f"{PLACEHOLDER}  # one of: {', '.join(str(m.value) for m in base)}"
    if base is dt.date:
        return f"{PLACEHOLDER}  # YYYY-MM-DD"
    if base in (int, float):
        return f"{PLACEHOLDER}  # a number"
    return PLACEHOLDER


def _example(info: FieldInfo) -> str:
    if info.default not in (None, PydanticUndefined) and not isinstance(info.default, (list, dict)):
        return str(info.default.value if isinstance(info.default, Enum) else info.default)
    base, _ = unwrap(info.annotation)
    if get_origin(base) is list:
        return "[]"
    if isinstance(base, type) and issubclass(base, Enum):
        return str(next(iter(base)).value)
    return "..."
