"""Derive stage: what depends on the as-of date (statuses), and what depends on other records (backlinks, timeline)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum

from .models import Event, Mineral, PartialDate, Policy, Project, Relation, RelationType, display_name
from .validate import Dataset

SOON_DAYS = 30
ONE_DAY = dt.timedelta(days=1)


class Status(str, Enum):
    not_yet = "not-yet-in-force"
    in_force = "in-force"
    suspended = "suspended"
    expired = "expired"
    revoked = "revoked"

    @property
    def label(self) -> str:
        return {
            "not-yet-in-force": "Not yet in force",
            "in-force": "In force",
            "suspended": "Suspended",
            "expired": "Expired",
            "revoked": "Revoked",
        }[self.value]


@dataclass(frozen=True)
class StatusAt:
    """A status on the as-of date, with the dates that bound it (both inclusive, None when open)."""

    status: Status
    since: dt.date | None = None
    until: dt.date | None = None
    by: str | None = None  # the policy that suspends, for Suspended

    @property
    def next_change(self) -> dt.date | None:
        return self.until + ONE_DAY if self.until else None


@dataclass(frozen=True)
class Suspension:
    """A `suspends` relation seen from the measure it acts on."""

    by: str
    clause: str | None
    start: dt.date
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class TimelineEntry:
    """One dated happening, linked to the record it belongs to."""

    date: str  # ISO date, or YYYY-MM / YYYY when only that is known
    collection: str
    record_id: str
    kind: str  # what happened, e.g. "takes effect", "suspension ends", "milestone"
    text: str
    minerals: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return PartialDate(self.date).sort_key


@dataclass(frozen=True)
class Acting:
    """Another policy acting on this one."""

    by: str
    relation: Relation


@dataclass
class Derived:
    """Everything computed from the records and the as-of date, passed to the templates."""

    today: dt.date
    policy_status: dict[str, StatusAt] = field(default_factory=dict)
    clause_status: dict[tuple[str, str], StatusAt] = field(default_factory=dict)
    suspended_clauses: dict[str, list[str]] = field(default_factory=dict)
    policies_by_mineral: dict[str, list[str]] = field(default_factory=dict)
    projects_by_mineral: dict[str, list[str]] = field(default_factory=dict)
    events_by_mineral: dict[str, list[str]] = field(default_factory=dict)
    lists_by_policy: dict[str, list[str]] = field(default_factory=dict)
    acted_on_by: dict[str, list[Acting]] = field(default_factory=dict)
    projects_by_policy: dict[str, list[str]] = field(default_factory=dict)
    cited_by: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)
    changing_soon: list[tuple[str, str | None]] = field(default_factory=list)
    stale: set[tuple[str, str]] = field(default_factory=set)

    def count_with_status(self, policy_ids: list[str], *statuses: str) -> int:
        """Count the measures among `policy_ids` whose status is one of `statuses`."""
        return sum(1 for p in policy_ids if self.policy_status[p].status.value in statuses)

    def is_past(self, entry: TimelineEntry) -> bool:
        return PartialDate(entry.date).sort_key <= (self.today.year, self.today.month, self.today.day)


def derive(dataset: Dataset, today: dt.date) -> Derived:
    """Compute statuses, backlinks and the timeline for `today`, in one pass over the records."""
    derived = Derived(today=today)
    policies: dict[str, Policy] = dataset.get("policies")
    suspensions = _suspensions(policies)
    for policy_id, policy in policies.items():
        status = policy_status(policy, suspensions.get(policy_id, []), today)
        derived.policy_status[policy_id] = status
        for clause in policy.clauses:
            derived.clause_status[(policy_id, clause.id)] = clause_status(
                status, clause.id, suspensions.get(policy_id, []), today
            )
        derived.suspended_clauses[policy_id] = [
            c.id for c in policy.clauses if derived.clause_status[(policy_id, c.id)].status is Status.suspended
        ]
    _backlinks(dataset, derived)
    derived.timeline = _timeline(dataset)
    derived.changing_soon = _changing_soon(derived, today)
    for collection, records in dataset.records.items():
        for record_id, record in records.items():
            if (today - record.last_verified).days > record.review_interval_days:
                derived.stale.add((collection, record_id))
    return derived


def _suspensions(policies: dict[str, Policy]) -> dict[str, list[Suspension]]:
    found: dict[str, list[Suspension]] = defaultdict(list)
    for policy_id, policy in policies.items():
        for relation in policy.relations:
            if relation.type is RelationType.suspends:
                found[relation.policy].append(Suspension(policy_id, relation.clause, relation.start, relation.end))
    return {key: sorted(value, key=lambda s: (s.start, s.by)) for key, value in found.items()}


def policy_status(policy: Policy, suspensions: list[Suspension], day: dt.date) -> StatusAt:
    """Return the status of a whole measure on `day`."""
    dates = policy.dates
    effective = dates.effective or dates.announced
    if dates.revoked is not None and day >= dates.revoked:
        return StatusAt(Status.revoked, since=dates.revoked)
    ends = min((d for d in (dates.expires, dates.revoked - ONE_DAY if dates.revoked else None) if d), default=None)
    if day < effective:
        return StatusAt(Status.not_yet, until=effective - ONE_DAY)
    if dates.expires is not None and day > dates.expires:
        return StatusAt(Status.expired, since=dates.expires + ONE_DAY)
    return _suspended_or_in_force([s for s in suspensions if s.clause is None], day, effective, ends)


def clause_status(whole: StatusAt, clause_id: str, suspensions: list[Suspension], day: dt.date) -> StatusAt:
    """Return the status of one clause: the measure's, unless a suspension acts on the clause."""
    if whole.status is not Status.in_force:
        return whole
    own = [s for s in suspensions if s.clause == clause_id]
    return _suspended_or_in_force(own, day, whole.since, whole.until)


