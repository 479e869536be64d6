"""Derive stage: what depends on the as-of date (statuses), and what depends on other records (backlinks, timeline)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .core.citations import without_citations
from .core.concentration import NOT_AVAILABLE, WITHHELD, concentrations, production_series
from .core.models import Event, Mineral, PartialDate, Policy, Project, RelationType, Source, SourceKind, country_name
from .records import answers, clocks
from .records.dataset import Acting, CountryFacts, Dataset, Derived, TimelineEntry
from .records.registry import display_name
from .records.status import Action, Evidence, policy_timeline
from .records.wording import Phase, Status

SOON_DAYS = 30


def derive(dataset: Dataset, today: dt.date) -> Derived:
    """Compute statuses, backlinks and the timeline for `today`, in one pass over the records."""
    derived = Derived(today=today, soon_days=SOON_DAYS)
    # As of `today`, only what had been announced and published by then is known.
    actions = _actions(dataset.policies, today)
    published = _published(dataset, today, official=True)
    reported = _published(dataset, today, official=False)
    secondary = frozenset(i for i, s in dataset.sources.items() if s.kind is SourceKind.secondary)
    for policy_id, policy in dataset.policies.items():
        checks = tuple(c for c in policy.status_checks if c.date <= today)
        evidence = Evidence(published, checks, reported, secondary)
        timeline = derived.timelines[policy_id] = policy_timeline(
            policy_id, policy, actions.get(policy_id, []), evidence
        )
        derived.policy_status[policy_id] = timeline.at(today)
        for clause in policy.clauses:
            derived.clause_status[(policy_id, clause.id)] = timeline.at(today, clause.id)
        derived.suspended_clauses[policy_id] = [
            c.id for c in policy.clauses if derived.clause_status[(policy_id, c.id)].status.phase is Phase.paused
        ]
    _backlinks(dataset, derived)
    editions = _editions_by_chapter(dataset)
    for mineral_id, mineral in dataset.minerals.items():
        chapters = {dataset.figure_sets[s].chapter for s in mineral.figures}
        earlier = sorted({s for chapter in chapters for s in editions.get(chapter, [])} - set(mineral.figures))
        every = [*mineral.figures, *earlier]
        derived.figure_sets_of[mineral_id] = every
        for set_id in every:
            derived.figures_shown_on.setdefault(set_id, mineral_id)
        # The series follows the mineral's first chapter across editions, so that one table is followed over the years.
        first = dataset.figure_sets[mineral.figures[0]].chapter if mineral.figures else None
        series = production_series({s: dataset.figure_sets[s] for s in editions.get(first, [])}) if first else None
        if series is not None and len(series.scopes) > 1:
            derived.series[mineral_id] = series
        derived.concentrations[mineral_id] = [
            c for set_id in mineral.figures for c in concentrations(dataset.figure_sets[set_id])
        ]
    derived.countries = _countries(dataset, derived)
    derived.timeline = _timeline(dataset, today)
    derived.changing_soon = _changing_soon(derived, today)
    for policy_id in dataset.policies:
        derived.answers[(Policy.collection, policy_id)] = answers.measure_answer(policy_id, dataset, derived)
    for mineral_id in dataset.minerals:
        derived.answers[(Mineral.collection, mineral_id)] = answers.mineral_answer(mineral_id, dataset, derived)
    derived.site_answer = answers.home_answer(dataset, derived)
    for collection, records in dataset.records.items():
        for record_id, record in records.items():
            if (due := clocks.review_due(record, today)) is not None:
                derived.review_due[(collection, record_id)] = due
            if (stale := clocks.knowledge_stale(record, today)) is not None:
                derived.knowledge_stale[(collection, record_id)] = stale
    return derived


_ACTING = {RelationType.suspends: Status.suspended, RelationType.supersedes: Status.superseded}


def _actions(policies: dict[str, Policy], today: dt.date) -> dict[str, list[Action]]:
    """What each measure's status is changed by: suspensions and supersessions by measures announced by `today`."""
    found: dict[str, list[Action]] = defaultdict(list)
    for policy_id, policy in policies.items():
        if policy.dates.announced > today:
            continue
        for relation in policy.relations:
            status = _ACTING.get(relation.type)
            if status is not None:
                found[relation.policy].append(Action(policy_id, status, relation.clause, relation.start, relation.end))
    return dict(found)


