"""One status engine: badges, chart spans, the timeline table, the API and the calendar agree on every date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import icalendar
import jinja2
import pytest

from generator.build import Layout, check
from generator.core.formatting import date_long
from generator.core.urls import page
from generator.derive import derive
from generator.exports.calendar import calendar_file
from generator.exports.changes import status_changes
from generator.records.dataset import Dataset
from generator.records.outputs import PolicyDerived
from generator.records.registry import COLLECTIONS, Row
from generator.records.wording import Basis, Status
from generator.render import Renderer, make_environment
from generator.render.contexts import record_context

from .conftest import REPO, TODAY, VALID_TREE

LABELS = {s.label: s for s in Status.every()}
# A measure in force with some clauses suspended leads with this; as a whole it is in force.
LABELS["Partly suspended"] = Status.in_force
# What a span's evidence adds to its words: " (scheduled)", " (reported)", as the vocabulary declares.
MARKS = "|".join(re.escape(b.words.mark) for b in Basis.every() if b.words.mark)
DAY_WORDS = re.compile(r"(\d{1,2} [A-Z][a-z]{2} \d{4})")

# Revocations (before and after expiry), a back-to-back extension of a clause's suspension, and a
# suspension of the whole measure overlapping it.
SYNTHETIC_TREE: dict[str, str | bytes | None] = {
    "policies/pause.yaml": None,
    "policies/extend.yaml": """
        document_number: Announcement No. 5
        title: Extends the suspension of clause 2
        jurisdiction: CN
        authorities: [MOFCOM]
        instrument: suspension
        summary: Extends the suspension.
        dates:
          announced: 2024-12-20
          effective: 2025-01-01
          expires: 2025-06-30
        relations:
          - type: suspends
            policy: ban
            clause: "2"
            start: 2025-01-01
            end: 2025-06-30
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [mofcom-pause]
        """,
    "policies/first.yaml": """
        document_number: Announcement No. 4
        title: Suspends clause 2
        jurisdiction: CN
        authorities: [MOFCOM]
        instrument: suspension
        summary: Suspends clause 2.
        dates:
          announced: 2024-12-01
          effective: 2024-12-10
          expires: 2024-12-31
        relations:
          - type: suspends
            policy: ban
            clause: "2"
            start: 2024-12-10
            end: 2024-12-31
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [mofcom-pause]
        """,
    "policies/whole.yaml": """
        document_number: Announcement No. 6
        title: Suspends the whole ban
        jurisdiction: CN
        authorities: [MOFCOM]
        instrument: suspension
        summary: Suspends all of it.
        dates:
          announced: 2025-03-01
          effective: 2025-03-01
        relations:
          - type: suspends
            policy: ban
            start: 2025-03-01
            end: 2025-09-30
          - type: suspends
            policy: early
            start: 2025-03-01
            end: 2025-04-30
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [mofcom-pause]
        """,
    "policies/early.yaml": """
        document_number: Announcement No. 7
        title: Revoked before it expired
        jurisdiction: CN
        authorities: [MOFCOM]
        instrument: tariff
        summary: A tariff revoked early.
        dates:
          announced: 2024-11-01
          effective: 2025-01-01
          expires: 2025-12-31
          revoked: 2025-06-01
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [mofcom-pause]
        """,
    "policies/late.yaml": """
        document_number: Announcement No. 8
        title: Revoked after it expired
        jurisdiction: CN
        authorities: [MOFCOM]
        instrument: tariff
        summary: A tariff revoked after its end.
        dates:
          announced: 2024-01-15
          effective: 2024-02-01
          expires: 2024-12-31
          revoked: 2025-06-01
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [mofcom-pause]
        """,
    "events/talks.yaml": VALID_TREE["events/talks.yaml"],
}


@dataclass(frozen=True)
class Seen:
    """A status as one view shows it: the status, and the last day it holds (None when open or not shown)."""

    status: Status
    until: dt.date | None


def _day(words: str) -> dt.date:
    return dt.datetime.strptime(words, "%d %b %Y").date()


def _badge(label: str, phrase: str) -> Seen:
    """Read a badge: its status, and the last day it names ('until 27 Nov 2026', or the day before it takes effect).

    What reports say instead, where the basis is unclear ("(unclear: reported suspended until ...)"), is not the
    badge's own status and is left aside.
    """
    phrase = re.sub(r" \\?\([^()]*: reported .*$", "", phrase)
    until = re.search(r"until " + DAY_WORDS.pattern, phrase)
    starts = re.search(r"takes effect " + DAY_WORDS.pattern, phrase)
    last = _day(until.group(1)) if until else _day(starts.group(1)) - dt.timedelta(days=1) if starts else None
    return Seen(LABELS[label], last)


def badges(markdown: str) -> dict[str, Seen]:
    """The policy page's badges: the whole measure's (after 'Status on') and each clause's (its table row)."""
    found: dict[str, Seen] = {}
    whole = re.search(r"\*\*Status on [^*]+:\*\* <span [^>]*data-status-label=\"([^\"]+)\">([^<]*)<", markdown)
    assert whole, markdown[:500]
    found["Whole measure"] = _badge(whole.group(1), whole.group(2))
    for clause, label, phrase in re.findall(
        r"^\| ([0-9a-z.()]+) \|.*data-status-label=\"([^\"]+)\">([^<]*)</span> \|$", markdown, re.M
    ):
        found[f"Clause {clause}"] = _badge(label, phrase)
    return found


