"""A support measure's status on a day comes from its dated steps, each known as well as its source knows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from generator.core.models import PartialDate, Policy
from generator.records.status import Evidence, policy_timeline
from generator.records.wording import Basis, Phase, Status

OFFICIAL = "lender-release"
REPORT = "newspaper-report"


def measure(steps: list[dict[str, Any]], **fields: Any) -> Policy:
    return Policy.model_validate(
        {
            "document_number": "Loan to a mine",
            "title": "A loan to a mine",
            "jurisdiction": "US",
            "authorities": ["A lender"],
            "instrument": "loan",
            "summary": f"A lender lends to a mine [@{OFFICIAL}].",
            "dates": {"announced": dt.date(2024, 3, 14)},
            "steps": steps,
            "sources": [OFFICIAL],
            "research_cutoff": dt.date(2026, 10, 5),
            "last_verified": dt.date(2026, 12, 3),
            **fields,
        }
    )


def step(date: str, kind: str, source: str = OFFICIAL, **fields: Any) -> dict[str, Any]:
    return {"date": date, "step": kind, "text": f"The loan is {kind}.", "source": source, **fields}


EVIDENCE = Evidence(published={}, secondary=frozenset({REPORT}))


def status_on(policy: Policy, day: dt.date):
    return policy_timeline("loan", policy, [], EVIDENCE).at(day)


LOAN = measure(
    [
        step("2024-03-14", "conditional"),
        step("2024-10-28", "binding"),
        step("2025-10-20", "disbursed", REPORT),
    ]
)


@pytest.mark.parametrize(
    ("day", "status", "basis"),
    [
        (dt.date(2024, 3, 13), Status.not_announced, Basis.confirmed),
        (dt.date(2024, 3, 14), Status.conditional, Basis.confirmed),
        (dt.date(2024, 10, 27), Status.conditional, Basis.confirmed),
        (dt.date(2024, 10, 28), Status.binding, Basis.confirmed),
        (dt.date(2025, 10, 20), Status.disbursed, Basis.reported),
    ],
)
def test_a_loan_reads_conditional_then_binding_then_paying_out_on_the_days_its_steps_give(day, status, basis) -> None:
    seen = status_on(LOAN, day)
    assert (seen.status, seen.basis) == (status, basis)


def test_a_step_seen_only_in_a_report_is_reported_and_one_seen_in_an_official_text_confirmed() -> None:
    assert status_on(LOAN, dt.date(2025, 1, 1)).basis is Basis.confirmed
    assert status_on(LOAN, dt.date(2025, 11, 1)).basis is Basis.reported


def test_a_step_given_as_a_target_is_only_scheduled_even_after_its_date() -> None:
    policy = measure([step("2024-03-14", "conditional"), step("2026-06", "binding", expected=True)])
    assert status_on(policy, dt.date(2026, 6, 29)).basis is Basis.confirmed
    seen = status_on(policy, dt.date(2027, 3, 1))
    assert (seen.status, seen.basis) == (Status.binding, Basis.scheduled)


def test_a_step_dated_to_a_month_counts_from_the_months_last_day() -> None:
    policy = measure([step("2024-03-14", "conditional"), step("2025-02", "binding")])
    assert status_on(policy, dt.date(2025, 2, 27)).status is Status.conditional
    assert status_on(policy, dt.date(2025, 2, 28)).status is Status.binding
    assert PartialDate("2024").last_day == dt.date(2024, 12, 31)
    assert PartialDate("2024-12").last_day == dt.date(2024, 12, 31)


def test_a_framework_that_binds_no_one_is_never_in_force_whatever_its_steps() -> None:
    framework = measure(
        [step("2025-10-20", "announced"), step("2026-04-24", "binding")],
        instrument="framework",
        binding=False,
        dates={"announced": dt.date(2025, 10, 20)},
    )
    for day in (dt.date(2025, 10, 20), dt.date(2026, 4, 24), dt.date(2026, 12, 3)):
        seen = status_on(framework, day)
        assert seen.status is Status.non_binding
        assert seen.status.phase is not Phase.active
    assert Status.non_binding.words.label == "Signed, not binding"


def test_a_cancelled_commitment_reads_cancelled_from_the_day_it_lapsed() -> None:
    policy = measure([step("2025-07-10", "binding"), step("2025-08-26", "cancelled")])
    assert status_on(policy, dt.date(2025, 8, 25)).status is Status.binding
    assert status_on(policy, dt.date(2025, 8, 26)).status is Status.cancelled


def test_steps_are_refused_on_a_measure_that_controls_trade() -> None:
    with pytest.raises(ValueError, match="a export-quota measure has no steps; steps are for support measures"):
        measure([step("2025-01-01", "binding")], instrument="export-quota")
