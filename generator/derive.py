"""Derive stage: what depends on the as-of date (statuses), and what depends on other records (backlinks, timeline)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .dataset import Acting, Dataset, Derived, TimelineEntry
from .models import Policy, RelationType
from .registry import display_name, policy_minerals
from .status import Status, Suspension, policy_timeline

SOON_DAYS = 30


def derive(dataset: Dataset, today: dt.date) -> Derived:
    """Compute statuses, backlinks and the timeline for `today`, in one pass over the records."""
    derived = Derived(today=today, soon_days=SOON_DAYS)
    suspensions = _suspensions(dataset.policies)
    for policy_id, policy in dataset.policies.items():
        timeline = derived.timelines[policy_id] = policy_timeline(policy, suspensions.get(policy_id, []))
        derived.policy_status[policy_id] = timeline.at(today)
        for clause in policy.clauses:
            derived.clause_status[(policy_id, clause.id)] = timeline.at(today, clause.id)
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
    return dict(found)


def _backlinks(dataset: Dataset, derived: Derived) -> None:
    by_mineral: dict[str, set[str]] = defaultdict(set)
    for policy_id, policy in dataset.policies.items():
        for mineral_id in policy_minerals(policy):
            by_mineral[mineral_id].add(policy_id)
        for relation in policy.relations:
            derived.acted_on_by.setdefault(relation.policy, []).append(Acting(policy_id, relation))
    derived.policies_by_mineral = {m: sorted(ids) for m, ids in by_mineral.items()}
    for project_id, project in dataset.projects.items():
        for mineral_id in project.minerals:
            derived.projects_by_mineral.setdefault(mineral_id, []).append(project_id)
        for policy_id in sorted({s.policy for s in project.support if s.policy}):
            derived.projects_by_policy.setdefault(policy_id, []).append(project_id)
    for event_id, event in dataset.events.items():
        for mineral_id in event.minerals:
            derived.events_by_mineral.setdefault(mineral_id, []).append(event_id)
    for mineral_id, mineral in dataset.minerals.items():
        for membership in mineral.lists:
            derived.lists_by_policy.setdefault(membership.policy, []).append(mineral_id)
    derived.cited_by = {source: sorted(refs) for source, refs in sorted(dataset.cited_by.items())}


def _timeline(dataset: Dataset) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for policy_id, policy in dataset.policies.items():
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
    for project_id, project in dataset.projects.items():
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
    for event_id, event in dataset.events.items():
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
