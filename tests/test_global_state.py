"""No library module reads the environment or the real date: the CLI reads both once and passes them in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import REPO

GENERATOR = REPO / "generator"
# What reads the process's environment or the machine's clock. Durations (time.perf_counter,
# time.monotonic) are fine: they measure, they do not tell the day.
GLOBAL_STATE = {
    "os.environ",
    "os.environb",
    "os.getenv",
    "os.getenvb",
    "os.putenv",
    "os.unsetenv",
    "datetime.date.today",
    "datetime.datetime.now",
    "datetime.datetime.today",
    "datetime.datetime.utcnow",
    "time.time",
    "time.time_ns",
}
# Modules whose names a read can go through, however imported.
MODULES = {name.split(".")[0] for name in GLOBAL_STATE}


def global_state_reads(source: str) -> list[str]:
    """Return each read of the environment or the real date in `source`, as 'line: dotted.name'.

    Names are followed through their imports, so `import datetime as dt; dt.date.today()`,
    `from datetime import date; date.today()` and `from os import environ` are all found.
    """
    tree = ast.parse(source)
    imported: dict[str, str] = {}  # local name -> the dotted name it stands for
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in MODULES:
                    # `import os.path` binds `os`; `import os.path as p` binds `p` to os.path.
                    imported[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in MODULES:
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                imported[alias.asname or alias.name] = dotted
                if dotted in GLOBAL_STATE:
                    found.append((node.lineno, dotted))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name) and isinstance(getattr(node, "ctx", None), ast.Load):
            dotted = _dotted(node, imported)
            if dotted in GLOBAL_STATE:
                found.append((node.lineno, dotted))
    return [f"{line}: {name}" for line, name in sorted(set(found))]


def _dotted(node: ast.expr, imported: dict[str, str]) -> str | None:
    """The full dotted name an expression such as `dt.date.today` stands for, or None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in imported:
        return None
    return ".".join([imported[node.id], *reversed(parts)])


def library_modules() -> list[Path]:
    return sorted(path for path in GENERATOR.rglob("*.py") if path != GENERATOR / "cli.py")


def test_no_library_module_reads_the_environment_or_the_real_date() -> None:
    modules = library_modules()
    assert len(modules) > 40 and GENERATOR / "validate.py" in modules and GENERATOR / "exports" / "api.py" in modules
    reads = [
        f"{path.relative_to(REPO)}:{read}"
        for path in modules
        for read in global_state_reads(path.read_text(encoding="utf-8"))
    ]
    assert reads == []


def test_the_cli_is_where_they_are_read() -> None:
    reads = global_state_reads((GENERATOR / "cli.py").read_text(encoding="utf-8"))
    assert {read.split(": ")[1] for read in reads} == {"os.environ", "datetime.date.today"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import datetime as dt\nday = dt.date.today()\n", ["2: datetime.date.today"]),
        ("import datetime\nnow = datetime.datetime.now()\n", ["2: datetime.datetime.now"]),
        ("from datetime import date\nday = date.today()\n", ["2: datetime.date.today"]),
        ("from datetime import datetime as moment\nmoment.utcnow()\n", ["2: datetime.datetime.utcnow"]),
        ("import os\nurl = os.environ.get('ATLAS_SITE_URL')\n", ["2: os.environ"]),
        ("import os as system\nsystem.getenv('HOME')\n", ["2: os.getenv"]),
        ("from os import environ\n", ["1: os.environ"]),
        ("from os import putenv as put\nput('A', 'b')\n", ["1: os.putenv", "2: os.putenv"]),
        ("import time\nstamp = time.time()\n", ["2: time.time"]),
        ("import time\nstart = time.perf_counter()\nmono = time.monotonic()\n", []),
        ("import datetime as dt\nday = dt.date(2026, 11, 24)\nlater = day + dt.timedelta(days=1)\n", []),
        ("import os.path\nos.path.join('a', 'b')\n", []),
    ],
    ids=[
        "date-today-through-alias",
        "datetime-now",
        "date-imported-by-name",
        "utcnow-under-another-name",
        "environ",
        "getenv-through-alias",
        "environ-imported-by-name",
        "putenv-imported-and-called",
        "time-time",
        "durations-are-fine",
        "a-given-date-is-fine",
        "os-path-is-fine",
    ],
)
def test_a_planted_read_is_reported(source: str, expected: list[str]) -> None:
    assert global_state_reads(source) == expected
