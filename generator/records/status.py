"""The one status engine: a measure, its clauses and the measures acting on them, as dated spans.

Every status the site shows (badges, "changing soon", charts, the per-measure timeline table, the
API, the CSV files, feeds and the calendar) is read from the `PolicyTimeline` built here, so they
cannot disagree. Each span also says whether it is known or only scheduled: a status that follows
from a date in a measure's own terms is *scheduled* until a source dated within it confirms it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from itertools import pairwise

from ..core.models import (
    SUPPORT_INSTRUMENTS,
    Instrument,
    ObservedStatus,
    PartialDate,
    Policy,
    StatusCheck,
    Step,
    StepKind,
)
from .wording import Basis, Phase, Status

ONE_DAY = dt.timedelta(days=1)


class Origin(str, Enum):
    """What begins a span, and so what evidence confirms it."""

    before = "before"  # the time before the measure was announced
    announced = "announced"  # announced, not yet in effect: known from the announcement itself
    takes_effect = "takes-effect"
    acted_on = "acted-on"  # another measure suspends or supersedes it
    resumes = "resumes"  # the action of another measure ends
    ends = "ends"  # its own last day has passed
    revoked = "revoked"
    checked = "checked"  # a status check gives the status to a day of its own (`through`), past the terms


@dataclass(frozen=True)
class Action:
    """A `suspends` or `supersedes` relation seen from the measure it acts on; `end` inclusive, None when open."""

    by: str
    status: Status  # suspended or superseded
    clause: str | None
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Evidence:
    """What can confirm a measure's statuses: the publication days of the sources about each measure, and its checks.

    Official sources (primary texts and faithful copies) confirm; secondary ones only report.
    """

    published: dict[str, tuple[dt.date, ...]]  # policy id → days its official sources were published
    checks: tuple[StatusCheck, ...] = ()
    reported: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)  # days of its secondary sources
    secondary: frozenset[str] = frozenset()  # the ids of the sources that are secondary reporting

    def official(self, check: StatusCheck) -> bool:
        return check.source not in self.secondary


@dataclass(frozen=True)
class Span:
    """A stretch of time in one status, both ends inclusive; None for an open end.

    `by` names the measure that suspends or supersedes; `terms_of` the measure whose own dates set the
    span's start; `checked_through` the newest source day within the span that confirms it.
    """

    start: dt.date | None
    end: dt.date | None
    status: Status
    by: str | None = None
    terms_of: str | None = None
    origin: Origin = Origin.before
    basis: Basis = Basis.scheduled
    checked_through: dt.date | None = None
    reported_through: dt.date | None = None  # the newest report within the span, where newer than the confirmation

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class StatusAt:
    """A status on one day, with the dates that bound its whole run (both inclusive, None when open)."""

    status: Status
    since: dt.date | None = None
    until: dt.date | None = None
    by: str | None = None  # the policy that suspends or supersedes
    basis: Basis = Basis.confirmed
    checked_through: dt.date | None = None  # the newest source confirming (or, if reported, reporting) it, if any
    terms_of: str | None = None  # the measure whose own terms date this status
    reported_through: dt.date | None = None  # the newest report of it, where newer than `checked_through`
    # Where the basis is unclear: the status that reports give for the day, which the terms contradict.
    reported: StatusAt | None = None

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
    # The same life as reports tell it, where a report gives a status to a day past the terms (None: no such report).
    as_reported: PolicyTimeline | None = None

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
        span = spans[index]
        found = StatusAt(
            status,
            since=spans[first].start,
            until=spans[last].end,
            by=span.by,
            basis=span.basis,
            checked_through=span.checked_through,
            terms_of=span.terms_of,
            reported_through=span.reported_through,
        )
        if self.as_reported is None:
            return found
        told = self.as_reported.at(day, clause)
        if told.status is not found.status:
            return replace(found, basis=Basis.unclear, reported=told)
        return found

    def changes(self) -> list[Change]:
        """Every change of status, oldest first; a clause's change is left out when the whole measure makes it."""
        found: list[Change] = []
        whole_days = {s.start: _key(p, s) for p, s in pairwise(self.whole)}
        for clause, spans in ((None, self.whole), *self.clauses):
            for previous, span in pairwise(spans):
                assert span.start is not None
                if clause is not None and whole_days.get(span.start) == _key(previous, span):
                    continue
                if span.origin is Origin.announced:
                    continue  # an announcement is not a change of status; the timeline of records lists it
                if (previous.status, previous.by) == (span.status, span.by):
                    continue  # a check carries the status on: no change
                found.append(
                    Change(span.start, clause, self.at(span.start - ONE_DAY, clause), self.at(span.start, clause))
                )
        return sorted(found, key=lambda c: (c.day, c.clause or ""))

    def turning_days(self) -> list[dt.date]:
        """Every day on which some part of the measure changes status."""
        return sorted({s.start for _, spans in (("", self.whole), *self.clauses) for s in spans if s.start})


