"""One vocabulary of status in words: a status declared once is phrased in every output, and none lacks a phrase."""

from __future__ import annotations

import ast
import csv
import dataclasses
import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from generator import derive as derive_stage
from generator.build import generate
from generator.cli import main
from generator.core.config import Layout
from generator.records.status import Origin, PolicyTimeline, Span
from generator.records.wording import BASES, STATUSES, Basis, BasisWords, Phase, Status, StatusWords

from .conftest import REPO, TODAY

QUOTA_FROM = dt.date(2026, 6, 1)
QUOTA_WORDS = StatusWords(
    label="Under quota",
    sentence="is capped by an export quota",
    change="comes under an export quota",
    run="export quota",
    colour="#5e35b1",
)


def _under_quota(spans: tuple[Span, ...], quota: Status) -> tuple[Span, ...]:
    """The spans in force from QUOTA_FROM on, in the new status instead: scheduled, as no source says so."""
    result: list[Span] = []
    for span in spans:
        if span.status is not Status.in_force or (span.end is not None and span.end < QUOTA_FROM):
            result.append(span)
            continue
        if span.start is not None and span.start < QUOTA_FROM:
            result.append(replace(span, end=QUOTA_FROM - dt.timedelta(days=1)))
            span = replace(span, start=QUOTA_FROM, origin=Origin.takes_effect)
        result.append(replace(span, status=quota, basis=Basis.scheduled, checked_through=None))
    return tuple(result)


@pytest.fixture
def quota(monkeypatch: pytest.MonkeyPatch) -> Status:
    """A status the engine does not know, declared for this test only, held by measure `ban` from 1 Jun 2026."""
    monkeypatch.setattr(Status, "_declared", dict(Status._declared))
    status = Status.declare("under-quota", Phase.active, QUOTA_WORDS)
    engine = derive_stage.policy_timeline

    def timeline(policy_id, policy, actions, evidence) -> PolicyTimeline:  # type: ignore[no-untyped-def]
        built = engine(policy_id, policy, actions, evidence)
        if policy_id != "ban":
            return built
        clauses = tuple((clause, _under_quota(spans, status)) for clause, spans in built.clauses)
        return PolicyTimeline(_under_quota(built.whole, status), clauses)

    monkeypatch.setattr(derive_stage, "policy_timeline", timeline)
    return status