def _published(dataset: Dataset, today: dt.date, official: bool) -> dict[str, tuple[dt.date, ...]]:
    """The days by `today` on which each measure's official sources (or, not `official`, its secondary ones) appeared.

    A source dated by month or year counts from its first day.
    """
    days: dict[str, set[dt.date]] = defaultdict(set)
    for _, source_id in dataset.references.targets(Source.collection):
        source = dataset.sources.get(source_id)
        if source is None or source.published is None or PartialDate(source.published).first_day > today:
            continue
        if (source.kind is SourceKind.secondary) is official:
            continue
        for record_id in (i for _, i in dataset.references.referring(Source.collection, source_id, Policy.collection)):
            days[record_id].add(PartialDate(source.published).first_day)
    return {policy_id: tuple(sorted(found)) for policy_id, found in days.items()}


def _backlinks(dataset: Dataset, derived: Derived) -> None:
    derived.references = dataset.references
    for policy_id in dataset.policies:
        for reference in dataset.references.to(Policy.collection, policy_id, Policy.collection):
            by = dataset.policies[reference.id]
            relation = by.relations[int(reference.path[1])]
            derived.acted_on_by.setdefault(policy_id, []).append(Acting(reference.id, relation))


def _editions_by_chapter(dataset: Dataset) -> dict[str, list[str]]:
    """The figure sets of every edition, by chapter: a mineral page shows each edition of its chapters."""
    found: dict[str, list[str]] = {}
    for set_id, figures in dataset.figure_sets.items():
        found.setdefault(figures.chapter, []).append(set_id)
    return found


def _countries(dataset: Dataset, derived: Derived) -> dict[str, CountryFacts]:
    """Every country or group a page names, with what the records say of it."""
    facts: dict[str, CountryFacts] = {}

    def of(code: str) -> CountryFacts:
        return facts.setdefault(code, CountryFacts(code))

    for mineral_id, mineral in dataset.minerals.items():
        for code in [f.country for f in mineral.production] + [r.country for r in mineral.net_import_reliance]:
            of(code)
        for world in mineral.world_production:
            for code in world.producing_countries:
                of(code)
        for table in derived.concentrations.get(mineral_id, []):
            for row in table.rows:
                if row.country:
                    of(row.country)
            if table.statistic == "Production":
                for row in table.rows:
                    if not row.country:
                        continue
                    if row.value == WITHHELD:
                        of(row.country).withholds.append((mineral_id, table, row))
                    elif row.value == NOT_AVAILABLE:
                        of(row.country).not_reported.append((mineral_id, table, row))
                    elif row.number is not None or row.low is not None or row.high is not None:
                        of(row.country).produces.append((mineral_id, table, row, table.share_of(row)))
        for set_id in mineral.figures:
            for section in dataset.figure_sets[set_id].sections:
                for figure in section.figures:
                    if figure.country:
                        of(figure.country)
        series = derived.series.get(mineral_id)
        for _area, by_year in series.rows if series else []:
            for values in by_year.values():
                for value in values:
                    if value.figure.country:
                        of(value.figure.country)
    for policy_id, policy in dataset.policies.items():
        of(policy.jurisdiction).imposes.append(policy_id)
    for project_id, project in dataset.projects.items():
        of(project.location.country).projects.append(project_id)
    for event in dataset.events.values():
        if event.country:
            of(event.country)
    for code, found in facts.items():
        name = country_name(code)
        for policy_id, policy in dataset.policies.items():
            targets = [*policy.targets, *(t for c in policy.clauses for t in c.targets)]
            if policy.jurisdiction != code and any(name in target for target in targets):
                found.targeted_by.append(policy_id)
    return dict(sorted(facts.items()))