def _covering(rows: list[tuple[str, Status, dt.date, dt.date | None]], part: str, day: dt.date) -> Seen | None:
    for name, status, start, end in rows:
        if name == part and start <= day and (end is None or day <= end):
            return Seen(status, end)
    return None


def table_rows(markdown: str) -> list[tuple[str, Status, dt.date, dt.date | None]]:
    """The 'Timeline of this measure' table: part, status, from, to."""
    rows = []
    for part, label, start, end in re.findall(
        rf"^\| (Whole measure|Clause [^|]+) \| ([A-Za-z ]+?)(?:{MARKS})? \| ([^|]+) \| ([^|]+) \|$",
        markdown,
        re.M,
    ):
        if label.strip() in LABELS:
            stop = None if end.strip() == "open\\-ended" else _day(end.strip())
            rows.append((part, LABELS[label.strip()], _day(start.strip()), stop))
    return rows


def chart_rows(markdown: str) -> list[tuple[str, Status, dt.date, dt.date | None]]:
    """The chart's spans, from the title of each bar: 'Clause 2: suspended from 9 Nov 2025 to 27 Nov 2026'."""
    rows = []
    for part, words, start, end in re.findall(
        rf"<rect [^>]*><title>([^:<]+): ([a-z ]+?)(?:{MARKS})? from (\d{{1,2}} \w{{3}} \d{{4}})"
        r"(?: to (\d{1,2} \w{3} \d{4})| on)</title>",
        markdown,
    ):
        rows.append((part, LABELS[words.capitalize()], _day(start), _day(end) if end else None))
    return rows


class Views:
    """Every view of every measure on one date, built by the real stages in memory."""

    environments: ClassVar[dict[Path, jinja2.Environment]] = {}

    def __init__(self, dataset: Dataset, layout: Layout, day: dt.date) -> None:
        self.dataset = dataset
        self.day = day
        self.derived = derive(dataset, day)
        env = self.environments.get(layout.templates_dir) or self.environments.setdefault(
            layout.templates_dir, make_environment(layout.templates_dir)
        )
        self.renderer = Renderer(env, dataset, self.derived, layout.content_dir)
        # The calendar and the API documents as the exports stage writes them, for the measures only.
        calendar = calendar_file(dataset, self.derived, status_changes(self.derived), None)
        self.events = list(icalendar.Calendar.from_ical(calendar.content).walk("VEVENT"))

    def policy_page(self, policy_id: str) -> str:
        context = record_context("policies", policy_id, self.dataset.policies[policy_id], self.dataset, self.derived)
        return self.renderer.page("policy.md.j2", page("policies", policy_id), context).content

    def api(self, policy_id: str) -> dict[str, Seen]:
        row = Row("policies", policy_id, self.dataset.policies[policy_id], self.derived)
        derived = PolicyDerived(**COLLECTIONS["policies"].facts(row)).model_dump(mode="json")

        def seen(status: dict[str, str | None]) -> Seen:
            until = status["until"]
            return Seen(Status.of(status["status"]), dt.date.fromisoformat(until) if until else None)

        return {"Whole measure": seen(derived["status"])} | {
            f"Clause {c['id']}": seen(c["status"]) for c in derived["clauses"]
        }

    def calendar_changes(self, policy_id: str, part: str) -> dict[dt.date, Status]:
        """The status each change leads to, by its first day, for one part of the measure."""
        clause = None if part == "Whole measure" else part.removeprefix("Clause ")
        found: dict[dt.date, Status] = {}
        for event in self.events:
            match = re.match(
                rf"^policies/{policy_id}(?:/clauses/([^/]+))?/status/(\d{{4}}-\d{{2}}-\d{{2}})@", event["uid"]
            )
            if match and match.group(1) in (None, clause):
                day = dt.date.fromisoformat(match.group(2))
                # The part's own event wins over the whole measure's on the same day.
                if match.group(1) == clause or day not in found:
                    found[day] = LABELS[str(event["categories"].cats[0])]
        return found


