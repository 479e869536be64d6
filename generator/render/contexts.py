"""What each page shows, gathered before its template runs: templates format, they do not look up or compute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypedDict

from ..core import formatting, urls
from ..core.citations import without_citations
from ..core.citing import PageCitation, page_citation
from ..core.concentration import Concentration, ProductionSeries, Share, figure_notes, headline, qualifier
from ..core.models import (
    Amount,
    CheckedClaim,
    Clause,
    Correction,
    CountryProduction,
    EndUse,
    Event,
    FigureSet,
    ImportReliance,
    Mineral,
    Observation,
    PartialDate,
    Policy,
    Price,
    Project,
    Record,
    Researched,
    Source,
    SourceKind,
    WorldProduction,
    country_name,
)
from ..records import answers, clocks
from ..records.dataset import Acting, CountryFacts, Dataset, Derived, TimelineEntry
from ..records.registry import COLLECTIONS, SearchEntry, display_name, navigation
from ..records.stages import MilestoneSeen, StageAt, project_stage, seen_milestones
from ..records.status import StatusAt
from ..records.wording import PARTLY_SUSPENDED, Phase
from .charts import DatedSpan, policy_spans, policy_timeline_chart, production_share_chart, production_trend_chart
from .environment import Md

LATEST_ON_HOME = 8
FEEDS_LISTED = 12
# An official text is published around the day its measure is announced: a primary source listed by a measure
# but published long after (a statistical summary, a later report) is about the measure, not its text.
OFFICIAL_TEXT_WINDOW = dt.timedelta(days=60)


@dataclass(frozen=True)
class Measure:
    """A measure as listed on another page: its status, and the clauses whose status differs."""

    id: str
    policy: Policy
    status: StatusAt
    clauses: list[tuple[str, StatusAt]]
    partly: bool  # in force as a whole, with some clauses suspended

    @property
    def announced(self) -> bool:
        return self.status.status.phase is not Phase.before


def measure(policy_id: str, dataset: Dataset, derived: Derived) -> Measure:
    return Measure(
        policy_id,
        dataset.policies[policy_id],
        derived.policy_status[policy_id],
        [(c, derived.clause_status[(policy_id, c)]) for c in derived.suspended_clauses.get(policy_id, [])],
        answers.partly_suspended(policy_id, derived),
    )


def measures(policy_ids: list[str], dataset: Dataset, derived: Derived) -> list[Measure]:
    """The measures among `policy_ids` that had been announced by the day: a later one is not a measure of that day."""
    found = (measure(p, dataset, derived) for p in policy_ids)
    return [m for m in found if m.announced]


class RecordContext(TypedDict):
    """Every record page: the record, where it comes from, what its two clocks say, and how to cite it."""

    id: str
    record: Record
    source_file: Md
    clock_notices: list[tuple[str, str]]  # (heading, sentence): may be out of date, then due for review
    research_cutoff: dt.date | None  # None for records that are not facts about the world (sources)
    cite_as: PageCitation
    search: SearchEntry | None  # None keeps the page out of search results
    # The records referring to this one, under their collection's heading, for collections that list them so.
    referred_by: list[tuple[str, list[tuple[str, str]]]]


class MineralContext(TypedDict):
    answer: str
    aliases: list[str]  # other names, without those the page already shows as its name or symbol
    measures: list[Measure]
    production_chart: Md
    releases: list[Release]
    country_tables: bool  # a release gives production by country in a table of its own
    figures_csv: Md  # the mineral's own CSV file: every figure the page shows
    series: ProductionSeries | None  # production by country over the editions, where more than one is imported
    trend_chart: Md
    # Figures, each with a word on its edition where two editions disagree.
    production: list[tuple[CountryProduction, str]]
    world_production: list[tuple[WorldProduction, str]]
    reliance: list[tuple[ImportReliance, str]]
    prices: list[tuple[Price, str]]
    uses: list[tuple[EndUse, str]]
    claims: list[tuple[CheckedClaim, str]]  # each checked claim with the publisher of the claim
    projects: list[tuple[str, Project]]
    events: list[tuple[str, Event]]
    feed: Md
    feed_file: Md
    document: Md


@dataclass(frozen=True)
class OfficialText:
    """A source holding a measure's own text: the original, or a faithful copy where no original was seen."""

    id: str
    source: Source

    @property
    def copy(self) -> bool:
        return self.source.kind is SourceKind.reproduction


