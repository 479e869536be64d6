"""No test asserts a measured time: a loaded machine must not fail the suite.

A test may wait with a deadline, and may check that a figure was reported, but never compares a
duration it measured (or a `*seconds` figure a tool measured) with a number. Progress lines are
tested with a fake clock instead.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from .conftest import REPO

CLOCKS = {"perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns", "time", "time_ns", "process_time"}


def timing_assertions(source: str) -> list[str]:
    """Return each assertion in `source` that compares a measured time with a number, as 'line: assertion'."""
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        timed = _names_from_clocks(function)
        for node in ast.walk(function):
            if isinstance(node, ast.Assert) and any(
                _compares_time_with_number(compare, timed)
                for compare in ast.walk(node.test)
                if isinstance(compare, ast.Compare)
            ):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def _reads_clock(node: ast.AST) -> bool:
    return any(
        isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in CLOCKS
        for call in ast.walk(node)
    )


def _names_from_clocks(function: ast.AST) -> set[str]:
    """Names assigned from a clock reading or from another such name, e.g. `start`, `elapsed`."""
    timed: set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and (_reads_clock(node.value) or _uses(node.value, timed)):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id not in timed:
                        timed.add(target.id)
                        changed = True
    return timed


def _uses(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


def _is_time(node: ast.expr, timed: set[str]) -> bool:
    """A clock reading, a name from one, or a figure named in seconds (`result["build_seconds"]`)."""
    if _reads_clock(node) or _uses(node, timed):
        return True
    return any(
        isinstance(n, ast.Subscript)
        and isinstance(n.slice, ast.Constant)
        and isinstance(n.slice.value, str)
        and n.slice.value.endswith("seconds")
        for n in ast.walk(node)
    )


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool)


def _compares_time_with_number(compare: ast.Compare, timed: set[str]) -> bool:
    operands = [compare.left, *compare.comparators]
    return any(
        (_is_time(a, timed) and _is_number(b)) or (_is_number(a) and _is_time(b, timed))
        for a, b in itertools.pairwise(operands)
    )


def test_no_test_compares_a_measured_time_with_a_number() -> None:
    modules = sorted((REPO / "tests").rglob("test_*.py"))
    assert Path(__file__) in modules and REPO / "tests" / "test_benchmark.py" in modules
    found = [
        f"{path.relative_to(REPO)}:{assertion}"
        for path in modules
        for assertion in timing_assertions(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "def test_fast():\n    start = time.perf_counter()\n    run()\n    assert time.perf_counter() - start < 2\n",
            ["4: assert time.perf_counter() - start < 2"],
        ),
        (
            "def test_fast():\n    t0 = time.monotonic()\n    run()\n    elapsed = time.monotonic() - t0\n"
            "    assert elapsed <= 0.5, elapsed\n",
            ["5: assert elapsed <= 0.5, elapsed"],
        ),
        (
            "def test_measured():\n    result = bench()\n    assert result['build_seconds'] > 0\n",
            ["3: assert result['build_seconds'] > 0"],
        ),
        (
            "def test_waits():\n    deadline = time.monotonic() + 120\n    while time.monotonic() < deadline:\n"
            "        pass\n    assert done()\n",
            [],
        ),
        ("def test_reported():\n    result = bench()\n    assert isinstance(result['build_seconds'], float)\n", []),
        ("def test_count():\n    assert len(items()) > 0\n", []),
    ],
    ids=[
        "duration-below-a-bound",
        "duration-through-names",
        "tool-seconds-above-zero",
        "deadline-is-fine",
        "reported-figure-is-fine",
        "other-numbers-are-fine",
    ],
)
def test_a_planted_timing_assertion_is_reported(source: str, expected: list[str]) -> None:
    assert timing_assertions(source) == expected
