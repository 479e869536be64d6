"""The one status engine: a measure, its clauses and the suspensions acting on them, as dated spans.

Every status the site shows (badges, "changing soon", charts, the per-measure timeline table, the
API, the CSV files, feeds and the calendar) is read from the `PolicyTimeline` built here, so they
cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise

from .models import Policy

ONE_DAY = dt.timedelta(days=1)


class Status(str, Enum):
    not_yet = "not-yet-in-force"
    in_force = "in-force"
    suspended = "suspended"
    expired = "expired"
    revoked = "revoked"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.not_yet: "Not yet in force",
    Status.in_force: "In force",
    Status.suspended: "Suspended",
    Status.expired: "Expired",
    Status.revoked: "Revoked",
}


@dataclass(frozen=True)
class Suspension:
    """A `suspends` relation seen from the measure it acts on; `end` is inclusive, None when open."""

    by: str
    clause: str | None
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Span:
    """A stretch of time in one status, both ends inclusive; None for an open end. `by` names the suspending policy."""

    start: dt.date | None
    end: dt.date | None
    status: Status
    by: str | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class StatusAt:
    """A status on one day, with the dates that bound its whole run (both inclusive, None when open)."""

    status: Status
    since: dt.date | None = None
    until: dt.date | None = None
    by: str | None = None  # the policy that suspends, for Suspended

    @property
    def next_change(self) -> dt.date | None:
        return self.until + ONE_DAY if self.until else None


@dataclass(frozen=True)
class Change:
    """A measure, or one clause of it, changing status; `day` is the first day of the new status."""

    day: dt.date
    clause: str | None
    before: StatusAt
    after: StatusAt


@dataclass(frozen=True)
class PolicyTimeline:
    """A measure's life: spans of the whole measure, then of each clause, covering every day."""

    whole: tuple[Span, ...]
    clauses: tuple[tuple[str, tuple[Span, ...]], ...]

    def spans(self, clause: str | None = None) -> tuple[Span, ...]:
        return self.whole if clause is None else dict(self.clauses)[clause]

    def at(self, day: dt.date, clause: str | None = None) -> StatusAt:
        """Return the status on `day`, bounded by the whole run of that status (contiguous suspensions end together)."""
        spans = self.spans(clause)
        index = next(i for i, span in enumerate(spans) if span.covers(day))
        first = last = index
        status = spans[index].status
        while first > 0 and spans[first - 1].status is status:
            first -= 1
        while last < len(spans) - 1 and spans[last + 1].status is status:
            last += 1
        return StatusAt(status, since=spans[first].start, until=spans[last].end, by=spans[index].by)

    def changes(self) -> list[Change]:
        """Every change of status, oldest first; a clause's change is left out when the whole measure makes it."""
        found: list[Change] = []
        whole_days = {s.start: (p.status, p.by, s.status, s.by) for p, s in pairwise(self.whole)}
        for clause, spans in ((None, self.whole), *self.clauses):
            for previous, span in pairwise(spans):
                assert span.start is not None
                if clause is not None and whole_days.get(span.start) == (
                    previous.status,
                    previous.by,
                    span.status,
                    span.by,
                ):
                    continue
                found.append(
                    Change(span.start, clause, self.at(span.start - ONE_DAY, clause), self.at(span.start, clause))
                )
        return sorted(found, key=lambda c: (c.day, c.clause or ""))

    def turning_days(self) -> list[dt.date]:
        """Every day on which some part of the measure changes status."""
        return sorted({s.start for _, spans in (("", self.whole), *self.clauses) for s in spans if s.start})


def policy_timeline(policy: Policy, suspensions: list[Suspension]) -> PolicyTimeline:
    """Build the spans of a measure's life from its dates and the suspensions acting on it."""
    whole = _overlay(_life(policy), [s for s in suspensions if s.clause is None])
    clauses = tuple(
        (clause.id, _overlay(whole, [s for s in suspensions if s.clause == clause.id])) for clause in policy.clauses
    )
    return PolicyTimeline(whole, clauses)


def _life(policy: Policy) -> tuple[Span, ...]:
    """Not yet in force, in force, then expired and/or revoked, as the measure's own dates say."""
    dates = policy.dates
    effective = dates.effective or dates.announced
    spans = [Span(None, effective - ONE_DAY, Status.not_yet)]
    ends = [d for d in (dates.expires, dates.revoked - ONE_DAY if dates.revoked else None) if d is not None]
    last = min(ends, default=None)
    spans.append(Span(effective, last, Status.in_force))
    if dates.expires is not None and (dates.revoked is None or dates.expires < dates.revoked - ONE_DAY):
        spans.append(Span(dates.expires + ONE_DAY, dates.revoked - ONE_DAY if dates.revoked else None, Status.expired))
    if dates.revoked is not None:
        spans.append(Span(dates.revoked, None, Status.revoked))
    return tuple(s for s in spans if s.start is None or s.end is None or s.start <= s.end)


def _overlay(base: tuple[Span, ...], suspensions: list[Suspension]) -> tuple[Span, ...]:
    """Cut the in-force spans of `base` where suspensions cover them; the one begun earliest names each day."""
    ordered = sorted(suspensions, key=lambda s: (s.start, s.by))
    result: list[Span] = []
    for span in base:
        if span.status is not Status.in_force:
            result.append(span)
            continue
        result.extend(_cut(span, ordered))
    return _merged(result)


def _cut(span: Span, suspensions: list[Suspension]) -> list[Span]:
    """Split one in-force span into in-force and suspended pieces."""
    pieces: list[Span] = []
    cursor = span.start
    while True:
        covering = [s for s in suspensions if _overlaps(s, cursor, span.end)]
        # The next suspension to begin on or after the cursor (or already running at it).
        current = min(
            covering, key=lambda s: (max(s.start, cursor) if cursor else s.start, s.start, s.by), default=None
        )
        if current is None:
            pieces.append(Span(cursor, span.end, Status.in_force))
            return pieces
        begins = max(current.start, cursor) if cursor else current.start
        if cursor is None or begins > cursor:
            pieces.append(Span(cursor, begins - ONE_DAY, Status.in_force))
        ends = _earliest(current.end, span.end)
        pieces.append(Span(begins, ends, Status.suspended, current.by))
        if ends is None or (span.end is not None and ends >= span.end):
            return pieces
        cursor = ends + ONE_DAY


def _overlaps(suspension: Suspension, start: dt.date | None, end: dt.date | None) -> bool:
    return (end is None or suspension.start <= end) and (
        start is None or suspension.end is None or suspension.end >= start
    )


def _earliest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    """Join neighbouring spans with the same status and cause."""
    result: list[Span] = []
    for span in spans:
        if result and (result[-1].status, result[-1].by) == (span.status, span.by):
            result[-1] = Span(result[-1].start, span.end, span.status, span.by)
        else:
            result.append(span)
    return tuple(result)