def _timeline(dataset: Dataset, today: dt.date) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for policy_id, policy in dataset.policies.items():
        if policy.dates.announced > today:
            continue  # not yet a measure on `today`
        minerals = tuple(policy.minerals)
        name = display_name(policy)
        dates = policy.dates
        entries.append(
            TimelineEntry(dates.announced.isoformat(), Policy.collection, policy_id, "announced", name, minerals)
        )
        if dates.effective and dates.effective != dates.announced:
            entries.append(
                TimelineEntry(dates.effective.isoformat(), Policy.collection, policy_id, "takes effect", name, minerals)
            )
        elif dates.effective:
            entries[-1] = TimelineEntry(
                dates.announced.isoformat(), Policy.collection, policy_id, "announced and in force", name, minerals
            )
        # A suspension that lapses with the measure itself is told in the row of its last day, not twice.
        lapsing_with_it = []
        for relation in policy.relations:
            if relation.type is RelationType.suspends and relation.end:
                target = display_name(dataset.policies[relation.policy])
                what = f"clause {relation.clause} of {target}" if relation.clause else target
                if relation.end == dates.expires:
                    lapsing_with_it.append(what)
                    continue
                entries.append(
                    TimelineEntry(
                        relation.end.isoformat(),
                        Policy.collection,
                        policy_id,
                        "suspension ends",
                        f"{name}: suspension of {what}",
                        minerals,
                    )
                )
        if dates.expires:
            text = name + (
                f", and with it its suspension of {' and '.join(lapsing_with_it)}" if lapsing_with_it else ""
            )
            entries.append(
                TimelineEntry(
                    dates.expires.isoformat(), Policy.collection, policy_id, "last day in force", text, minerals
                )
            )
        if dates.revoked:
            entries.append(
                TimelineEntry(dates.revoked.isoformat(), Policy.collection, policy_id, "revoked", name, minerals)
            )
    for project_id, project in dataset.projects.items():
        minerals = tuple(project.minerals)
        for milestone in project.milestones:
            entries.append(
                TimelineEntry(
                    str(milestone.date),
                    Project.collection,
                    project_id,
                    "milestone",
                    f"{project.name}: {without_citations(milestone.text)}",
                    minerals,
                )
            )
        for support in project.support:
            entries.append(
                TimelineEntry(
                    str(support.date),
                    Project.collection,
                    project_id,
                    "support",
                    f"{project.name}: {without_citations(support.text)}",
                    minerals,
                )
            )
    for event_id, event in dataset.events.items():
        entries.append(
            TimelineEntry(
                event.date.isoformat(), Event.collection, event_id, "event", event.title, tuple(event.minerals)
            )
        )
    return sorted(entries, key=lambda e: (e.sort_key, e.collection, e.record_id, e.kind), reverse=True)


def _changing_soon(derived: Derived, today: dt.date) -> list[tuple[str, str | None]]:
    """Measures and clauses whose status changes within SOON_DAYS, soonest first."""
    horizon = today + dt.timedelta(days=SOON_DAYS)
    found: list[tuple[dt.date, str, str | None]] = []
    for policy_id, status in derived.policy_status.items():
        if status.status.phase is Phase.before:
            continue
        if status.next_change and status.next_change <= horizon:
            found.append((status.next_change, policy_id, None))
    for (policy_id, clause_id), status in derived.clause_status.items():
        whole = derived.policy_status[policy_id]
        if status != whole and status.next_change and status.next_change <= horizon:
            found.append((status.next_change, policy_id, clause_id))
    return [
        (policy_id, clause_id) for _day, policy_id, clause_id in sorted(found, key=lambda f: (f[0], f[1], f[2] or ""))
    ]
