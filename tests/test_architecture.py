"""The import graph: stages import models and shared modules, never another stage, never a private name."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "generator"
# The pipeline's stages; everything else in the package is shared vocabulary, the pipeline itself or a tool.
STAGES = ("load", "validate", "derive", "render", "exports", "write", "search")


def _module_files(stage: str) -> list[Path]:
    folder = PACKAGE / stage
    return sorted(folder.glob("*.py")) if folder.is_dir() else [PACKAGE / f"{stage}.py"]


def _imports(path: Path, root: Path = REPO) -> list[tuple[str, list[str]]]:
    """Every import of the package in a file, as (absolute module, names); `from . import x` counts as module x."""
    module = path.relative_to(root).with_suffix("").parts
    package = module[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            if target.split(".")[0] != "generator":
                continue
            names = [alias.name for alias in node.names]
            found.append((target, names))
            folder = root.joinpath(*target.split("."))
            found += [(f"{target}.{n}", []) for n in names if (folder / f"{n}.py").exists() or (folder / n).is_dir()]
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names if alias.name.split(".")[0] == "generator"]
    return found


def _stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_no_other_stage_and_no_private_name(stage: str) -> None:
    offences = []
    for path in _module_files(stage):
        for target, names in _imports(path):
            own_package = _stage_of(target) == stage
            if _stage_of(target) not in (None, stage):
                offences.append(f"{path.name} imports the {_stage_of(target)} stage ({target})")
            private = [n for n in names if n.startswith("_") and n != "__future__"]
            if private and not own_package:
                offences.append(f"{path.name} imports private names {private} from {target}")
    assert offences == []


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_alone(stage: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import generator.{stage}"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_check_sees_an_import_of_another_stage(tmp_path: Path) -> None:
    """The check above reads relative imports as a stage module writes them."""
    module = PACKAGE / "render" / "contexts.py"
    assert ("generator.dataset", ["Acting", "CountryFacts", "Dataset", "Derived", "TimelineEntry"]) in _imports(module)
    assert _stage_of("generator.render.charts") == "render" and _stage_of("generator.derive") == "derive"
    assert _stage_of("generator.registry") is None
    bad = tmp_path / "generator" / "derive.py"
    bad.parent.mkdir()
    bad.write_text("from . import render\nfrom .load import _display\n", encoding="utf-8")
    (tmp_path / "generator" / "render").mkdir()
    found = _imports(bad, tmp_path)
    assert ("generator.render", []) in found and ("generator.load", ["_display"]) in found
