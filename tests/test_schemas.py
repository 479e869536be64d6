"""The committed JSON Schemas match the models and accept every data file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.schemas import schema_files, stale_schemas

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