def _key(previous: Span, span: Span) -> tuple[Status, str | None, Status, str | None]:
    return (previous.status, previous.by, span.status, span.by)


def policy_timeline(policy_id: str, policy: Policy, actions: Iterable[Action], evidence: Evidence) -> PolicyTimeline:
    """Build the spans of a measure's life from its dates, the measures acting on it and what confirms each span."""
    if policy.steps:
        return _stepped_timeline(policy_id, policy, evidence)
    acting = list(actions)
    whole = _overlay(_life(policy_id, policy), [a for a in acting if a.clause is None])
    clauses = tuple(
        (clause.id, _overlay(whole, [a for a in acting if a.clause == clause.id])) for clause in policy.clauses
    )
    kind = _kind(policy)
    official = [c for c in evidence.checks if c.through is not None and evidence.official(c)]
    reports = [c for c in evidence.checks if c.through is not None and not evidence.official(c)]

    def told(by_checks: list[StatusCheck]) -> PolicyTimeline:
        return PolicyTimeline(
            _confirmed(_checked(_relabelled(whole, kind), None, by_checks, kind, evidence), None, evidence),
            tuple(
                (c, _confirmed(_checked(_relabelled(spans, kind), c, by_checks, kind, evidence), c, evidence))
                for c, spans in clauses
            ),
        )

    terms = told(official)
    if not reports:
        return terms
    return replace(terms, as_reported=told(official + reports))


def _life(policy_id: str, policy: Policy) -> tuple[Span, ...]:
    """Not yet announced, not yet in force, in force, then expired and/or revoked, as the measure's own dates say."""
    dates = policy.dates
    effective = dates.effective or dates.announced
    own = policy_id
    spans = [
        Span(None, dates.announced - ONE_DAY, Status.not_announced, terms_of=own),
        Span(dates.announced, effective - ONE_DAY, Status.not_yet, terms_of=own, origin=Origin.announced),
    ]
    ends = [d for d in (dates.expires, dates.revoked - ONE_DAY if dates.revoked else None) if d is not None]
    last = min(ends, default=None)
    spans.append(Span(effective, last, Status.in_force, terms_of=own, origin=Origin.takes_effect))
    if dates.expires is not None and (dates.revoked is None or dates.expires < dates.revoked - ONE_DAY):
        until = dates.revoked - ONE_DAY if dates.revoked else None
        spans.append(Span(dates.expires + ONE_DAY, until, Status.expired, terms_of=own, origin=Origin.ends))
    if dates.revoked is not None:
        spans.append(Span(dates.revoked, None, Status.revoked, terms_of=own, origin=Origin.revoked))
    return tuple(s for s in spans if s.start is None or s.end is None or s.start <= s.end)


def _overlay(base: tuple[Span, ...], actions: list[Action]) -> tuple[Span, ...]:
    """Cut the in-force spans of `base` where actions cover them; the one begun earliest names each day."""
    ordered = sorted(actions, key=lambda a: (a.start, a.by))
    result: list[Span] = []
    for span in base:
        if span.status is not Status.in_force:
            result.append(span)
            continue
        result.extend(_cut(span, ordered))
    return _merged(result)


def _cut(span: Span, actions: list[Action]) -> list[Span]:
    """Split one in-force span into in-force pieces and the pieces other measures act on."""
    assert span.start is not None
    pieces: list[Span] = []
    cursor = span.start
    origin, terms_of = span.origin, span.terms_of
    while True:
        covering = [a for a in actions if _overlaps(a, cursor, span.end)]
        current = min(covering, key=lambda a: (max(a.start, cursor), a.start, a.by), default=None)
        if current is None:
            pieces.append(replace(span, start=cursor, origin=origin, terms_of=terms_of))
            return pieces
        begins = max(current.start, cursor)
        if begins > cursor:
            pieces.append(replace(span, start=cursor, end=begins - ONE_DAY, origin=origin, terms_of=terms_of))
        ends = _earliest(current.end, span.end)
        pieces.append(Span(begins, ends, current.status, current.by, current.by, Origin.acted_on))
        if ends is None or (span.end is not None and ends >= span.end):
            return pieces
        cursor = ends + ONE_DAY
        origin, terms_of = Origin.resumes, current.by


def _overlaps(action: Action, start: dt.date, end: dt.date | None) -> bool:
    return (end is None or action.start <= end) and (action.end is None or action.end >= start)