def dates_over_life(derived_timeline_days: list[dt.date], announced: dt.date) -> list[dt.date]:
    """Twenty dates from before the announcement to after the last change: every change and the day before it first."""
    first = announced - dt.timedelta(days=20)
    last = max([announced, *derived_timeline_days]) + dt.timedelta(days=40)
    candidates = {first, last}
    for day in derived_timeline_days:
        candidates |= {day, day - dt.timedelta(days=1)}
    step = (last - first) / 19
    candidates |= {first + step * i for i in range(20)}
    ordered = sorted(candidates)
    return sorted({ordered[round(i * (len(ordered) - 1) / 19)] for i in range(20)})


def assert_views_agree(dataset: Dataset, layout: Layout) -> int:
    """Check every policy on twenty dates over its life; return how many (policy, date, part) were compared."""
    compared = 0
    plans = {}
    for policy_id, policy in dataset.policies.items():
        timeline = derive(dataset, TODAY).timelines[policy_id]
        plans[policy_id] = dates_over_life(timeline.turning_days(), policy.dates.announced)
    views: dict[dt.date, Views] = {}
    for policy_id, days in plans.items():
        for day in days:
            view = views.get(day) or views.setdefault(day, Views(dataset, layout, day))
            markdown = view.policy_page(policy_id)
            badge, api, table, chart = badges(markdown), view.api(policy_id), table_rows(markdown), chart_rows(markdown)
            assert set(badge) == set(api), (policy_id, day)
            for part, seen in badge.items():
                where = f"{policy_id} {part} on {day}"
                status = seen.status
                assert api[part].status is status, where
                if seen.until is not None:
                    assert api[part].until == seen.until, where
                if day >= dataset.policies[policy_id].dates.announced:
                    # The chart and the table show the measure's life from its announcement.
                    assert _covering(table, part, day) == Seen(status, _covering(table, part, day).until), where
                    assert _covering(chart, part, day) == _covering(table, part, day), where
                    run_end = api[part].until
                    spans_end = _covering(table, part, day).until
                    # The badge's run ends on a span's end, never inside a span.
                    assert run_end is None or (spans_end is not None and spans_end <= run_end), where
                changes = view.calendar_changes(policy_id, part)
                passed = [d for d in changes if d <= day]
                if passed:
                    assert changes[max(passed)] is status, where
                if status is Status.not_announced:
                    # Not yet a measure on the day: the calendar holds none of its changes.
                    assert changes == {}, where
                elif api[part].until is not None:
                    assert api[part].until + dt.timedelta(days=1) in changes, where
                compared += 1
    return compared


@pytest.fixture(scope="module")
def real_dataset() -> tuple[Dataset, Layout]:
    layout = Layout.at(REPO)
    return check(layout, TODAY).dataset, layout


def test_every_view_of_every_real_measure_agrees_on_twenty_dates(real_dataset) -> None:
    dataset, layout = real_dataset
    assert assert_views_agree(dataset, layout) >= 20 * len(dataset.policies)


