"""JSON Schemas for editors, exported from the same models the build validates with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..records.registry import COLLECTIONS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(collection: str) -> dict[str, Any]:
    """Return the JSON Schema of one collection's record files."""
    schema = COLLECTIONS[collection].model.model_json_schema()
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{collection}.schema.json",
        "title": f"Critical Minerals Atlas: a record in data/{collection}/",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_files() -> dict[str, bytes]:
    """Return every schema file, by file name, as it is committed in site_config/schemas/."""
    return {
        f"{collection}.schema.json": (json.dumps(schema_for(collection), indent=2, ensure_ascii=False) + "\n").encode()
        for collection in sorted(COLLECTIONS)
    }


def write_schemas(folder: Path) -> list[str]:
    """Write the schema files into `folder`; return the names of those that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, content in schema_files().items():
        path = folder / name
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
            changed.append(name)
    return changed


def stale_schemas(folder: Path) -> list[str]:
    """Return the names of schema files in `folder` that differ from the models."""
    return sorted(
        name
        for name, content in schema_files().items()
        if not (folder / name).exists() or (folder / name).read_bytes() != content
    )