def _earliest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    """Join neighbouring spans with the same status and cause."""
    result: list[Span] = []
    for span in spans:
        if result and (result[-1].status, result[-1].by) == (span.status, span.by):
            result[-1] = replace(result[-1], end=span.end)
        else:
            result.append(span)
    return tuple(result)


def _stepped_timeline(policy_id: str, policy: Policy, evidence: Evidence) -> PolicyTimeline:
    """A support measure's life from its dated steps: each step's status holds until the next step."""
    return PolicyTimeline(
        _stepped(policy_id, policy, [s for s in policy.steps if s.clause is None], evidence),
        tuple(
            (c.id, _stepped(policy_id, policy, [s for s in policy.steps if s.clause in (None, c.id)], evidence))
            for c in policy.clauses
        ),
    )


# The status each step puts a support measure in; a measure that binds no one is only ever signed.
_STEP_STATUS = {
    StepKind.announced: "announced",
    StepKind.conditional: "conditional",
    StepKind.binding: "binding",
    StepKind.disbursed: "disbursed",
    StepKind.cancelled: "cancelled",
}


def _step_status(step: Step, binding: bool) -> Status:
    if not binding and step.step in (StepKind.announced, StepKind.binding):
        return Status.non_binding
    return Status.of(_STEP_STATUS[step.step])


def _stepped(policy_id: str, policy: Policy, steps: list[Step], evidence: Evidence) -> tuple[Span, ...]:
    """The spans of a measure's steps, oldest first, each known as its source knows it.

    A step dated only to a month or a year counts from the last day of it, since the date vouches for
    nothing earlier; a step the source gives as a target (`expected`) is scheduled, never confirmed.
    """
    ordered = sorted(steps, key=lambda s: (PartialDate(s.date).last_day, s.expected))
    spans: list[Span] = []
    first = min((PartialDate(s.date).last_day for s in ordered), default=policy.dates.announced)
    first = min(first, policy.dates.announced)
    spans.append(Span(None, first - ONE_DAY, Status.not_announced, terms_of=policy_id, basis=Basis.confirmed))
    if not ordered or PartialDate(ordered[0].date).last_day > policy.dates.announced:
        # Announced before its first step: known from the announcement itself.
        status = Status.non_binding if not policy.binding else Status.announced
        spans.append(
            Span(
                policy.dates.announced, None, status, terms_of=policy_id, origin=Origin.announced, basis=Basis.confirmed
            )
        )
    for step in ordered:
        day = PartialDate(step.date).last_day
        if step.expected:
            basis, checked = Basis.scheduled, None
        else:
            basis = Basis.reported if step.source in evidence.secondary else Basis.confirmed
            checked = day
        status = _step_status(step, policy.binding)
        if spans and spans[-1].start == day:
            spans.pop()  # two steps on one day: the later in the list holds
        if spans and spans[-1].end is None:
            spans[-1] = replace(spans[-1], end=day - ONE_DAY)
        spans.append(
            Span(day, None, status, terms_of=policy_id, origin=Origin.checked, basis=basis, checked_through=checked)
        )
    ends = [d for d in (policy.dates.expires, policy.dates.revoked - ONE_DAY if policy.dates.revoked else None) if d]
    if ends:
        last = min(ends)
        kept = [
            replace(s, end=last) if s.end is None or s.end > last else s
            for s in spans
            if s.start is None or s.start <= last
        ]
        status = Status.closed if policy.dates.expires == last else Status.revoked
        kept.append(Span(last + ONE_DAY, None, status, terms_of=policy_id, origin=Origin.ends))
        spans = list(_confirmed(tuple(kept), None, evidence))
    return _merged(spans)


class _Kind(str, Enum):
    control = "control"
    law = "law"
    list = "list"
    funding = "funding"
    conditional_funding = "conditional-funding"
    non_binding = "non-binding"


def _kind(policy: Policy) -> _Kind:
    if not policy.binding or policy.instrument is Instrument.framework:
        return _Kind.non_binding if not policy.binding else _Kind.law
    if policy.instrument in (Instrument.list_designation, Instrument.strategic_project):
        return _Kind.list
    if policy.instrument in SUPPORT_INSTRUMENTS - {Instrument.funding_programme, Instrument.tax_credit}:
        return _Kind.conditional_funding if policy.conditional else _Kind.funding
    if policy.instrument in (
        Instrument.law,
        Instrument.funding_programme,
        Instrument.tax_credit,
        Instrument.investigation,
    ):
        return _Kind.law
    return _Kind.control


