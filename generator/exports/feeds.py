"""Atom feeds (feedgen): the site's changes, one per record of the collections that have their own, and reviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from ..core import urls
from ..core.citations import without_citations
from ..core.config import SITE_NAME
from ..core.files import OutputFile
from ..core.formatting import date_long
from ..core.models import Event, FigureSet, Mineral, PartialDate, Policy
from ..records.dataset import Dataset, Derived
from ..records.registry import COLLECTIONS, display_name
from . import changes as words
from .changes import StatusChange

# RFC 4151 tag URIs: stable ids that claim no web address.
TAG_PREFIX = "tag:critical-minerals-atlas,2025:"
# The newest entries per feed; a feed reader needs recent changes, the JSON API holds everything.
FEED_LENGTH = 100


@dataclass(frozen=True)
class FeedEntry:
    """One Atom entry: a change (of status, a measure announced, an event, a corrected figure) or a record checked."""

    day: dt.date
    key: str  # the tag URI after TAG_PREFIX
    title: str
    summary: str
    page: str
    category: str
    minerals: frozenset[str]


def feed_files(
    dataset: Dataset, derived: Derived, changes: list[StatusChange], site_url: str | None
) -> list[OutputFile]:
    """Return the changes feeds (feeds/atom.xml and feeds/<id>.xml for each record with a feed) and feeds/reviews.xml.

    A record checked again against its sources (a new `last_verified`) changes no fact, so it is
    listed in the reviews feed only, never among the changes.
    """
    entries = _past(_change_entries(dataset, changes), derived)
    by_mineral: dict[str, list[FeedEntry]] = {}
    for entry in entries:
        for mineral_id in entry.minerals:
            by_mineral.setdefault(mineral_id, []).append(entry)
    files = [
        _feed(urls.SITE_FEED, f"{SITE_NAME}: changes", CHANGES_SUBTITLE, entries[:FEED_LENGTH], derived, site_url),
        _feed(
            urls.REVIEWS_FEED,
            f"{SITE_NAME}: records checked",
            REVIEWS_SUBTITLE,
            _past(_review_entries(dataset), derived)[:FEED_LENGTH],
            derived,
            site_url,
        ),
    ]
    for collection in COLLECTIONS.values():
        if collection.feed_per_record:
            for record_id, record in dataset.get(collection.name).items():
                own = by_mineral.get(record_id, [])[:FEED_LENGTH]
                title = f"{SITE_NAME}: changes to {display_name(record)}"
                files.append(_feed(record_id, title, CHANGES_SUBTITLE, own, derived, site_url))
    return files


CHANGES_SUBTITLE = (
    "Changes of status of export controls and other measures (confirmed by a source, or scheduled by their terms), "
    "measures announced, events, and corrected figures."
)
REVIEWS_SUBTITLE = "Records checked again against their sources, by the day they were checked."


def _change_entries(dataset: Dataset, changes: list[StatusChange]) -> list[FeedEntry]:
    """Every change: of status, a measure announced before it takes effect, an event, a corrected figure."""
    entries: list[FeedEntry] = []
    for change in changes:
        title, summary = words.feed_words(change, dataset)
        entries.append(
            FeedEntry(
                day=change.day,
                key=change.key,
                title=title,
                summary=summary,
                page=urls.page_url(Policy.collection, change.policy_id),
                category="status",
                minerals=frozenset(words.minerals_of(change, dataset)),
            )
        )
    for policy_id, policy in dataset.policies.items():
        # A measure in force from its announcement (no later date) is listed once, by its change of status.
        if policy.dates.effective is not None and policy.dates.effective > policy.dates.announced:
            title, summary = words.announcement_words(policy_id, dataset)
            entries.append(
                FeedEntry(
                    day=policy.dates.announced,
                    key=f"policies/{policy_id}/announced",
                    title=title,
                    summary=summary,
                    page=urls.page_url(Policy.collection, policy_id),
                    category="announced",
                    minerals=frozenset(policy.covered_minerals()),
                )
            )
    for event_id, event in dataset.events.items():
        title, summary = words.event_words(event)
        entries.append(
            FeedEntry(
                day=event.date,
                key=f"events/{event_id}/date/{event.date.isoformat()}",
                title=title,
                summary=summary,
                page=urls.page_url(Event.collection, event_id),
                category="event",
                minerals=frozenset(event.minerals),
            )
        )
    entries += _correction_entries(dataset)
    return entries


def _correction_entries(dataset: Dataset) -> list[FeedEntry]:
    """Figures of an imported release corrected since, dated by the correction's source (else the import)."""
    shown_on: dict[str, list[str]] = {}
    for mineral_id, mineral in dataset.minerals.items():
        for set_id in mineral.figures:
            shown_on.setdefault(set_id, []).append(mineral_id)
    entries: list[FeedEntry] = []
    for set_id, figures in dataset.figure_sets.items():
        minerals = shown_on.get(set_id, [])
        page = (
            urls.page_url(Mineral.collection, minerals[0])
            if minerals
            else urls.api_document(FigureSet.collection, set_id)
        )
        for section in figures.sections:
            for figure in section.figures:
                if figure.corrected is None:
                    continue
                published = dataset.sources[figure.corrected.source].published
                day = PartialDate(published).first_day if published else figures.last_verified
                title, summary = words.correction_words(figures, figure, figure.corrected, day)
                entries.append(
                    FeedEntry(
                        day=day,
                        key=f"observations/{set_id}/line/{figure.line}/corrected",
                        title=title,
                        summary=summary,
                        page=page,
                        category="correction",
                        minerals=frozenset(minerals),
                    )
                )
    return entries


