"""Changes of status of every measure and clause, read from the status engine's timelines, in words.

Also the words of the other changes the feeds list: a measure announced, an event, a corrected figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..citations import without_citations
from ..dataset import Dataset, Derived
from ..formatting import date_long
from ..models import Correction, Event, FigureSet, Observation
from ..registry import display_name
from ..status import ONE_DAY, Basis, Change, Status, StatusAt


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
        if derived.policy_status[policy_id].status is not Status.not_announced
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


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _unconfirmed(change: StatusChange, dataset: Dataset) -> str:
    """What a reader must know of a change no source confirms."""
    if change.change.after.basis is Basis.confirmed:
        return ""
    cutoff = dataset.policies[change.policy_id].research_cutoff
    after = f"after {date_long(cutoff)}" if change.day > cutoff else f"dated on or after {date_long(change.day)}"
    return f" This follows from the measures' own terms; not confirmed by any source {after}."


def headline(change: StatusChange, dataset: Dataset) -> tuple[str, str]:
    """Return the headline and summary of a change of status, as a feed reader shows them."""
    title, summary = _headline(change, dataset)
    if change.change.after.basis is Basis.scheduled:
        title += " (scheduled)"
    return title, summary + _unconfirmed(change, dataset)


def _headline(change: StatusChange, dataset: Dataset) -> tuple[str, str]:
    what = subject(change, dataset)
    day = date_long(change.day)
    last_day = date_long(change.day - ONE_DAY)
    before, after = change.change.before, change.change.after
    if after.status is Status.suspended:
        by = _by_name(after, dataset)
        until = f" until {date_long(after.until)} inclusive" if after.until else ""
        return f"{capitalized(what)} suspended by {by}", f"From {day}, {what} is suspended by {by}{until}."
    if before.status is Status.suspended and after.status.active:
        by = _by_name(before, dataset)
        return (
            f"Suspension of {what} ends",
            f"The suspension of {what} by {by} ended after {last_day}; from {day} it is "
            f"{after.status.label.lower()} again.",
        )
    if after.status in (Status.in_force, Status.current, Status.awarded, Status.conditional):
        return f"{capitalized(what)} takes effect", f"{capitalized(what)} is {after.status.label.lower()} from {day}."
    if after.status in (Status.expired, Status.closed):
        verb = "expires" if after.status is Status.expired else "closes"
        return (
            f"{capitalized(what)} {verb}",
            f"{capitalized(what)} was in force until {last_day} inclusive; it is {after.status.label.lower()} "
            f"from {day}.",
        )
    if after.status is Status.superseded:
        by = _by_name(after, dataset)
        return f"{capitalized(what)} superseded by {by}", f"From {day}, {what} is superseded by {by}."
    if after.status is Status.revoked:
        return (
            f"{capitalized(what)} is revoked",
            f"{capitalized(what)} is no longer in force from {day}: it was revoked.",
        )
    return (
        f"{capitalized(what)}: {before.status.label.lower()} to {after.status.label.lower()}",
        f"From {day}, {what} is {after.status.label.lower()}.",
    )


def basis_words(status: StatusAt) -> str:
    """Say whether a status is confirmed by a source or only follows from the measures' terms."""
    return "confirmed" if status.basis is Basis.confirmed else "scheduled, not confirmed"


def feed_words(change: StatusChange, dataset: Dataset) -> tuple[str, str]:
    """Return the title and summary of a change of status in the changes feed.

    The title names the measure, what changed, the basis and the date:
    "MOFCOM No. 46 of 2024: suspension of clause 2 ends (scheduled, not confirmed) — 27 Nov 2026".
    An ending is dated by its last day, as in the calendar; the summary gives both days.
    """
    name = display_name(dataset.policies[change.policy_id])
    part = f"clause {change.change.clause} " if change.change.clause else ""
    before, after = change.change.before, change.change.after
    day, last_day = change.day, change.day - ONE_DAY
    if before.status is Status.not_announced:
        what = f"{part}announced and {after.status.label.lower()}"
    elif after.status is Status.suspended:
        what = f"{part}suspended by {_by_name(after, dataset)}"
    elif before.status is Status.suspended and after.status.active:
        what, day = (f"suspension of {part}ends" if part else "suspension ends"), last_day
    elif after.status in (Status.in_force, Status.current, Status.awarded, Status.conditional):
        what = f"{part}takes effect"
    elif after.status in (Status.expired, Status.closed):
        what, day = f"{part}{'expires' if after.status is Status.expired else 'closes'}", last_day
    elif after.status is Status.superseded:
        what = f"{part}superseded by {_by_name(after, dataset)}"
    elif after.status is Status.revoked:
        what = f"{part}revoked"
    else:
        what = f"{part}{before.status.label.lower()} to {after.status.label.lower()}"
    _title, summary = _headline(change, dataset)
    return f"{name}: {what} ({basis_words(after)}) — {date_long(day)}", summary + _unconfirmed(change, dataset)


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
    """Return the day, summary and description of a change of status in the calendar.

    An ending is shown on its last day, and says so, since that is the day a reader must act by.
    """
    what = subject(change, dataset)
    before, after = change.change.before, change.change.after
    last_day = change.day - ONE_DAY
    if before.status is Status.suspended and after.status is not Status.suspended:
        by = _by_name(before, dataset)
        return (
            last_day,
            f"Suspension of {what} ends after {date_long(last_day)}",
            f"{date_long(last_day)} is the last day of the suspension of {what} by {by}, under its terms. "
            f"From {date_long(change.day)} it is {after.status.label.lower()}." + _unconfirmed(change, dataset),
        )
    if after.status in (Status.expired, Status.closed):
        return (
            last_day,
            f"{capitalized(what)} {'expires' if after.status is Status.expired else 'closes'} after "
            f"{date_long(last_day)}",
            f"{date_long(last_day)} is the last day {what} is in force.",
        )
    title, summary = headline(change, dataset)
    return change.day, title, summary
