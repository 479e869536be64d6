"""Statuses follow the as-of date; backlinks and the timeline come from one index."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.build import check
from generator.derive import Status, derive

from .conftest import TODAY, VALID_TREE


def derived_on(data_tree, day: dt.date, changes=None):
    checked = check(data_tree(changes), TODAY)
    return derive(checked.dataset, day)


@pytest.mark.parametrize(
    ("day", "clause_2", "pause"),
    [
        # The day before the suspension was announced, nothing yet says clause 2 will be suspended.
        pytest.param(
            dt.date(2025, 11, 8),
            (Status.in_force, None),
            (Status.not_announced, dt.date(2025, 11, 8)),
            id="day-before-suspension",
        ),
        pytest.param(
            dt.date(2025, 11, 9),
            (Status.suspended, dt.date(2026, 11, 27)),
            (Status.in_force, dt.date(2026, 11, 27)),
            id="first-day",
        ),
        pytest.param(
            dt.date(2026, 11, 24),
            (Status.suspended, dt.date(2026, 11, 27)),
            (Status.in_force, dt.date(2026, 11, 27)),
            id="today",
        ),
        pytest.param(
            dt.date(2026, 11, 27),
            (Status.suspended, dt.date(2026, 11, 27)),
            (Status.in_force, dt.date(2026, 11, 27)),
            id="last-day-inclusive",
        ),
        pytest.param(dt.date(2026, 11, 28), (Status.in_force, None), (Status.expired, None), id="day-after"),
    ],
)
def test_clause_status_follows_the_suspension(data_tree, day, clause_2, pause):
    derived = derived_on(data_tree, day)
    status = derived.clause_status[("ban", "2")]
    assert (status.status, status.until) == clause_2
    assert derived.clause_status[("ban", "1")].status is Status.in_force
    assert (derived.policy_status["pause"].status, derived.policy_status["pause"].until) == pause


def test_suspension_names_the_suspending_measure(data_tree):
    status = derived_on(data_tree, TODAY).clause_status[("ban", "2")]
    assert (status.by, status.since, status.next_change) == ("pause", dt.date(2025, 11, 9), dt.date(2026, 11, 28))


def test_in_force_before_an_announced_suspension_ends_the_day_before_it(data_tree):
    announced_early = {
        "policies/pause.yaml": VALID_TREE["policies/pause.yaml"].replace(
            "announced: 2025-11-09", "announced: 2024-12-20"
        )
    }
    status = derived_on(data_tree, dt.date(2025, 1, 1), announced_early).clause_status[("ban", "2")]
    assert (status.status, status.until) == (Status.in_force, dt.date(2025, 11, 8))


def test_a_suspension_not_yet_announced_is_not_known_on_the_day(data_tree):
    derived = derived_on(data_tree, dt.date(2025, 1, 1))
    assert (derived.clause_status[("ban", "2")].status, derived.clause_status[("ban", "2")].until) == (
        Status.in_force,
        None,
    )
    assert derived.policy_status["pause"].status is Status.not_announced
    assert "pause" not in {entry.record_id for entry in derived.timeline}


def test_expired_since_the_day_after_expiry(data_tree):
    status = derived_on(data_tree, dt.date(2027, 1, 1)).policy_status["pause"]
    assert (status.status, status.since) == (Status.expired, dt.date(2026, 11, 28))


def test_revoked_measure_and_its_clauses_read_revoked(data_tree):
    changes = {
        "policies/ban.yaml": VALID_TREE["policies/ban.yaml"].replace(
            "effective: 2024-12-03", "effective: 2024-12-03\n          revoked: 2026-01-01"
        )
    }
    derived = derived_on(data_tree, TODAY, changes)
    assert derived.policy_status["ban"].status is Status.revoked
    assert derived.clause_status[("ban", "2")].status is Status.revoked


def test_whole_measure_suspension_suspends_every_clause(data_tree):
    changes = {"policies/pause.yaml": VALID_TREE["policies/pause.yaml"].replace('            clause: "2"\n', "")}
    derived = derived_on(data_tree, TODAY, changes)
    assert derived.policy_status["ban"].status is Status.suspended
    assert {derived.clause_status[("ban", c)].status for c in ("1", "2")} == {Status.suspended}


def test_backlinks(data_tree):
    derived = derived_on(data_tree, TODAY)
    assert derived.measures_of("gallium") == ["ban", "pause"]
    assert derived.projects_of("gallium") == ["mine"]
    assert [(a.by, a.relation.clause) for a in derived.acted_on_by["ban"]] == [("pause", "2")]
    assert derived.cited_by("mofcom-pause") == [("events", "talks"), ("policies", "pause")]


def test_timeline_is_newest_first(data_tree):
    derived = derived_on(data_tree, TODAY)
    assert [(e.date, e.record_id, e.kind) for e in derived.timeline] == [
        ("2026-11-27", "pause", "last day in force"),
        ("2025-11-09", "pause", "announced and in force"),
        ("2025-10-25", "talks", "event"),
        ("2024-12-03", "ban", "announced and in force"),
    ]


def test_changing_soon_lists_the_suspension_ending(data_tree):
    assert derived_on(data_tree, TODAY).changing_soon == [("ban", "2"), ("pause", None)]
    assert derived_on(data_tree, dt.date(2026, 6, 1)).changing_soon == []


def test_a_measure_reaches_the_minerals_of_the_measures_it_suspends_not_those_it_supersedes(data_tree):
    """No. 70 names no mineral, yet reaches the rare earths through the announcements it suspends."""
    pause_without_minerals = VALID_TREE["policies/pause.yaml"].replace("        minerals: [gallium]\n", "")
    superseding = (
        VALID_TREE["policies/pause.yaml"]
        .replace("        minerals: [gallium]\n", "")
        .replace("type: suspends", "type: supersedes")
        .replace('            clause: "2"\n', "")
    )
    derived = derived_on(
        data_tree, TODAY, {"policies/pause.yaml": pause_without_minerals, "policies/successor.yaml": superseding}
    )
    assert derived.measures_of("gallium") == ["ban", "pause"]