def _review_entries(dataset: Dataset) -> list[FeedEntry]:
    """Every record of the collections in the feeds, dated by its last check against its sources."""
    entries: list[FeedEntry] = []
    for collection in COLLECTIONS.values():
        if not collection.in_feeds:
            continue
        for record_id, record in dataset.get(collection.name).items():
            entries.append(
                FeedEntry(
                    day=record.last_verified,
                    key=f"{collection.name}/{record_id}",
                    title=f"{words.capitalized(collection.singular)} {display_name(record)}: checked against its "
                    f"sources — {date_long(record.last_verified)}",
                    summary=f"Last verified against its sources on {date_long(record.last_verified)}. "
                    f"{without_citations(getattr(record, 'summary', ''))}".strip(),
                    page=urls.page_url(collection.name, record_id),
                    category="checked",
                    minerals=frozenset(collection.minerals_of(record_id, record)),
                )
            )
    return entries


def _past(entries: list[FeedEntry], derived: Derived) -> list[FeedEntry]:
    """The entries up to the as-of date, newest first."""
    past = sorted((e for e in entries if e.day <= derived.today), key=lambda e: e.key)
    return sorted(past, key=lambda e: e.day, reverse=True)


def href(page: str, site_url: str | None) -> str:
    """Return a link to a page, from the feeds/ folder when the site's address is not known."""
    return site_url + page if site_url else "../" + page


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _feed(
    name: str, title: str, subtitle: str, entries: list[FeedEntry], derived: Derived, site_url: str | None
) -> OutputFile:
    feed = FeedGenerator()
    feed.id(f"{TAG_PREFIX}feeds/{name}")
    feed.title(title)
    feed.subtitle(subtitle)
    feed.author(name=SITE_NAME)
    # Replace feedgen's own name, address and version, which would change the file when feedgen does.
    feed.generator(SITE_NAME)
    feed.language("en")
    feed.link(href=href("", site_url), rel="alternate", type="text/html")
    path = urls.feed(name)
    feed.link(
        href=f"{site_url}{path}" if site_url else path.removeprefix(f"{urls.FEEDS}/"),
        rel="self",
        type="application/atom+xml",
    )
    # The newest entry dates the feed; never the clock.
    feed.updated(midnight(max((e.day for e in entries), default=derived.today)))
    for entry in entries:
        item = feed.add_entry(order="append")
        item.id(TAG_PREFIX + entry.key)
        item.title(entry.title)
        item.updated(midnight(entry.day))
        item.link(href=href(entry.page, site_url), rel="alternate")
        item.category(term=entry.category)
        item.summary(entry.summary)
    content: bytes = feed.atom_str(pretty=True)
    return OutputFile(path, content, "the Atom feeds")
