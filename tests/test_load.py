"""YAML traps are caught at load time, each with a clear message and its line."""

from __future__ import annotations

import textwrap

import pytest

from generator.build import check
from generator.core.exceptions import DataError

from .conftest import HEADER, TODAY, VALID_TREE


def problems_for(data_tree, changes) -> list[str]:
    with pytest.raises(DataError) as caught:
        check(data_tree(changes), TODAY)
    return [str(p) for p in caught.value.problems]


TRAPS = [
    pytest.param(
        {"minerals/gallium.yaml": VALID_TREE["minerals/gallium.yaml"] + "name: Gallium again\n"},
        "data/minerals/gallium.yaml:19:1: name: duplicate field 'name' (first written on line 2); keep one",
        id="duplicate-key",
    ),
    pytest.param(
        {
            "minerals/gallium.yaml": VALID_TREE["minerals/gallium.yaml"].replace(
                "          - country: CN", "    \t- country: CN"
            )
        },
        "data/minerals/gallium.yaml:8:1: tab character in indentation; indent with spaces",
        id="tab-indent",
    ),
    pytest.param(
        {"minerals/gallium.yaml": b""},
        "data/minerals/gallium.yaml:1:1: the file is empty; a record is a mapping of fields (run `atlas new` for a skeleton)",
        id="empty-file",
    ),
    pytest.param(
        {"minerals/gallium.yaml": b"- name: Gallium\n"},
        "data/minerals/gallium.yaml:1:1: the file holds a list; a record is a mapping of fields (`name: ...`)",
        id="top-level-list",
    ),
    pytest.param(
        {"minerals/gallium.yaml": b"name: Gallium\nsummary: caf\xe9\n"},
        "data/minerals/gallium.yaml:2:13: the file is not UTF-8 (byte 0xe9); save it with UTF-8 encoding",
        id="not-utf8",
    ),
    pytest.param(
        {"minerals/gallium.yaml": b"name: !!python/object/apply:os.system [echo hacked]\n"},
        "data/minerals/gallium.yaml:1:1: name: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed; remove it",
        id="object-construction-tag",
    ),
    pytest.param(
        {"minerals/gallium.yaml": b"name: &n Gallium\nsummary: *n\n"},
        "data/minerals/gallium.yaml:2:1: summary: anchors and aliases (&name, *name) are not allowed; write the value out",
        id="alias",
    ),
    pytest.param(
        {"minerals/Gallium.yaml": VALID_TREE["minerals/gallium.yaml"]},
        "data/minerals/Gallium.yaml:1:1: file name 'Gallium' is not a valid id: use lowercase letters, digits and single hyphens",
        id="bad-file-name",
    ),
    pytest.param(
        {"minerals/germanium.yml": VALID_TREE["minerals/gallium.yaml"]},
        "data/minerals/germanium.yml: not a record file: records are <id>.yaml (rename it to germanium.yaml)",
        id="yml-extension",
    ),
    pytest.param(
        {"minerals/gallium.yaml": b"name: [Gallium\n"},
        "data/minerals/gallium.yaml:2:1: YAML syntax error: did not find expected ',' or ']'",
        id="syntax-error",
    ),
    pytest.param(
        {"metals/gallium.yaml": VALID_TREE["minerals/gallium.yaml"]},
        "data/metals: not a collection; data/ holds only the folders events, minerals, observations, policies, "
        "projects, sources",
        id="unknown-collection",
    ),
]


@pytest.mark.parametrize(("changes", "message"), TRAPS)
def test_yaml_trap_is_reported(data_tree, changes, message):
    assert message in problems_for(data_tree, changes)