def test_every_view_agrees_with_revocations_extensions_and_overlapping_suspensions(data_tree) -> None:
    layout = data_tree(SYNTHETIC_TREE)
    dataset = check(layout, TODAY).dataset
    assert assert_views_agree(dataset, layout) >= 20 * len(dataset.policies)


@pytest.fixture
def synthetic(data_tree):
    layout = data_tree(SYNTHETIC_TREE)
    return check(layout, TODAY).dataset, layout


@pytest.mark.parametrize(
    ("policy_id", "day", "status", "until"),
    [
        pytest.param("early", dt.date(2025, 5, 31), Status.in_force, dt.date(2025, 5, 31), id="revoked-next-day"),
        pytest.param("early", dt.date(2025, 6, 1), Status.revoked, None, id="revoked-before-expiry"),
        pytest.param("late", dt.date(2025, 1, 1), Status.expired, dt.date(2025, 5, 31), id="expired-then-revoked"),
        pytest.param("late", dt.date(2025, 6, 1), Status.revoked, None, id="revoked-after-expiry"),
    ],
)
def test_a_revoked_measure_reads_revoked_everywhere(synthetic, policy_id, day, status, until) -> None:
    dataset, layout = synthetic
    view = Views(dataset, layout, day)
    markdown = view.policy_page(policy_id)
    assert view.api(policy_id)["Whole measure"] == Seen(status, until)
    assert badges(markdown)["Whole measure"].status is status
    assert _covering(chart_rows(markdown), "Whole measure", day).status is status


def test_back_to_back_suspensions_end_when_the_whole_covered_period_ends(synthetic) -> None:
    dataset, layout = synthetic
    # Suspended by No. 4 to 31 Dec 2024, then by the extension (announced 20 Dec) to 30 Jun 2025.
    view = Views(dataset, layout, dt.date(2024, 12, 20))
    status = view.derived.clause_status[("ban", "2")]
    assert (status.status, status.by, status.until) == (Status.suspended, "first", dt.date(2025, 6, 30))
    assert f"Suspended until {date_long(dt.date(2025, 6, 30))}" in view.policy_page("ban")
    assert view.api("ban")["Clause 2"] == Seen(Status.suspended, dt.date(2025, 6, 30))
    assert dt.date(2025, 7, 1) in view.calendar_changes("ban", "Clause 2")
    # Once the suspension of the whole measure (to 30 Sep 2025) is announced, the covered period runs to its end.
    later = Views(dataset, layout, dt.date(2025, 3, 5))
    status = later.derived.clause_status[("ban", "2")]
    assert (status.status, status.by, status.until) == (Status.suspended, "whole", dt.date(2025, 9, 30))
    assert later.api("ban")["Clause 2"] == Seen(Status.suspended, dt.date(2025, 9, 30))


def test_overlapping_suspensions_are_named_by_the_one_that_began_first(synthetic) -> None:
    dataset, _layout = synthetic
    spans = derive(dataset, TODAY).timelines["ban"].spans("2")
    assert [(s.start, s.end, s.status, s.by) for s in spans if s.start] == [
        (dt.date(2024, 12, 3), dt.date(2024, 12, 9), Status.in_force, None),
        (dt.date(2024, 12, 10), dt.date(2024, 12, 31), Status.suspended, "first"),
        (dt.date(2025, 1, 1), dt.date(2025, 2, 28), Status.suspended, "extend"),
        (dt.date(2025, 3, 1), dt.date(2025, 9, 30), Status.suspended, "whole"),
        (dt.date(2025, 10, 1), None, Status.in_force, None),
    ]


def test_the_agreement_check_fails_when_a_view_disagrees(synthetic, monkeypatch) -> None:
    """The check above is not vacuous: a chart drawn from its own idea of the spans is caught."""
    dataset, layout = synthetic
    from generator.render import charts

    real = charts.policy_spans

    def drifted(policy, timeline):
        rows = real(policy, timeline)
        return [(part, [charts.DatedSpan(s.start, s.end, Status.in_force) for s in spans]) for part, spans in rows]

    monkeypatch.setattr("generator.render.contexts.policy_spans", drifted)
    with pytest.raises(AssertionError):
        assert_views_agree(dataset, layout)