class PolicyContext(TypedDict):
    answer: str
    calendar: Md  # the measure's own calendar file
    site_calendar: Md
    official: list[OfficialText]  # empty when no official text was seen
    measure: Measure
    clauses: list[tuple[Clause, StatusAt]]
    life: list[tuple[str, list[DatedSpan]]]
    life_chart: Md
    acting: list[Acting]
    listed: list[str]
    supported: list[str]


class SourceContext(TypedDict):
    citing: list[tuple[str, str]]


class ProjectContext(TypedDict):
    aliases: list[str]  # other names, without the project's own name
    stage: StageAt  # its stage on the day of the build, from its milestones
    milestones: list[MilestoneSeen]  # oldest first, each with how it is known
    funding: list[tuple[str, Policy, StatusAt, list[Amount]]]  # each measure, its status and its sums for the project


class HomeContext(TypedDict):
    answer: str
    research_cutoff: dt.date | None
    intro: Md
    soon_days: int
    changing_soon: list[tuple[Measure, str | None, StatusAt]]
    latest: list[TimelineEntry]
    sections: list[tuple[str, Md]]  # every index of the site, by its title, linked from the home page


class DataContext(TypedDict):
    search: SearchEntry
    feeds: list[tuple[str, str]]  # (mineral id, name) of the feeds listed by name
    other_feeds: int
    calendars: list[tuple[str, str]]  # (measure id, name) of the measures' calendars listed by name
    other_calendars: int
    tables: list[tuple[str, Md]]  # each collection's CSV file and its columns, as the registry declares them
    api_indexes: list[tuple[str, Md]]  # each collection's API index, linked from the data page


class MineralRow(TypedDict):
    id: str
    mineral: Mineral
    measures: int
    active: int
    projects: int
    table: Concentration | None  # the table it is compared by: latest world production


def editions(figures: list[Any], key: Callable[[Any], Hashable]) -> list[tuple[Any, str]]:
    """Each figure with a word on its edition where editions disagree on the same thing: the newer one says so."""
    groups: dict[Hashable, list[Any]] = {}
    for figure in figures:
        groups.setdefault(key(figure), []).append(figure)
    result = []
    for figure in figures:
        group = groups[key(figure)]
        named = sorted({f.edition for f in group if f.edition})
        values = {_value_of(f) for f in group}
        if len(named) < 2 or len(values) < 2:
            result.append((figure, ""))
        elif figure.edition == named[-1]:
            result.append((figure, f"newer edition; {', '.join(named[:-1])} gave another figure"))
        else:
            result.append((figure, f"earlier edition; revised in {named[-1]}"))
    return result


def _value_of(figure: Any) -> Hashable:
    return tuple(getattr(figure, name, None) for name in ("value", "value_high", "share"))


@dataclass(frozen=True)
class FigureRow:
    """One figure as a table shows it: its computed share, what its token means, and USGS's notes on it."""

    figure: Observation
    share: Share | None
    meaning: str  # "withheld to avoid disclosing company data", "not available", or ""
    notes: list[str]


@dataclass(frozen=True)
class Table:
    """One world table with its concentration, its rows as shown, and its section's note where the section starts."""

    concentration: Concentration
    rows: list[FigureRow]
    section_note: str
    section_corrected: Correction | None


def figure_row(figure: Observation, share: Share | None = None) -> FigureRow:
    return FigureRow(figure, share, qualifier(figure), figure_notes(figure))


@dataclass(frozen=True)
class Release:
    """One imported chapter as a mineral page shows it: world tables with their concentration, then U.S. tables."""

    id: str
    figures: FigureSet
    source: str  # the chapter's source record, or the release's
    tables: list[Table]
    missing_world: bool  # the chapter has no world table with a total
    reliance: list[FigureRow]
    imports: list[FigureRow]
    prices: list[FigureRow]
    document: Md  # the chapter's figures in the API, linked from the mineral's page


