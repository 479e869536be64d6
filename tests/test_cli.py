"""The `atlas` command: messages, exit codes (0 clean, 1 data errors, 2 misuse) and help."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import REPO, VALID_TREE


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_validate_real_data_is_clean():
    result = run("validate", "--today", "2026-11-24", "--root", str(REPO), "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("records valid, 0 warnings.\n")
    assert "error" not in result.output.lower()


def test_validate_reports_errors_and_exits_1(data_tree):
    layout = data_tree(
        {"policies/pause.yaml": VALID_TREE["policies/pause.yaml"].replace("policy: ban", "policy: bann")}
    )
    result = run("validate", "--today", "2026-11-24", "--data", str(layout.data_dir), "--no-annotations")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "data/policies/pause.yaml:15:13: relations[0].policy: unknown policy 'bann' (did you mean 'ban'?)",
        "Aborted with 1 data error.",
    ]


def test_validate_prints_github_annotations(data_tree):
    layout = data_tree(
        {"policies/pause.yaml": VALID_TREE["policies/pause.yaml"].replace("policy: ban", "policy: bann")}
    )
    result = run("validate", "--today", "2026-11-24", "--data", str(layout.data_dir), "--annotations")
    assert (
        "::error file=data/policies/pause.yaml,line=15,col=13::relations[0].policy: unknown policy 'bann' "
        "(did you mean 'ban'?)"
    ) in result.output.splitlines()


def test_strict_turns_warnings_into_errors(data_tree):
    layout = data_tree({"sources/unused.yaml": VALID_TREE["sources/mofcom-ban.yaml"]})
    assert run("validate", "--today", "2026-11-24", "--data", str(layout.data_dir)).exit_code == 0
    result = run("validate", "--today", "2026-11-24", "--data", str(layout.data_dir), "--strict")
    assert result.exit_code == 1
    assert "data/sources/unused.yaml:1:1: warning: source 'unused' is not cited by any record" in result.output


def test_bad_date_option_is_a_usage_error():
    result = run("validate", "--today", "2026-13-01")
    assert result.exit_code == 2
    assert "'2026-13-01' is not a date in the form YYYY-MM-DD" in result.output


def test_new_writes_a_skeleton_that_validates_once_filled(data_tree):
    layout = data_tree()
    result = run("new", "policy", "cn-mofcom-2025-99", "--today", "2026-11-24", "--data", str(layout.data_dir))
    assert result.exit_code == 0, result.output
    path = layout.data_dir / "policies" / "cn-mofcom-2025-99.yaml"
    text = path.read_text(encoding="utf-8")
    assert "last_verified: 2026-11-24" in text
    unfilled = run("validate", "--today", "2026-11-24", "--data", str(layout.data_dir))
    assert unfilled.exit_code == 1
    assert (
        "data/policies/cn-mofcom-2025-99.yaml:5:18: document_number: placeholder FILL-IN not filled in"
        in unfilled.output
    )
    fills = {
        "document_number: FILL-IN": 'document_number: "MOFCOM Announcement No. 99 of 2025"',
        "title: FILL-IN": "title: A new announcement",
        "jurisdiction: FILL-IN": "jurisdiction: CN",
        "  - FILL-IN\ninstrument": "  - MOFCOM\ninstrument",
        "instrument: FILL-IN": "instrument: export-licensing",
        "summary: FILL-IN": "summary: Licensing of new items.",
        "announced: FILL-IN": "announced: 2025-12-01",
        "sources:  # Source records behind the record as a whole.\n  - FILL-IN": "sources:\n  - mofcom-ban",
    }
    for old, new in fills.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    filled = run("validate", "--today", "2026-11-24", "--data", str(layout.data_dir))
    assert filled.exit_code == 0, filled.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("policy", "ban"), "already exists; edit it instead"),
        (
            ("policy", "../escape"),
            "Error: '../escape' is not a valid id: use lowercase letters, digits and single hyphens",
        ),
        (("policy", "Bad_Id"), "Error: 'Bad_Id' is not a valid id"),
        (("metal", "x"), "Error: unknown collection 'metal'; use one of: event, mineral, policy, project, source"),
    ],
    ids=["existing", "escapes-folder", "invalid", "unknown-collection"],
)
def test_new_refuses(data_tree, args, message):
    layout = data_tree()
    result = run("new", *args, "--data", str(layout.data_dir))
    assert result.exit_code == 2
    assert message in result.output
    assert not (layout.data_dir.parent / "escape.yaml").exists()


def test_every_command_has_help_text():
    for name, command in main.commands.items():
        assert command.help and len(command.help) > 20, name
        result = run(name, "--help")
        assert result.exit_code == 0
        assert " ".join(command.help.split()[:4]) in " ".join(result.output.split())


def test_ten_mistakes_in_a_copy_of_the_real_data_give_ten_errors(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    mistakes = [
        ("policies/cn-mofcom-2025-72.yaml", "policy: cn-mofcom-2024-46", "policy: cn-mofcom-2024-64"),
        ("policies/cn-mofcom-2025-72.yaml", "expires: 2026-11-27", "expires: 2026-02-30"),
        ("policies/cn-mofcom-2024-46.yaml", "instrument: export-prohibition", "instrument: export-prohibiton"),
        ("minerals/gallium.yaml", "atomic_number: 31", "atomic_number: thirty-one"),
        ("minerals/antimony.yaml", "share: 60", "share: 160"),
        ("minerals/germanium.yaml", "summary:", "sumary:"),
        ("projects/mojave.yaml", 'country: "US"', 'country: "UX"'),
        ("projects/stibnite-gold.yaml", "stage: permitting", "stage: permiting"),
        ("events/busan-xi-trump-meeting-2025-10-30.yaml", "date: 2025-10-30", "date: 2205-10-30"),
        ("sources/usgs-mcs-2025-gallium.yaml", 'url: "https://', 'url: "ftp://'),
    ]
    for path, old, new in mistakes:
        file = data / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("validate", "--today", "2026-11-24", "--data", str(data), "--no-annotations")
    assert result.exit_code == 1
    errors = result.output.splitlines()[:-1]
    assert len(errors) == 10, result.output
    assert result.output.splitlines()[-1] == "Aborted with 10 data errors."
    assert all(re.match(r"^data/[a-z]+/[a-z0-9-]+\.yaml:\d+:\d+: [a-z_\[\]0-9.]+: ", line) for line in errors), errors


def test_build_prints_one_summary_line_per_stage_outside_a_terminal(tmp_path):
    args = ["build", "--today", "2026-11-24", "--root", str(REPO), "--no-annotations"]
    args += ["--site-dir", str(tmp_path / "site"), "--docs-dir", str(tmp_path / "docs")]
    result = run(*args)
    assert result.exit_code == 0, result.output
    stages = [line.split()[0] for line in result.output.splitlines()[:-1]]
    assert stages == ["load", "validate", "derive", "render", "export", "write", "mkdocs"]
    assert "\r" not in result.output
    again = run(*args)
    assert again.output.splitlines()[-1].endswith(": Markdown unchanged since the last run.")
