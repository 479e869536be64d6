"""A project's stage on the day of the build comes from its dated milestones; a target is never told as fact."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.build import check, generate
from generator.core.exceptions import DataError
from generator.records.stages import project_stage, seen_milestones
from generator.records.wording import Basis

DAY = dt.date(2026, 12, 3)

PROJECT = """
    name: Test Mine
    operator:
      name: Mine Co
    location:
      country: US
      region: Alaska
    minerals: [gallium]
    summary: A mine. [@mofcom-ban]
    capacity:
      - value: 100
        unit: t/yr
        what: gallium
        mineral: gallium
        contained: true
        year: 2027
        source: mofcom-ban
    milestones:
      - date: "2024-03"
        text: Construction began.
        stage: construction
        source: mofcom-ban
      - date: "2025-06-01"
        text: A newspaper said commissioning had begun.
        stage: pilot
        source: newspaper
      - date: "2026-06"
        text: First production targeted.
        stage: production
        expected: true
        source: mofcom-ban
    last_verified: 2026-11-01
    research_cutoff: 2026-10-05
    """
LOAN = """
    document_number: Loan to Test Mine
    title: A loan to Test Mine
    jurisdiction: US
    authorities: [A lender]
    instrument: loan
    minerals: [gallium]
    summary: A lender lends to the mine. [@mofcom-ban]
    dates:
      announced: 2025-02-01
    steps:
      - date: 2025-02-01
        step: conditional
        text: Conditional commitment.
        source: mofcom-ban
    amounts:
      - value: 2.26
        currency: USD
        scale: billion
        up_to: true
        what: senior loan
        project: mine
        source: mofcom-ban
    projects: [mine]
    last_verified: 2026-11-01
    research_cutoff: 2026-10-05
    sources: [mofcom-ban]
    """
NEWSPAPER = """
    title: A report
    publisher: A newspaper
    kind: secondary
    last_verified: 2026-11-01
    """
TREE = {"projects/mine.yaml": PROJECT, "policies/loan.yaml": LOAN, "sources/newspaper.yaml": NEWSPAPER}


@pytest.fixture
def layout(data_tree):
    return data_tree(TREE)


def test_a_passed_target_date_is_scheduled_not_confirmed_and_does_not_set_the_stage(layout) -> None:
    project = check(layout, DAY).dataset.projects["mine"]
    stage = project_stage(project, DAY, {"newspaper"})
    assert (stage.stage.value, str(stage.since), stage.basis) == ("pilot", "2025-06-01", Basis.reported)
    target = seen_milestones(project, DAY, {"newspaper"})[-1]
    assert (target.basis, target.overdue, target.words) == (Basis.scheduled, True, "target date passed, not confirmed")


def test_the_stage_is_that_of_the_newest_milestone_by_the_day(layout) -> None:
    project = check(layout, DAY).dataset.projects["mine"]
    stage = project_stage(project, dt.date(2025, 1, 1), {"newspaper"})
    assert (stage.stage.value, stage.basis) == ("construction", Basis.confirmed)
    before = seen_milestones(project, dt.date(2026, 5, 1), {"newspaper"})[-1]
    assert (before.overdue, before.words) == (False, "target")


def test_the_project_page_shows_the_target_as_unconfirmed_and_the_loan_that_funds_it(layout) -> None:
    generate(layout, DAY)
    page = (layout.docs_dir / "projects" / "mine.md").read_text(encoding="utf-8")
    assert "| Stage on 3 Dec 2026 | Pilot since 1 Jun 2025 (reported, not confirmed)" in page
    row = next(line for line in page.splitlines() if line.startswith("| Jun 2026 |"))
    assert "target date passed, not confirmed" in row
    assert "100 t/yr" in page and "(contained)" in page
    funding = page.split("## Public funding", 1)[1]
    assert "up to USD 2.26 billion: senior loan" in funding
    assert "Conditional" in funding


def test_the_loan_page_lists_its_steps_its_sum_and_the_project_it_funds(layout) -> None:
    generate(layout, DAY)
    page = (layout.docs_dir / "policies" / "loan.md").read_text(encoding="utf-8")
    assert "## Steps" in page and "| 1 Feb 2025 | Conditional |" in page
    assert "up to USD 2.26 billion" in page.split("## Money", 1)[1]
    assert "Test Mine" in page.split("## Projects supported", 1)[1]


def test_a_sum_for_a_project_the_measure_does_not_name_is_refused_with_its_fix(data_tree) -> None:
    layout = data_tree({**TREE, "policies/loan.yaml": LOAN.replace("projects: [mine]", "projects: []")})
    with pytest.raises(DataError) as error:
        check(layout, DAY)
    assert [str(p) for p in error.value.problems] == [
        "data/policies/loan.yaml:22:14: amounts[0].project: 'mine' is not among the measure's projects; add it to "
        "`projects`, so that the project's page lists the measure"
    ]


def test_a_capacity_without_a_unit_is_refused_naming_the_field(data_tree) -> None:
    layout = data_tree({**TREE, "projects/mine.yaml": PROJECT.replace("        unit: t/yr\n", "")})
    with pytest.raises(DataError) as error:
        check(layout, DAY)
    assert [str(p) for p in error.value.problems] == [
        "data/projects/mine.yaml:11:5: capacity[0].unit: required field is missing"
    ]