def release_view(set_id: str, dataset: Dataset, derived: Derived, mineral_id: str, page: str) -> Release:
    figures = dataset.figure_sets[set_id]
    notes = {s.name: s for s in figures.sections}
    tables, seen = [], set()
    for t in derived.concentrations.get(mineral_id, []):
        if (t.edition, t.chapter) != (figures.edition, figures.chapter):
            continue
        section = notes[t.section]
        first = t.section not in seen
        seen.add(t.section)
        tables.append(
            Table(
                t,
                [figure_row(f, t.share_of(f)) for f in t.rows],
                (section.notes or "") if first else "",
                section.notes_corrected if first else None,
            )
        )
    rows = [(s.name, f) for s in figures.sections for f in s.figures]
    return Release(
        set_id,
        figures,
        figures.chapter_source or figures.release,
        tables,
        not any(t.concentration.statistic == "Production" for t in tables),
        [figure_row(f) for name, f in rows if f.statistic == "Net import reliance"],
        [figure_row(f) for name, f in rows if name == "Import Sources"],
        [figure_row(f) for name, f in rows if f.statistic == "Price"],
        Md(urls.relative(page, urls.api_document(FigureSet.collection, set_id))),
    )


def mineral_page(record_id: str, mineral: Mineral, dataset: Dataset, derived: Derived, page: str) -> MineralContext:
    releases = [release_view(s, dataset, derived, record_id, page) for s in mineral.figures]
    return {
        "answer": derived.answers[(Mineral.collection, record_id)],
        "aliases": other_names(mineral.aliases, mineral.name, mineral.symbol),
        "measures": measures(derived.measures_of(record_id), dataset, derived),
        "production_chart": Md(production_share_chart(mineral)),
        "releases": releases,
        "country_tables": any(
            t.concentration.statistic == "Production" and any(r.figure.country for r in t.rows)
            for r in releases
            for t in r.tables
        ),
        "figures_csv": Md(urls.relative(page, urls.mineral_table(record_id))),
        "series": derived.series.get(record_id),
        "trend_chart": Md(production_trend_chart(mineral.name, derived.series.get(record_id))),
        "production": editions(mineral.production, lambda f: (f.country, f.stage, f.year)),
        "world_production": editions(mineral.world_production, lambda f: (f.stage, f.year)),
        "reliance": editions(mineral.net_import_reliance, lambda r: (r.country, r.year)),
        "prices": editions(mineral.prices, lambda p: (p.description, str(p.date))),
        "uses": editions(mineral.end_uses, lambda u: (u.use, u.year)),
        "claims": [(c, dataset.sources[c.claimed_by].publisher) for c in mineral.checked_claims],
        "projects": [(p, dataset.projects[p]) for p in derived.projects_of(record_id)],
        "events": [(e, dataset.events[e]) for e in derived.events_of(record_id)],
        "feed": Md(urls.relative(page, urls.feed(record_id))),
        "feed_file": Md(urls.feed(record_id)),
        "document": Md(urls.relative(page, urls.api_document(Mineral.collection, record_id))),
    }


def policy_page(record_id: str, policy: Policy, dataset: Dataset, derived: Derived, page: str) -> PolicyContext:
    life = policy_spans(policy, derived.timelines[record_id])
    return {
        "answer": derived.answers[(Policy.collection, record_id)],
        "calendar": Md(urls.relative(page, urls.policy_calendar(record_id))),
        "site_calendar": Md(urls.relative(page, urls.CALENDAR)),
        "official": official_texts(policy, dataset.sources),
        "measure": measure(record_id, dataset, derived),
        "clauses": [(c, derived.clause_status[(record_id, c.id)]) for c in policy.clauses],
        "life": life,
        "life_chart": Md(policy_timeline_chart(policy, life, derived.today)),
        "acting": derived.acted_on_by.get(record_id, []),
        "listed": derived.minerals_listed_by(record_id),
        "supported": derived.projects_supported_by(record_id),
    }


