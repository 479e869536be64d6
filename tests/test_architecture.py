"""The import graph: stages import models and shared modules, never another stage, never a private name."""

from __future__ import annotations

import ast
import re
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
    assert ("generator.records.dataset", ["Acting", "CountryFacts", "Dataset", "Derived", "TimelineEntry"]) in _imports(
        module
    )
    assert _stage_of("generator.render.charts") == "render" and _stage_of("generator.derive") == "derive"
    assert _stage_of("generator.records.registry") is None
    bad = tmp_path / "generator" / "derive.py"
    bad.parent.mkdir()
    bad.write_text("from . import render\nfrom .load import _display\n", encoding="utf-8")
    (tmp_path / "generator" / "render").mkdir()
    found = _imports(bad, tmp_path)
    assert ("generator.render", []) in found and ("generator.load", ["_display"]) in found


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = REPO) -> dict[str, set[str]]:
    """Which modules of the package each module imports; the package itself, which every import passes, left out."""
    files = sorted((root / "generator").rglob("*.py"))
    modules = {_module_name(path, root) for path in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        name = _module_name(path, root)
        targets = {target for target, _names in _imports(path, root)}
        # A module's own packages are imported before it, whatever it names: an edge to them is no import.
        own = {".".join(name.split(".")[:n]) for n in range(1, name.count(".") + 1)}
        graph[name] = {t for t in targets if t in modules and t != name and t not in own}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each once, as the modules along it from its smallest name."""
    found: set[tuple[str, ...]] = set()

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target in path:
                loop = path[path.index(target) :]
                start = loop.index(min(loop))
                found.add(tuple(loop[start:] + loop[:start]))
            elif target > path[0]:
                visit(target, [*path, target])

    for node in sorted(graph):
        visit(node, [node])
    return [list(c) for c in sorted(found)]


def test_the_import_graph_has_no_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_planted_cycle(tmp_path: Path) -> None:
    package = tmp_path / "generator"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "dataset.py").write_text("from .registry import COLLECTIONS\n", encoding="utf-8")
    (package / "registry.py").write_text("from . import urls\nfrom .dataset import Dataset\n", encoding="utf-8")
    (package / "urls.py").write_text("", encoding="utf-8")
    assert cycles(import_graph(tmp_path)) == [["generator.dataset", "generator.registry"]]


TEMPLATES = REPO / "site_config"
# A path of the site's files written in a template or the theme, instead of taken from the page context.
PATH_LITERAL = re.compile(r"[\w./<>-]*(\.xml|\.json|\.csv|\.ics|/index\.md)\b")


def path_literals(text: str) -> list[str]:
    return [m.group(0) for m in PATH_LITERAL.finditer(text)]


def test_templates_and_theme_take_every_path_from_the_context() -> None:
    found = {}
    for path in sorted([*(TEMPLATES / "templates").glob("*.j2"), *(TEMPLATES / "overrides").rglob("*.html")]):
        literals = path_literals(path.read_text(encoding="utf-8"))
        if literals:
            found[path.relative_to(REPO).as_posix()] = literals
    assert found == {}


def test_the_path_check_sees_each_kind_of_literal() -> None:
    text = "[feed](feeds/atom.xml) `api/v1/<collection>/index.json` ../downloads/production.csv x.ics [t](timeline/index.md)"
    assert path_literals(text) == [
        "feeds/atom.xml",
        "api/v1/<collection>/index.json",
        "../downloads/production.csv",
        "x.ics",
        "timeline/index.md",
    ]


@pytest.mark.parametrize(("package", "allowed"), [("core", {"core"}), ("records", {"core", "records"})])
def test_the_shared_vocabulary_imports_only_what_lies_below_it(package: str, allowed: set[str]) -> None:
    """core/ imports nothing of the generator but itself; records/ imports core/ and itself: no stage, no tool."""
    graph = import_graph()
    offences = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.startswith(f"generator.{package}.")
        for target in sorted(targets)
        if target.split(".")[1] not in allowed
    ]
    assert offences == []
