"""Changes of status of every measure and clause, read from the status engine's timelines, in words.

Also the words of the other changes the feeds list: a measure announced, an event, a corrected figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.citations import without_citations
from ..core.formatting import date_long
from ..core.models import Correction, Event, FigureSet, Observation
from ..records import wording
from ..records.dataset import Dataset, Derived
from ..records.registry import display_name
from ..records.status import Change, StatusAt
from ..records.wording import Phase


@dataclass(frozen=True)
class StatusChange:
    """A measure or one clause of it changing status; `day` is the first day of the new status."""

    policy_id: str
    change: Change

    @property
    def day(self) -> dt.date:
        return self.change.day

    @property
    def key(self) -> str:
        clause = f"/clauses/{self.change.clause}" if self.change.clause else ""
        return f"policies/{self.policy_id}{clause}/status/{self.day.isoformat()}"


def status_changes(derived: Derived) -> list[StatusChange]:
    """Return every change of status of every measure and clause, oldest first."""
    # A measure not yet announced on the day is not known then: none of its changes are.
    changes = [
        StatusChange(policy_id, change)
        for policy_id, timeline in derived.timelines.items()
        if derived.policy_status[policy_id].status.phase is not Phase.before
        for change in timeline.changes()
    ]
    return sorted(changes, key=lambda c: (c.day, c.key))


def subject(change: StatusChange, dataset: Dataset) -> str:
    name = display_name(dataset.policies[change.policy_id])
    return f"clause {change.change.clause} of {name}" if change.change.clause else name


def minerals_of(change: StatusChange, dataset: Dataset) -> set[str]:
    policy = dataset.policies[change.policy_id]
    if change.change.clause is None:
        return policy.covered_minerals()
    clause = next(c for c in policy.clauses if c.id == change.change.clause)
    return set(clause.minerals or policy.minerals)


def _by_name(status: StatusAt, dataset: Dataset) -> str:
    return display_name(dataset.policies[status.by]) if status.by else "another measure"


capitalized = wording.capitalized


def _words(change: StatusChange, dataset: Dataset) -> wording.ChangeWords:
    before, after = change.change.before, change.change.after
    return wording.ChangeWords(
        day=change.day,
        what=subject(change, dataset),
        name=display_name(dataset.policies[change.policy_id]),
        part=f"clause {change.change.clause} " if change.change.clause else "",
        before=before,
        after=after,
        by_before=_by_name(before, dataset),
        by_after=_by_name(after, dataset),
        cutoff=dataset.policies[change.policy_id].research_cutoff,
    )


def headline(change: StatusChange, dataset: Dataset) -> tuple[str, str]:
    """Return the headline and summary of a change of status, as a feed reader shows them."""
    return wording.headline(_words(change, dataset))


def feed_words(change: StatusChange, dataset: Dataset) -> tuple[str, str]:
    """Return the title and summary of a change of status in the changes feed."""
    words = _words(change, dataset)
    return wording.feed_title(words), wording.headline(words)[1]


def announcement_words(policy_id: str, dataset: Dataset) -> tuple[str, str]:
    """Return the title and summary of a measure's announcement, before it takes effect."""
    policy = dataset.policies[policy_id]
    dates = policy.dates
    effective = f" It takes effect on {date_long(dates.effective)}." if dates.effective else ""
    return (
        f"{display_name(policy)}: announced — {date_long(dates.announced)}",
        f"{policy.title} was announced on {date_long(dates.announced)}.{effective}",
    )


def event_words(event: Event) -> tuple[str, str]:
    """Return the title and summary of a recorded event."""
    when = date_long(event.date) + (f" to {date_long(event.end_date)}" if event.end_date else "")
    where = f" in {event.location}" if event.location else ""
    return f"{event.title} — {when}", f"{when}{where}: {without_citations(event.summary)}"


def correction_words(figures: FigureSet, figure: Observation, correction: Correction, day: dt.date) -> tuple[str, str]:
    """Return the title and summary of a figure corrected after its release, on the day the correction was published."""
    what = f"{figure.area}, {figure.statistic.lower()} {figure.year} ({figure.unit})"
    return (
        f"{figures.edition} {figures.chapter.title()}: {what} corrected from {correction.was} to {figure.value} "
        f"— {date_long(day)}",
        f"{figures.edition}, {figures.chapter.title()}, {figure.scope}: {figure.area} {figure.year} was first "
        f"published as {correction.was} and is now {figure.value} {figure.unit}. {correction.note}",
    )


def calendar_words(change: StatusChange, dataset: Dataset) -> tuple[dt.date, str, str]:
    """Return the day, summary and description of a change of status in the calendar."""
    return wording.calendar_entry(_words(change, dataset))
