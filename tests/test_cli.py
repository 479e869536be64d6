"""The `atlas` command: messages, exit codes (0 clean, 1 data errors, 2 misuse) and help."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import REPO, VALID_TREE


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_validate_real_data_is_clean_but_for_knowledge_that_may_be_out_of_date():
    result = run("validate", "--today", "2026-11-24", "--root", str(REPO), "--strict")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    # Facts checked against the first fact sheet (to 18 Nov 2025) are more than 180 days old on this day, and so is
    # Tanzania's lithium rule, whose newest material dates from November 2023.
    assert len(warnings) == 47
    assert all(": warning: research_cutoff: may be out of date: research cut-off " in line for line in warnings)
    assert result.output.endswith("records valid, 47 warnings.\n")
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
        "summary: FILL-IN": "summary: Licensing of new items [@mofcom-ban].",
        "research_cutoff: FILL-IN": "research_cutoff: 2026-10-05",
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
        (
            ("policy", "../escape"),
            "Error: '../escape' is not a valid id: use lowercase letters, digits and single hyphens",
        ),
        (("policy", "Bad_Id"), "Error: 'Bad_Id' is not a valid id: use lowercase letters, digits and single hyphens"),
        (
            ("metal", "x"),
            "Error: Invalid value for 'COLLECTION': 'metal' is not one of 'mineral', 'minerals', 'policy', "
            "'policies', 'project', 'projects', 'source', 'sources', 'event', 'events'.",
        ),
    ],
    ids=["escapes-folder", "invalid", "unknown-collection"],
)
def test_new_refuses_a_wrong_command_line_with_exit_2(data_tree, args, message):
    layout = data_tree()
    result = run("new", *args, "--data", str(layout.data_dir))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message
    assert not (layout.data_dir.parent / "escape.yaml").exists()


def test_new_refuses_an_existing_record_with_exit_1(data_tree):
    layout = data_tree()
    before = (layout.data_dir / "policies" / "ban.yaml").read_bytes()
    result = run("new", "policies", "ban", "--data", str(layout.data_dir))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {layout.data_dir / 'policies' / 'ban.yaml'} already exists; edit it instead\n"
    assert (layout.data_dir / "policies" / "ban.yaml").read_bytes() == before


def test_new_help_lists_the_record_types():
    result = run("new", "--help")
    assert result.exit_code == 0
    assert (
        "COLLECTION is one of: mineral, policy, project, source, event (or the plural: minerals, policies, "
        "projects, sources, events)."
    ) in " ".join(result.output.split())


def test_schemas_check_exits_1_when_a_schema_is_stale(tmp_path):
    schemas = tmp_path / "site_config" / "schemas"
    shutil.copytree(REPO / "site_config" / "schemas", schemas)
    assert run("schemas", "--check", "--root", str(tmp_path)).exit_code == 0
    (schemas / "policies.schema.json").write_text("{}\n", encoding="utf-8")
    result = run("schemas", "--check", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == "Error: out of date: policies.schema.json; run `atlas schemas`\n"
    assert run("schemas", "--root", str(tmp_path)).stderr == f"1 schema file(s) updated in {schemas}.\n"
    assert run("schemas", "--check", "--root", str(tmp_path)).exit_code == 0


@pytest.mark.parametrize(
    ("args", "last_lines"),
    [
        (["validate"], ["data: data folder not found", "Aborted with 1 data error."]),
        (["build"], ["data: data folder not found", "Aborted with 1 data error."]),
        (["new", "policy", "x"], ["Error: data folder {data} not found"]),
        (["serve"], ["Error: data folder {data} not found"]),
        (["check-sources"], ["Error: data folder {data} not found"]),
    ],
    ids=["validate", "build", "new", "serve", "check-sources"],
)
def test_a_missing_data_folder_exits_1(tmp_path, args, last_lines):
    data = tmp_path / "data"
    result = run(*args, "--root", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-len(last_lines) :] == [line.format(data=data) for line in last_lines]
    assert not data.exists()


def test_every_command_has_help_text():
    for name, command in main.commands.items():
        assert command.help and len(command.help) > 20, name
        result = run(name, "--help")
        assert result.exit_code == 0
        assert " ".join(command.help.split()[:4]) in " ".join(result.output.split())


def test_ten_mistakes_in_a_copy_of_the_real_data_give_ten_errors(tmp_path):
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
        ("projects/treasure-creek.yaml", "stage: exploration", "stage: exploraton"),
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


@pytest.mark.slow
def test_build_prints_one_summary_line_per_stage_outside_a_terminal(tmp_path):
    args = ["build", "--today", "2026-11-24", "--root", str(REPO), "--no-annotations"]
    args += ["--site-dir", str(tmp_path / "site"), "--docs-dir", str(tmp_path / "docs")]
    result = run(*args)
    assert result.exit_code == 0, result.output
    # On this day, facts checked against the first fact sheet may be out of date: one warning line each.
    lines = [
        line for line in result.output.splitlines() if ": warning: research_cutoff: may be out of date" not in line
    ]
    stages = [line.split()[0] for line in lines[:-1]]
    assert stages == ["load", "validate", "derive", "render", "export", "write", "mkdocs", "search"]
    assert "\r" not in result.output
    again = run(*args, "-v")
    assert again.output.splitlines()[-1].endswith(": Markdown unchanged since the last run.")
    assert any(
        re.match(r"INFO    -  Documentation built in [0-9.]+ seconds$", line) for line in again.stderr.splitlines()
    )
    assert "INFO" not in result.stderr
    quiet = run(*args, "-q")
    assert quiet.exit_code == 0, quiet.output
    assert all(": warning: " in line for line in quiet.output.splitlines())


@pytest.mark.parametrize("flag", ["-q", "--quiet", "-v", "--verbose"])
@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_takes_quiet_and_verbose_after_its_name(name, flag):
    assert {"quiet", "verbose"} <= {param.name for param in main.commands[name].params}
    result = run(name, flag, "--help")
    assert result.exit_code == 0, result.output


# A quick run of each command that ends in one summary line ({data}: the valid tree, {root}: an empty folder).
QUICK_RUNS = {
    "validate": (
        ["validate", "--today", "2026-11-24", "--data", "{data}"],
        "8 records valid, 0 warnings.",
    ),
    "new": (
        ["new", "event", "summit", "--data", "{data}"],
        "Wrote {data}/events/summit.yaml; fill in every FILL-IN, then run `atlas validate`.",
    ),
    "schemas": (["schemas", "--root", "{root}"], "6 schema file(s) updated in {root}/site_config/schemas."),
    "check-sources": (
        ["check-sources", "--data", "{root}"],
        "Checked 0 source URLs: 0 did not answer.",
    ),
}


@pytest.mark.parametrize("name", sorted(QUICK_RUNS))
def test_quiet_leaves_out_the_summary_and_verbose_keeps_it(data_tree, tmp_path, name):
    data, root = data_tree().data_dir, tmp_path / "empty"
    args, summary = QUICK_RUNS[name]
    args = [arg.format(data=data, root=root) for arg in args]
    summary = summary.format(data=data, root=root) + "\n"

    def run_afresh(*args: str):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir()
        (data / "events" / "summit.yaml").unlink(missing_ok=True)
        result = run(*args)
        assert result.exit_code == 0, result.output
        return result

    assert run_afresh(*args, "-q").stderr == ""
    assert run_afresh(*args, "-v").stderr == summary
    # Before the command's name, -q works too, and does not outlast the run.
    assert run_afresh("-q", *args).stderr == ""
    assert run_afresh(*args).stderr == summary


def test_quiet_keeps_warnings(data_tree):
    layout = data_tree({"sources/unused.yaml": VALID_TREE["sources/mofcom-ban.yaml"]})
    result = run("validate", "-q", "--today", "2026-11-24", "--data", str(layout.data_dir))
    assert result.exit_code == 0
    assert result.stderr == "data/sources/unused.yaml:1:1: warning: source 'unused' is not cited by any record\n"


@pytest.mark.parametrize("quiet", [[], ["-q"]], ids=["normal", "quiet"])
def test_build_with_data_errors_lists_each_then_the_count(data_tree, quiet):
    layout = data_tree(
        {
            "policies/pause.yaml": VALID_TREE["policies/pause.yaml"].replace("policy: ban", "policy: bann"),
            "projects/mine.yaml": VALID_TREE["projects/mine.yaml"].replace("stage: exploration", "stage: digging"),
        }
    )
    args = ["build", *quiet, "--today", "2026-11-24", "--annotations", "--data", str(layout.data_dir)]
    args += ["--site-dir", str(layout.site_dir), "--docs-dir", str(layout.docs_dir)]
    result = run(*args)
    assert result.exit_code == 1
    errors = [
        "data/policies/pause.yaml:15:13: relations[0].policy: unknown policy 'bann' (did you mean 'ban'?)",
        "data/projects/mine.yaml:10:8: stage: 'digging' is not one of",
    ]
    lines = result.stderr.splitlines()
    assert len(lines) == (3 if quiet else 5), lines  # the load and validate stages' lines, unless quiet
    assert lines[-3] == errors[0]
    assert lines[-2].startswith(errors[1])
    assert lines[-1] == "Aborted with 2 data errors."
    assert [line.split("::")[1] for line in result.stdout.splitlines()] == [
        "error file=data/policies/pause.yaml,line=15,col=13",
        "error file=data/projects/mine.yaml,line=10,col=8",
    ]
    assert not layout.site_dir.exists()


def test_version_names_the_installed_package():
    from importlib.metadata import version

    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"atlas {version('critical-minerals-atlas')}\n"


def test_status_prints_the_measure_and_each_clause_with_basis_and_timeline(data_tree):
    layout = data_tree()
    result = run("status", "ban", "--today", "2026-11-25", "--data", str(layout.data_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Announcement No. 1 (ban) on 25 Nov 2026",
        "  status: In force since 3 Dec 2024 (confirmed, checked through 3 Dec 2024)",
        "  clause 1: In force since 3 Dec 2024 (confirmed, checked through 3 Dec 2024)",
        "  clause 2: Suspended 9 Nov 2025 – 27 Nov 2026 by pause (confirmed, checked through 9 Nov 2025)",
        result.stdout.splitlines()[4],
        "timeline:",
        "  2024-12-03  measure: Not yet announced -> In force since 3 Dec 2024 (confirmed, checked through 3 Dec 2024)",
        "  2025-11-09  clause 2: In force -> Suspended 9 Nov 2025 – 27 Nov 2026 by pause "
        "(confirmed, checked through 9 Nov 2025)",
        "  2026-11-28  clause 2: Suspended -> In force since 28 Nov 2026 (scheduled, not confirmed)"
        "  (after the as-of date)",
    ]
    assert result.stdout.splitlines()[4].startswith("  On 25 Nov 2026, Announcement No. 1 is partly suspended.")


def test_status_json_is_the_api_documents_derived_status(data_tree):
    from generator.build import generate

    layout = data_tree()
    generate(layout, dt.date(2026, 11, 25))
    api = json.loads((layout.docs_dir / "api/v1/policies/ban.json").read_text())
    result = run("status", "ban", "--today", "2026-11-25", "--json", "--data", str(layout.data_dir))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["derived"] == api["derived"]
    assert (report["id"], report["as_of"], report["page"]) == ("ban", "2026-11-25", api["page"])
    assert [(c["day"], c["clause"], c["after"]["status"]) for c in report["timeline"]] == [
        ("2024-12-03", None, "in-force"),
        ("2025-11-09", "2", "suspended"),
        ("2026-11-28", "2", "in-force"),
    ]


@pytest.mark.slow
def test_status_of_the_real_measure_matches_the_real_sites_api(real_site):
    result = run("status", "cn-mofcom-2024-46", "--today", "2026-11-25", "--json", "--root", str(REPO))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    api = json.loads((real_site / "api/v1/policies/cn-mofcom-2024-46.json").read_text())
    assert report["derived"] == api["derived"]
    clause = report["derived"]["clauses"][1]["status"]
    assert (clause["status"], clause["until"], clause["by"]) == ("suspended", "2026-11-27", "cn-mofcom-2025-72")
    assert clause["basis"] in ("confirmed", "scheduled")


def test_status_of_an_unknown_measure_exits_1_with_the_close_ids(data_tree):
    layout = data_tree()
    result = run("status", "bann", "--today", "2026-11-25", "--data", str(layout.data_dir))
    assert result.exit_code == 1
    assert result.stderr == f"Error: no measure 'bann' in {layout.data_dir / 'policies'}; did you mean ban?\n"
    assert run("status", "ban", "--today", "25/11/2026", "--data", str(layout.data_dir)).exit_code == 2


def test_validate_json_gives_tools_every_problem_with_its_place(data_tree):
    layout = data_tree()
    clean = run("validate", "--json", "--today", "2026-11-24", "--data", str(layout.data_dir))
    assert clean.exit_code == 0
    assert json.loads(clean.stdout) == {"valid": True, "records": 8, "errors": 0, "warnings": 0, "problems": []}
    layout = data_tree(
        {"policies/pause.yaml": VALID_TREE["policies/pause.yaml"].replace("policy: ban", "policy: bann")}
    )
    broken = run("validate", "--json", "--today", "2026-11-24", "--data", str(layout.data_dir))
    assert broken.exit_code == 1
    assert broken.stderr == ""
    assert json.loads(broken.stdout) == {
        "valid": False,
        "records": None,
        "errors": 1,
        "warnings": 0,
        "problems": [
            {
                "severity": "error",
                "path": "data/policies/pause.yaml",
                "line": 15,
                "col": 13,
                "field": "relations[0].policy",
                "message": "unknown policy 'bann' (did you mean 'ban'?)",
            }
        ],
    }


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize("args", [["--help"], ["validate", "--json", "--today", "2026-11-24"]], ids=["help", "json"])
def test_output_to_a_full_device_ends_with_a_message_not_a_traceback(data_tree, args: list[str]) -> None:
    import subprocess
    import sys

    layout = data_tree()
    extra = ["--data", str(layout.data_dir)] if args[0] == "validate" else []
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "generator", *args, *extra],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )
    assert (done.returncode, done.stderr) == (
        1,
        "Error: cannot write the output: No space left on device; the output is incomplete\n",
    )