def other_names(aliases: list[str], *names: str | None) -> list[str]:
    """The aliases that say something new: none equal to a name or symbol already shown, ignoring case."""
    shown = {n.casefold() for n in names if n}
    return [a for a in aliases if a.casefold() not in shown]


def official_texts(policy: Policy, sources: dict[str, Source]) -> list[OfficialText]:
    """The sources holding a measure's own text: its primary sources published around its announcement.

    Where none was seen, the faithful copies (reproductions) of it, published in the same window; a
    source dated only by month or year counts when the whole month or year lies in the window.
    """
    dates = policy.dates
    opened = dates.announced - OFFICIAL_TEXT_WINDOW
    closed = max(dates.effective or dates.announced, dates.announced + OFFICIAL_TEXT_WINDOW)
    texts: dict[SourceKind, list[OfficialText]] = {SourceKind.primary: [], SourceKind.reproduction: []}
    for source_id in policy.sources:
        source = sources[source_id]
        if source.kind in texts and source.published and _within(PartialDate(source.published), opened, closed):
            texts[source.kind].append(OfficialText(source_id, source))
    return texts[SourceKind.primary] or texts[SourceKind.reproduction]


def _within(day: PartialDate, opened: dt.date, closed: dt.date) -> bool:
    first = day.first_day
    year, month, known_day = day.sort_key
    if known_day:
        last = first
    elif month:
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    else:
        last = dt.date(year, 12, 31)
    return opened <= first and last <= closed


def project_page(record_id: str, project: Project, dataset: Dataset, derived: Derived, _page: str) -> ProjectContext:
    secondary = [i for i, s in dataset.sources.items() if s.kind is SourceKind.secondary]
    funding = [
        (
            p,
            dataset.policies[p],
            derived.status_of(p),
            [a for a in dataset.policies[p].amounts if a.project in (None, record_id)],
        )
        for p in derived.funding_of(record_id)
    ]
    return {
        "aliases": other_names(project.aliases, project.name),
        "stage": project_stage(project, derived.today, secondary),
        "milestones": seen_milestones(project, derived.today, secondary),
        "funding": funding,
    }


def source_page(record_id: str, _record: Any, _dataset: Dataset, derived: Derived, _page: str) -> SourceContext:
    # Records without pages of their own (imported figures) are listed in the API, not here.
    return {"citing": [(c, i) for c, i in derived.cited_by(record_id) if COLLECTIONS[c].pages]}


def _search_minerals(mineral_ids: list[str], dataset: Dataset) -> list[tuple[str, str]]:
    return [("mineral", dataset.minerals[m].name) for m in mineral_ids]


def mineral_search(record_id: str, mineral: Mineral, _dataset: Dataset, _derived: Derived) -> SearchEntry:
    return SearchEntry(f"{mineral.name} (mineral)", (("collection", "Minerals"), ("mineral", mineral.name)))


def policy_search(record_id: str, policy: Policy, dataset: Dataset, derived: Derived) -> SearchEntry:
    kind = formatting.words(policy.instrument.value).lower()
    # The statuses on the build date, from the status engine, as the badges say them: the measure's, then its
    # clauses' where they differ ("Partly suspended", then "Suspended").
    listed = measure(record_id, dataset, derived)
    statuses = [PARTLY_SUSPENDED if listed.partly else listed.status.status.label]
    statuses += [status.status.label for _, status in listed.clauses]
    return SearchEntry(
        f"{policy.document_number} ({kind})",
        (
            ("collection", "Policies"),
            *_search_minerals(policy.minerals, dataset),
            ("jurisdiction", country_name(policy.jurisdiction)),
            *(("status", s) for s in dict.fromkeys(statuses)),
        ),
    )


def project_search(record_id: str, project: Project, dataset: Dataset, _derived: Derived) -> SearchEntry:
    return SearchEntry(
        f"{project.name} (project)",
        (
            ("collection", "Projects"),
            *_search_minerals(project.minerals, dataset),
            ("jurisdiction", country_name(project.location.country)),
        ),
    )