GALLIUM = (
    HEADER.format(collection="minerals") + textwrap.dedent(VALID_TREE["minerals/gallium.yaml"]).lstrip("\n")
).encode()
BILLION_LAUGHS = b"""\
a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""
ALIASES = "anchors and aliases (&name, *name) are not allowed; write the value out"
NESTED = "nested more than 32 levels deep; no field of a record nests so deep"


def nested(depth: int) -> bytes:
    return GALLIUM + b"deep: " + b"[" * depth + b"]" * depth + b"\n"


def document_number(written: str) -> dict[str, str | bytes | None]:
    old = "document_number: Announcement No. 1"
    return {"policies/ban.yaml": VALID_TREE["policies/ban.yaml"].replace(old, f"document_number: {written}")}


def read_as(written: str, kind: str) -> str:
    return (
        f"data/policies/ban.yaml:2:18: document_number: '{written}' is read by YAML as {kind}, not text; "
        f'put it in quotes: "{written}"'
    )


# Each trap answers with exactly these problems, and nothing else.
MORE_TRAPS = [
    pytest.param(document_number("1:20"), [read_as("1:20", "a number")], id="sexagesimal"),
    pytest.param(document_number("0o17"), [read_as("0o17", "a number")], id="yaml12-octal"),
    pytest.param(document_number("0x1F"), [read_as("0x1F", "a number")], id="hex"),
    pytest.param(document_number("1.10"), [read_as("1.10", "a number")], id="version-number"),
    pytest.param(document_number(".inf"), [read_as(".inf", "a number")], id="infinity"),
    pytest.param(document_number("yes"), [read_as("yes", "a boolean")], id="yaml11-yes"),
    pytest.param(document_number("2024-12-03"), [read_as("2024-12-03", "a date")], id="date-in-text"),
    pytest.param(
        document_number("~"),
        ["data/policies/ban.yaml:2:18: document_number: is empty; give a value or remove the field"],
        id="tilde-is-null",
    ),
    pytest.param(
        {"minerals/gallium.yaml": GALLIUM.replace(b"name: Gallium", b"name: Gal\x00lium")},
        ["data/minerals/gallium.yaml:2:10: the control character U+0000 is not allowed in a record file; remove it"],
        id="nul-byte",
    ),
    pytest.param(
        {"minerals/gallium.yaml": GALLIUM.replace(b"name: Gallium", "name: Gälliüm\x07".encode())},
        ["data/minerals/gallium.yaml:2:14: the control character U+0007 is not allowed in a record file; remove it"],
        id="control-byte-after-non-ascii",
    ),
    pytest.param(
        {"minerals/gallium.yaml": GALLIUM.replace(b"name: Gallium", b'name: "Gal\\0lium"')},
        ["data/minerals/gallium.yaml:2:7: name: 'Gal\\x00lium' holds the control character U+0000; remove it"],
        id="nul-escape-in-quotes",
    ),
    pytest.param(
        {"minerals/gallium.yaml": GALLIUM.replace(b"name: Gallium", b'name: "Gal\\e[31mlium"')},
        ["data/minerals/gallium.yaml:2:7: name: 'Gal\\x1b[31mlium' holds the control character U+001B; remove it"],
        id="terminal-escape-in-quotes",
    ),
    pytest.param(
        {"minerals/gallium.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"},
        ["data/minerals/gallium.yaml:1:1: the file is not UTF-8 (byte 0x89); save it with UTF-8 encoding"],
        id="binary-file",
    ),
    pytest.param(
        {"minerals/gallium.yaml": GALLIUM.decode().encode("utf-16")},
        ["data/minerals/gallium.yaml:1:1: the file is not UTF-8 (byte 0xff); save it with UTF-8 encoding"],
        id="utf-16",
    ),
    pytest.param(
        {"minerals/gallium.yaml": GALLIUM + BILLION_LAUGHS},
        [
            f"data/minerals/gallium.yaml:{line}:1: {field}[{index}]: {ALIASES}"
            for line, field in ((20, "b"), (21, "c"), (22, "d"))
            for index in range(9)
        ],
        id="billion-laughs",
    ),
    pytest.param(
        {"minerals/gallium.yaml": nested(33)},
        [f"data/minerals/gallium.yaml:19:1: deep: {NESTED}"],
        id="nested-33-deep",
    ),
    pytest.param(
        {"minerals/gallium.yaml": nested(999)},
        [f"data/minerals/gallium.yaml:19:1: deep: {NESTED}"],
        id="nested-999-deep",
    ),
    pytest.param(
        {"minerals/gallium.yaml": nested(100_000)},
        ["data/minerals/gallium.yaml:19:1006: YAML syntax error: exceeded maximum nesting depth"],
        id="nested-100000-deep",
    ),
]


@pytest.mark.parametrize(("changes", "messages"), MORE_TRAPS)
def test_yaml_trap_is_the_only_problem(data_tree, changes, messages):
    assert problems_for(data_tree, changes) == messages


def test_a_field_nested_32_deep_is_read_and_then_unknown(data_tree):
    problems = problems_for(data_tree, {"minerals/gallium.yaml": nested(32)})
    assert [p.split(" (known fields")[0] for p in problems] == [
        "data/minerals/gallium.yaml:19:1: deep: unknown field 'deep'"
    ]


@pytest.mark.parametrize(
    "written",
    [b"\xef\xbb\xbf" + GALLIUM, GALLIUM.replace(b"name: Gallium", b"name:\tGallium")],
    ids=["byte-order-mark", "tab-after-colon"],
)
def test_harmless_bytes_are_read(data_tree, written):
    checked = check(data_tree({"minerals/gallium.yaml": written}), TODAY)
    assert checked.dataset.records["minerals"]["gallium"].name == "Gallium"


def test_quoted_tabs_and_line_breaks_are_text(data_tree):
    layout = data_tree({"minerals/gallium.yaml": GALLIUM.replace(b"name: Gallium", b'name: "Gal\\tli\\r\\num"')})
    assert check(layout, TODAY).dataset.records["minerals"]["gallium"].name == "Gal\tli\r\num"