# The words each kind of instrument uses for the same stretch of its life.
_RELABEL: dict[_Kind, dict[Status, Status]] = {
    _Kind.control: {},
    _Kind.law: {},
    _Kind.list: {Status.in_force: Status.current, Status.not_yet: Status.announced},
    _Kind.funding: {Status.not_yet: Status.announced, Status.in_force: Status.awarded, Status.expired: Status.closed},
    _Kind.conditional_funding: {
        Status.not_yet: Status.announced,
        Status.in_force: Status.conditional,
        Status.expired: Status.closed,
    },
    _Kind.non_binding: {Status.not_yet: Status.non_binding, Status.in_force: Status.non_binding},
}


def _relabelled(spans: tuple[Span, ...], kind: _Kind) -> tuple[Span, ...]:
    words = _RELABEL[kind]
    return tuple(replace(s, status=words.get(s.status, s.status)) for s in spans)


def _checked(
    spans: tuple[Span, ...], clause: str | None, checks: list[StatusCheck], kind: _Kind, evidence: Evidence
) -> tuple[Span, ...]:
    """Lay over the spans the statuses that checks give to a day of their own (`through`), oldest check first.

    The days the terms already give that status keep their own basis; the days past them are known from the
    check alone: confirmed when it is official, reported when it is not.
    """
    # A check of the whole measure speaks for each of its clauses too.
    for check in sorted((c for c in checks if c.clause in (clause, None)), key=lambda c: (c.date, c.through)):
        assert check.through is not None
        status = _RELABEL[kind].get(_STATUS_OF[check.status.value], _STATUS_OF[check.status.value])
        at_start = next(s for s in spans if s.covers(check.date))
        same = at_start.status is status
        start = check.date
        if same:
            if at_start.end is None or at_start.end >= check.through:
                continue  # the terms already give the status to that day
            start = at_start.end + ONE_DAY
        laid = Span(
            start,
            check.through,
            status,
            by=at_start.by if same else None,
            terms_of=at_start.terms_of if same else None,
            origin=Origin.checked,
            basis=Basis.confirmed if evidence.official(check) else Basis.reported,
            checked_through=check.date,
        )
        pieces: list[Span] = [laid]
        for span in spans:
            if (span.end is not None and span.end < start) or (span.start is not None and span.start > check.through):
                pieces.append(span)
                continue
            if span.start is None or span.start < start:
                pieces.append(replace(span, end=start - ONE_DAY))
            if span.end is None or span.end > check.through:
                pieces.append(replace(span, start=check.through + ONE_DAY))
        spans = tuple(sorted(pieces, key=lambda s: s.start or dt.date.min))
    return spans


# The status each word of a status check stands for, before a kind of instrument relabels it.
_STATUS_OF = {
    "in-force": Status.in_force,
    "suspended": Status.suspended,
    "expired": Status.expired,
    "revoked": Status.revoked,
}


# Spans whose start is the publication of a measure's own act: a source about that measure dated within the
# span confirms it. A span that begins when a period ends (a suspension lapsing, an expiry) needs a status check.
_SELF_EVIDENT = (Origin.takes_effect, Origin.acted_on, Origin.revoked)
_OBSERVED: dict[ObservedStatus, tuple[Phase, ...]] = {
    ObservedStatus.in_force: (Phase.active,),
    ObservedStatus.suspended: (Phase.paused,),
    ObservedStatus.expired: (Phase.ended,),
    ObservedStatus.revoked: (Phase.withdrawn, Phase.replaced),
}


def _confirmed(spans: tuple[Span, ...], clause: str | None, evidence: Evidence) -> tuple[Span, ...]:
    """Mark each span confirmed or reported, with the newest day that says so, or scheduled."""
    result = []
    for span in spans:
        if span.origin is Origin.checked:
            result.append(span)  # known from the check that laid it
            continue
        matching = [c for c in evidence.checks if c.clause == clause and span.status.phase in _OBSERVED[c.status]]
        official = [c.date for c in matching if evidence.official(c)]
        reported = [c.date for c in matching if not evidence.official(c)]
        if span.origin in _SELF_EVIDENT and span.terms_of is not None:
            official += evidence.published.get(span.terms_of, ())
            reported += evidence.reported.get(span.terms_of, ())
        confirming = [d for d in official if span.covers(d) and (span.start is not None)]
        reporting = [d for d in reported if span.covers(d) and (span.start is not None)]
        if span.origin in (Origin.before, Origin.announced):
            result.append(replace(span, basis=Basis.confirmed))
        elif confirming:
            newer = [d for d in reporting if d > max(confirming)]
            result.append(
                replace(
                    span,
                    basis=Basis.confirmed,
                    checked_through=max(confirming),
                    reported_through=max(newer, default=None),
                )
            )
        elif reporting:
            result.append(replace(span, basis=Basis.reported, checked_through=max(reporting)))
        else:
            result.append(replace(span, basis=Basis.scheduled, checked_through=None))
    return tuple(result)
