"""YAML traps are caught at load time, each with a clear message and its line."""

from __future__ import annotations

import pytest

from generator.build import check
from generator.exceptions import DataError

from .conftest import TODAY, VALID_TREE


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