def _suspended_or_in_force(
    suspensions: list[Suspension], day: dt.date, since: dt.date | None, ends: dt.date | None
) -> StatusAt:
    for suspension in suspensions:
        if suspension.covers(day):
            until = min((d for d in (suspension.end, ends) if d), default=None)
            return StatusAt(Status.suspended, since=suspension.start, until=until, by=suspension.by)
    latest_end = max((s.end for s in suspensions if s.end and s.end < day), default=None)
    start = max((d for d in (since, latest_end + ONE_DAY if latest_end else None) if d), default=None)
    next_start = min((s.start for s in suspensions if s.start > day), default=None)
    until = min((d for d in (ends, next_start - ONE_DAY if next_start else None) if d), default=None)
    return StatusAt(Status.in_force, since=start, until=until)


def _backlinks(dataset: Dataset, derived: Derived) -> None:
    by_mineral: dict[str, set[str]] = defaultdict(set)
    for policy_id, policy in dataset.get("policies").items():
        for mineral_id in [*policy.minerals, *(m for c in policy.clauses for m in c.minerals)]:
            by_mineral[mineral_id].add(policy_id)
        for relation in policy.relations:
            derived.acted_on_by.setdefault(relation.policy, []).append(Acting(policy_id, relation))
    derived.policies_by_mineral = {m: sorted(ids) for m, ids in by_mineral.items()}
    project: Project
    for project_id, project in dataset.get("projects").items():
        for mineral_id in project.minerals:
            derived.projects_by_mineral.setdefault(mineral_id, []).append(project_id)
        for policy_id in sorted({s.policy for s in project.support if s.policy}):
            derived.projects_by_policy.setdefault(policy_id, []).append(project_id)
    event: Event
    for event_id, event in dataset.get("events").items():
        for mineral_id in event.minerals:
            derived.events_by_mineral.setdefault(mineral_id, []).append(event_id)
    mineral: Mineral
    for mineral_id, mineral in dataset.get("minerals").items():
        for membership in mineral.lists:
            derived.lists_by_policy.setdefault(membership.policy, []).append(mineral_id)
    derived.cited_by = {source: sorted(refs) for source, refs in sorted(dataset.cited_by.items())}


def _timeline(dataset: Dataset) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    policy: Policy
    for policy_id, policy in dataset.get("policies").items():
        minerals = tuple(policy.minerals)
        name = display_name(policy)
        dates = policy.dates
        entries.append(TimelineEntry(dates.announced.isoformat(), "policies", policy_id, "announced", name, minerals))
        if dates.effective and dates.effective != dates.announced:
            entries.append(
                TimelineEntry(dates.effective.isoformat(), "policies", policy_id, "takes effect", name, minerals)
            )
        elif dates.effective:
            entries[-1] = TimelineEntry(
                dates.announced.isoformat(), "policies", policy_id, "announced and in force", name, minerals
            )
        if dates.expires:
            entries.append(
                TimelineEntry(dates.expires.isoformat(), "policies", policy_id, "last day in force", name, minerals)
            )
        if dates.revoked:
            entries.append(TimelineEntry(dates.revoked.isoformat(), "policies", policy_id, "revoked", name, minerals))
        for relation in policy.relations:
            if relation.type is RelationType.suspends and relation.end:
                target = f"{relation.policy} clause {relation.clause}" if relation.clause else relation.policy
                entries.append(
                    TimelineEntry(
                        relation.end.isoformat(),
                        "policies",
                        policy_id,
                        "suspension ends",
                        f"{name}: suspension of {target}",
                        minerals,
                    )
                )
    project: Project
    for project_id, project in dataset.get("projects").items():
        minerals = tuple(project.minerals)
        for milestone in project.milestones:
            entries.append(
                TimelineEntry(
                    str(milestone.date),
                    "projects",
                    project_id,
                    "milestone",
                    f"{project.name}: {milestone.text}",
                    minerals,
                )
            )
        for support in project.support:
            entries.append(
                TimelineEntry(
                    str(support.date), "projects", project_id, "support", f"{project.name}: {support.text}", minerals
                )
            )
    event: Event
    for event_id, event in dataset.get("events").items():
        entries.append(
            TimelineEntry(event.date.isoformat(), "events", event_id, "event", event.title, tuple(event.minerals))
        )
    return sorted(entries, key=lambda e: (e.sort_key, e.collection, e.record_id, e.kind), reverse=True)


def _changing_soon(derived: Derived, today: dt.date) -> list[tuple[str, str | None]]:
    """Measures and clauses whose status changes within SOON_DAYS, soonest first."""
    horizon = today + dt.timedelta(days=SOON_DAYS)
    found: list[tuple[dt.date, str, str | None]] = []
    for policy_id, status in derived.policy_status.items():
        if status.next_change and status.next_change <= horizon:
            found.append((status.next_change, policy_id, None))
    for (policy_id, clause_id), status in derived.clause_status.items():
        whole = derived.policy_status[policy_id]
        if status != whole and status.next_change and status.next_change <= horizon:
            found.append((status.next_change, policy_id, clause_id))
    return [
        (policy_id, clause_id) for _day, policy_id, clause_id in sorted(found, key=lambda f: (f[0], f[1], f[2] or ""))
    ]
