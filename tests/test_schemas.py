"""The committed JSON Schemas match the models and accept every data file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.tools.schemas import schema_files, stale_schemas

from .conftest import REPO

SCHEMAS = REPO / "site_config" / "schemas"


def test_committed_schemas_are_current():
    assert stale_schemas(SCHEMAS) == [], "run `atlas schemas` and commit site_config/schemas/"


def test_stale_schema_is_detected(tmp_path: Path):
    for name, content in schema_files().items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "policies.schema.json").write_text("{}\n", encoding="utf-8")
    assert stale_schemas(tmp_path) == ["policies.schema.json"]


def test_every_data_file_points_at_its_schema():
    for path in sorted((REPO / "data").glob("*/*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../site_config/schemas/{path.parent.name}.schema.json", (
            path
        )


def test_an_independent_validator_accepts_every_data_file():
    check = Path(sys.executable).parent / "check-jsonschema"
    for collection in ("events", "minerals", "policies", "projects", "sources"):
        files = sorted(str(p) for p in (REPO / "data" / collection).glob("*.yaml"))
        result = subprocess.run(
            [str(check), "--schemafile", str(SCHEMAS / f"{collection}.schema.json"), *files],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_independent_validator_rejects_a_bad_file(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Gallium\nminreals: [x]\n", encoding="utf-8")
    check = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check), "--schemafile", str(SCHEMAS / "minerals.schema.json"), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "minreals" in result.stdout + result.stderr


def test_every_data_field_is_described_for_editors():
    """Each field has a description (shown by editors' tools from the JSON Schema) or is covered in CONTRIBUTING.md."""
    import typing

    from pydantic import BaseModel

    from generator.core.fieldtypes import unwrap
    from generator.records.registry import COLLECTIONS

    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    seen: set[type] = set()
    undescribed: list[str] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            if not info.description and f"`{name}`" not in guide and f"{name}:" not in guide:
                undescribed.append(f"{model.__name__}.{name}")
            base, _ = unwrap(info.annotation)
            if typing.get_origin(base) is list:
                base, _ = unwrap(typing.get_args(base)[0])
            if isinstance(base, type) and issubclass(base, BaseModel):
                visit(base)

    for collection in COLLECTIONS.values():
        visit(collection.model)
    assert undescribed == []