def test_a_status_added_to_the_vocabulary_is_phrased_in_every_output(data_tree, quota: Status) -> None:
    layout: Layout = data_tree()
    generate(layout, TODAY)
    docs = layout.docs_dir
    page = _unescaped((docs / "policies" / "ban.md").read_text(encoding="utf-8"))
    # The page's badge, with the status's own CSS class and label.
    assert (
        '<span class="atlas-status atlas-status--under-quota atlas-status--scheduled" data-status-label="Under quota">'
        "Under quota (scheduled, not confirmed)</span>"
    ) in page
    # The answer sentence, for each clause in the new status.
    assert "Clause 1 (end-user ban) is capped by an export quota under the terms of Announcement No. 1" in page
    # The chart: the status's colour, and its words in the span's title and the text alternative.
    assert 'fill="#5e35b1" fill-opacity="0.5"><title>Whole measure: under quota (scheduled) from 1 Jun 2026' in page
    # The timeline table of the page.
    assert "| Whole measure | Under quota (scheduled) | 1 Jun 2026 | open-ended |" in page
    # The search filter.
    assert '<span data-pagefind-filter="status">Under quota</span>' in page
    # The policies index lists it with its badge.
    index = _unescaped((docs / "policies" / "index.md").read_text(encoding="utf-8"))
    assert 'data-status-label="Under quota">Under quota (scheduled, not confirmed)</span>' in index
    # The changes feed's title and summary.
    feed = (docs / "feeds" / "atom.xml").read_text(encoding="utf-8")
    assert "Announcement No. 1: comes under an export quota (scheduled, not confirmed) — 1 Jun 2026" in feed
    assert "Announcement No. 1 is under quota from 1 Jun 2026." in feed
    # The calendar's summary and categories.
    calendar = icalendar.Calendar.from_ical((docs / "feeds" / "calendar.ics").read_bytes())
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    event = events["Announcement No. 1 comes under an export quota (scheduled)"]
    assert [str(c) for c in event["categories"].cats] == ["Under quota", "Scheduled"]
    # The CSV download: value and label.
    with (docs / "downloads" / "policies.csv").open(encoding="utf-8-sig", newline="") as table:
        row = next(r for r in csv.DictReader(table) if r["id"] == "ban")
    assert (row["status"], row["status_label"], row["status_since"]) == ("under-quota", "Under quota", "2026-06-01")
    # The API document, and its schema, which lists the new value.
    api = json.loads((docs / "api" / "v1" / "policies" / "ban.json").read_text(encoding="utf-8"))
    status = api["derived"]["status"]
    assert (status["status"], status["label"], status["basis"]) == ("under-quota", "Under quota", "scheduled")
    schema = json.loads((docs / "api" / "v1" / "schema.json").read_text(encoding="utf-8"))
    assert "under-quota" in schema["$defs"]["Status"]["enum"]
    # `atlas status`.
    result = CliRunner().invoke(main, ["status", "ban", "--today", TODAY.isoformat(), "--data", str(layout.data_dir)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "  status: Under quota since 1 Jun 2026 (scheduled, not confirmed)" in lines
    assert "  2026-06-01  measure: In force -> Under quota since 1 Jun 2026 (scheduled, not confirmed)" in lines


def _unescaped(markdown: str) -> str:
    """The text of a Markdown page as a reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_the_new_status_is_gone_after_its_test() -> None:
    """The declaration above lasts one test: the vocabulary every other test sees is the table's."""
    assert [s.value for s in Status.every()] == [value for value, _, _ in STATUSES.values()]


@pytest.mark.parametrize("name", list(STATUSES), ids=list(STATUSES))
def test_every_status_has_a_phase_and_every_phrase(name: str) -> None:
    status = getattr(Status, name)
    assert status is Status.of(STATUSES[name][0])
    assert isinstance(status.phase, Phase)
    for field in dataclasses.fields(StatusWords):
        phrase = getattr(status.words, field.name)
        assert isinstance(phrase, str) and phrase.strip() == phrase and phrase, (name, field.name)
    assert re.fullmatch(r"#[0-9a-f]{6}", status.words.colour)


@pytest.mark.parametrize("name", list(BASES), ids=list(BASES))
def test_every_level_of_evidence_has_every_phrase(name: str) -> None:
    words = Basis.of(name).words
    for field in dataclasses.fields(BasisWords):
        assert getattr(words, field.name) is not None, (name, field.name)
    assert words.label and words.meaning
    # Only what a source does not confirm is marked; the mark, class and category then say so.
    assert bool(words.mark) == bool(words.badge_class) == bool(words.categories) == (not words.sourced)


def test_a_status_without_every_phrase_cannot_be_declared() -> None:
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'colour'"):
        StatusWords("Under quota", "is capped", "comes under a quota", "quota")  # type: ignore[call-arg]


def test_a_status_cannot_be_declared_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Status, "_declared", dict(Status._declared))
    with pytest.raises(ValueError, match=r"^Status 'in-force' is declared twice$"):
        Status.declare("in-force", Phase.active, Status.in_force.words)


def test_an_undeclared_status_is_refused_by_the_api_model() -> None:
    from generator.records.outputs import StatusOut

    with pytest.raises(ValueError, match="unknown status 'banned' \\(expected one of not-announced, "):
        StatusOut.model_validate(
            {"status": "banned", "label": "Banned", "since": None, "until": None, "by": None, "basis": "confirmed"}
            | {"checked_through": None}
        )


def test_every_status_has_a_badge_colour_in_the_stylesheet() -> None:
    css = (REPO / "site_config" / "assets" / "atlas.css").read_text(encoding="utf-8")
    missing = [s.value for s in Status.every() if not re.search(rf"\.atlas-status--{s.value}[,\s]", css)]
    assert missing == []


# Words that only the vocabulary may hold: each status's label, and the phrases and marks of the levels of
# evidence where they are more than a common word ("scheduled, not confirmed", "(scheduled)").
_OWNED = {words.label for _, _, words in STATUSES.values()} | {
    w for basis in BASES.values() for w in (basis.label, basis.mark.strip()) if " " in w or "(" in w
}


def _owned_literals(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [f"{path.name}:{node.lineno}: {node.value!r}" for w in _OWNED if w in node.value]
        if isinstance(node, ast.Tuple | ast.Set | ast.List):
            members = [e for e in node.elts if isinstance(e, ast.Attribute) and getattr(e.value, "id", "") == "Status"]
            if len(members) > 1:
                found.append(f"{path.name}:{node.lineno}: a family of statuses")
    return found


def test_no_module_but_the_vocabulary_phrases_a_status_or_lists_a_family() -> None:
    docstrings = {"generator/records/status.py", "generator/records/wording.py"}
    offences = [
        line
        for path in sorted((REPO / "generator").rglob("*.py"))
        if path.relative_to(REPO).as_posix() not in docstrings
        for line in _owned_literals(path)
        if not _in_docstring(path, line)
    ]
    assert offences == []


def _in_docstring(path: Path, line: str) -> bool:
    number = int(line.split(":")[1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            is_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            if is_docstring and first.lineno <= number <= (first.end_lineno or first.lineno):
                return True
    return False


def test_the_check_finds_a_phrase_and_a_family_written_elsewhere(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        'def f(s):\n    """Say "In force"."""\n    return "Suspended" if s in (Status.suspended, Status.expired) else ""\n',
        encoding="utf-8",
    )
    found = sorted(line for line in _owned_literals(planted) if not _in_docstring(planted, line))
    assert found == ["planted.py:3: 'Suspended'", "planted.py:3: a family of statuses"]


@pytest.mark.parametrize(
    "template",
    sorted((REPO / "site_config" / "templates").rglob("*.j2"))
    + sorted((REPO / "site_config" / "overrides").rglob("*.html")),
    ids=lambda path: path.name,
)
def test_no_template_writes_a_badge_or_a_mark_of_evidence(template: Path) -> None:
    """Templates print badges and spans through the filters of the vocabulary, never their own markup or marks."""
    text = template.read_text(encoding="utf-8")
    marks = [basis.mark.strip() for basis in BASES.values() if basis.mark]
    assert [w for w in ["atlas-status", "data-status-label", *marks] if w in text] == []


def test_a_level_of_evidence_added_to_the_vocabulary_is_phrased_by_badges_feeds_and_the_calendar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from generator.records import wording
    from generator.records.status import StatusAt

    monkeypatch.setattr(Basis, "_declared", dict(Basis._declared))
    estimated = Basis.declare(
        "estimated",
        BasisWords(
            label="estimated, not confirmed",
            mark=" (estimated)",
            pale=True,
            badge_class="atlas-status--estimated",
            categories=("Estimated",),
            meaning="an analyst's estimate dated within this status says so",
            sourced=False,
            reads="{where}; estimated up to {checked}",
        ),
    )
    status = StatusAt(
        Status.suspended,
        since=dt.date(2026, 1, 1),
        until=dt.date(2026, 12, 31),
        basis=estimated,
        checked_through=dt.date(2026, 3, 1),
    )
    assert wording.badge_phrase(status) == "Suspended until 31 Dec 2026 (estimated, not confirmed)"
    assert wording.badge_classes(status) == "atlas-status atlas-status--suspended atlas-status--estimated"
    assert wording.span_words(Status.suspended, estimated) == "suspended (estimated)"
    assert wording.calendar_categories(status) == ["Suspended", "Estimated"]
    assert (
        wording.described(status) == "Suspended 1 Jan 2026 – 31 Dec 2026 (estimated, not confirmed, up to 1 Mar 2026)"
    )
    assert wording.basis_meanings().endswith("; estimated: an analyst's estimate dated within this status says so.")