def event_search(record_id: str, event: Event, dataset: Dataset, _derived: Derived) -> SearchEntry:
    where = (("jurisdiction", country_name(event.country)),) if event.country else ()
    return SearchEntry(
        f"{event.title} (event)", (("collection", "Events"), *_search_minerals(event.minerals, dataset), *where)
    )


def search_entry(
    collection: str, record_id: str, record: Record, dataset: Dataset, derived: Derived
) -> SearchEntry | None:
    """Return how a record's page appears in search, or None to keep it out."""
    entry = COLLECTIONS[collection].search
    return entry(record_id, record, dataset, derived) if entry else None


def referred_by(collection: str, record_id: str, derived: Derived) -> list[tuple[str, list[tuple[str, str]]]]:
    """The records naming a record, by collection, for the collections that are listed on the pages they name."""
    found = []
    for other in COLLECTIONS.values():
        if other.listed_on_referred_pages and other.pages:
            naming = derived.references.referring(collection, record_id, other.name)
            if naming:
                found.append((other.listed_on_referred_pages, naming))
    return found


def clock_notices(collection: str, record_id: str, derived: Derived) -> list[tuple[str, str]]:
    """Return the notices a record's page gives of its clocks, as (heading, sentence), in the clocks' words."""
    notices = []
    if (stale := derived.knowledge_stale.get((collection, record_id))) is not None:
        notices.append((clocks.KNOWLEDGE_STALE_TITLE, clocks.knowledge_stale_sentence(stale, derived.today)))
    if (due := derived.review_due.get((collection, record_id))) is not None:
        notices.append((clocks.REVIEW_DUE_TITLE, clocks.review_due_sentence(due, derived.today)))
    return notices


def record_context(
    collection: str, record_id: str, record: Record, dataset: Dataset, derived: Derived, site_url: str | None = None
) -> dict[str, Any]:
    """Return everything a record's page shows."""
    page = urls.page(collection, record_id)
    context: dict[str, Any] = dict(
        RecordContext(
            id=record_id,
            record=record,
            source_file=Md(f"data/{collection}/{record_id}.yaml"),
            clock_notices=clock_notices(collection, record_id, derived),
            research_cutoff=record.research_cutoff if isinstance(record, Researched) else None,
            cite_as=page_citation(
                f"atlas-{collection}-{record_id}",
                display_name(record),
                site_url + urls.url_of(page) if site_url else None,
                derived.today,
                record.last_verified,
            ),
            search=search_entry(collection, record_id, record, dataset, derived),
            referred_by=referred_by(collection, record_id, derived),
        )
    )
    extra = COLLECTIONS[collection].context
    if extra is not None:
        context.update(extra(record_id, record, dataset, derived, page))
    return context


def measure_rows(dataset: Dataset, derived: Derived) -> list[Measure]:
    return measures(list(dataset.policies), dataset, derived)


def mineral_rows(dataset: Dataset, derived: Derived) -> list[MineralRow]:
    rows = []
    for mineral_id, mineral in dataset.minerals.items():
        listed = measures(derived.measures_of(mineral_id), dataset, derived)
        rows.append(
            MineralRow(
                id=mineral_id,
                mineral=mineral,
                measures=len(listed),
                active=sum(1 for m in listed if m.status.status.active),
                projects=len(derived.projects_of(mineral_id)),
                table=headline(derived.concentrations.get(mineral_id, [])),
            )
        )
    return rows


def event_rows(dataset: Dataset, _derived: Derived) -> list[tuple[str, Event]]:
    """Events newest first, as on the timeline; events of one day in id order."""
    by_id = sorted(dataset.events.items())
    return sorted(by_id, key=lambda item: item[1].date, reverse=True)


def index_rows(collection: str, dataset: Dataset, derived: Derived) -> list[Any]:
    """Return the rows of a collection's index: in id order, or as its collection lists them."""
    rows = COLLECTIONS[collection].index_rows
    return rows(dataset, derived) if rows else list(dataset.get(collection).items())


class CountryContext(TypedDict):
    code: str
    name: str
    facts: CountryFacts
    imposes: list[Measure]
    targeted_by: list[Measure]
    projects: list[tuple[str, Project]]
    search: SearchEntry


