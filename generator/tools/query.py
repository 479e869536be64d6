"""Questions a script asks of the data without building the site: a measure's status on a day.

The answer is read from the same derived data as the site's pages and API (the status engine in
status.py, through the policies collection's API facts), so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import difflib

from pydantic import Field

from ..build import check
from ..core import urls
from ..core.config import Layout
from ..core.exceptions import AtlasError
from ..core.formatting import date_long
from ..core.models import Policy
from ..derive import derive
from ..records import wording
from ..records.outputs import Day, Output, PolicyDerived, StatusOut
from ..records.registry import COLLECTIONS, Row, display_name
from ..records.status import Change, StatusAt


class ChangeOut(Output):
    """A change of status of the measure or one clause; `day` is the first day of the new status."""

    day: Day
    clause: str | None
    before: StatusOut
    after: StatusOut


class PolicyStatusReport(Output):
    """A measure's status on `as_of`, as the site's API gives it, with every change of its timeline."""

    id: str
    name: str
    as_of: Day
    page: str = Field(description="The measure's page, as a path from the site root.")
    derived: PolicyDerived
    timeline: list[ChangeOut]


def policy_status(
    layout: Layout, policy_id: str, today: dt.date, calendar_day: dt.date | None = None
) -> PolicyStatusReport:
    """Validate the data, derive statuses for `today` and report the measure `policy_id`; AtlasError if unknown."""
    dataset = check(layout, today, calendar_day=calendar_day).dataset
    if policy_id not in dataset.policies:
        close = difflib.get_close_matches(policy_id, list(dataset.policies), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `ls data/policies` lists them"
        raise AtlasError(f"no measure '{policy_id}' in {layout.data_dir / Policy.collection}{hint}")
    derived = derive(dataset, today)
    policies = COLLECTIONS[Policy.collection]
    facts = policies.facts(Row(policies.name, policy_id, dataset.policies[policy_id], derived))
    return PolicyStatusReport(
        id=policy_id,
        name=display_name(dataset.policies[policy_id]),
        as_of=today,
        page=urls.page_url(policies.name, policy_id),
        derived=PolicyDerived(
            **facts,
            review_due=(policies.name, policy_id) in derived.review_due,
            knowledge_stale=(policies.name, policy_id) in derived.knowledge_stale,
        ),
        timeline=[_change(change) for change in derived.timelines[policy_id].changes()],
    )


def _change(change: Change) -> ChangeOut:
    return ChangeOut(
        day=change.day, clause=change.clause, before=StatusOut.of(change.before), after=StatusOut.of(change.after)
    )


def describe(status: StatusOut | StatusAt) -> str:
    """A status in words with its bounds and basis: 'Suspended 9 Nov 2025 – 27 Nov 2026 by X (scheduled, ...)'."""
    return wording.described(status)


def report_lines(report: PolicyStatusReport) -> list[str]:
    """The report as lines of text for a terminal."""
    derived = report.derived
    lines = [
        f"{report.name} ({report.id}) on {date_long(report.as_of)}",
        f"  status: {describe(derived.status)}",
    ]
    lines += [f"  clause {clause.id}: {describe(clause.status)}" for clause in derived.clauses]
    lines += [f"  {derived.answer}", "timeline:"]
    for change in report.timeline:
        part = f"clause {change.clause}" if change.clause else "measure"
        ahead = "  (after the as-of date)" if change.day > report.as_of else ""
        lines.append(f"  {change.day.isoformat()}  {part}: {change.before.label} -> {describe(change.after)}{ahead}")
    if not report.timeline:
        lines.append("  no change of status")
    return lines