def country_context(code: str, dataset: Dataset, derived: Derived) -> CountryContext:
    facts = derived.countries[code]
    name = country_name(code)
    return {
        "code": code,
        "name": name,
        "search": SearchEntry(f"{name} (country)", (("collection", "Countries"), ("jurisdiction", name))),
        "facts": facts,
        "imposes": measures(facts.imposes, dataset, derived),
        "targeted_by": measures(facts.targeted_by, dataset, derived),
        "projects": [(p, dataset.projects[p]) for p in facts.projects],
    }


def home(dataset: Dataset, derived: Derived, intro: Md) -> HomeContext:
    latest: list[TimelineEntry] = []
    for entry in derived.timeline:
        if derived.is_past(entry):
            latest.append(entry)
            if len(latest) == LATEST_ON_HOME:
                break
    cutoffs = [
        r.research_cutoff for records in dataset.records.values() for r in records.values() if isinstance(r, Researched)
    ]
    return {
        "answer": derived.site_answer,
        # The site's research cut-off: the newest material any record was checked against.
        "research_cutoff": max(cutoffs, default=None),
        "intro": intro,
        "soon_days": derived.soon_days,
        "changing_soon": [
            (measure(p, dataset, derived), clause, derived.status_of(p, clause)) for p, clause in derived.changing_soon
        ],
        "latest": latest,
        "sections": [(s.title, Md(urls.relative(urls.HOME_PAGE, s.path))) for s in navigation() if s.index],
    }


def timeline_rows(derived: Derived) -> list[tuple[TimelineEntry, bool]]:
    """Every timeline entry, newest first, with whether it is still to come."""
    return [(entry, not derived.is_past(entry)) for entry in derived.timeline]


def data_page(dataset: Dataset) -> DataContext:
    minerals = dataset.minerals
    named = list(minerals.items())[:FEEDS_LISTED]
    measures_named = list(dataset.policies.items())[:FEEDS_LISTED]
    return {
        "search": SearchEntry("Data and API (guide)", (("collection", "Guides"),)),
        "feeds": [(m, mineral.name) for m, mineral in named],
        "other_feeds": len(minerals) - len(named),
        "calendars": [(p, display_name(policy)) for p, policy in measures_named],
        "other_calendars": len(dataset.policies) - len(measures_named),
        "tables": [(c.name, Md(", ".join(name for name, _ in c.csv_columns))) for c in COLLECTIONS.values()],
        "api_indexes": [
            (c.name, Md(urls.relative(urls.DATA_PAGE, urls.api_index(c.name)))) for c in COLLECTIONS.values()
        ],
    }


# The longest page description; link previews cut longer ones anyway.
DESCRIPTION_LENGTH = 200
# What the pages that are not records are about, by template (a paged index says which page it is).
PAGE_DESCRIPTIONS = {
    "countries_index.md.j2": "Every country the atlas names, with the minerals it produces, the measures it "
    "imposes or that target it, and its projects.",
    "timeline.md.j2": "Every dated happening the atlas records, newest first: measures announced, taking effect, "
    "suspended or ending, project milestones and events.",
    "data.md.j2": "The atlas as data: JSON API, CSV downloads, Atom feeds and calendars, with their licence.",
}


def short_description(text: str) -> str:
    """Return text without citations, on one line, cut at a word to at most DESCRIPTION_LENGTH characters."""
    flat = " ".join(without_citations(text).split())
    if len(flat) <= DESCRIPTION_LENGTH:
        return flat
    cut = flat[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def record_description(record: Record) -> str:
    """What a record's page is about, for search results and link previews: its summary, or its name."""
    summary = getattr(record, "summary", None)
    if isinstance(summary, str) and summary.strip():
        return short_description(summary)
    if isinstance(record, Source):
        published = f", {formatting.date_long(record.published)}" if record.published else ""
        return short_description(f"{record.title}: {record.publisher}{published}. A source cited in the atlas.")
    return short_description(display_name(record))


def country_description(code: str) -> str:
    name = country_name(code)
    return f"{name}: the critical minerals it produces, the measures it imposes or that target it, and its projects."
