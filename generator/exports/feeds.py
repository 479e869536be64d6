"""Atom feeds (feedgen): the whole site's, and one per record of the collections that have their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from .. import urls
from ..citations import without_citations
from ..config import SITE_NAME
from ..dataset import Dataset, Derived
from ..files import OutputFile
from ..formatting import date_long
from ..registry import COLLECTIONS, display_name
from . import changes as words
from .changes import StatusChange

# RFC 4151 tag URIs: stable ids that claim no web address.
TAG_PREFIX = "tag:critical-minerals-atlas,2025:"
# The newest entries per feed; a feed reader needs recent changes, the JSON API holds everything.
FEED_LENGTH = 100


@dataclass(frozen=True)
class FeedEntry:
    """One Atom entry: a record newly checked, or a change of status."""

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
    """Return feeds/atom.xml for the whole site and feeds/<id>.xml for each record that has a feed of its own."""
    entries = _entries(dataset, derived, changes)
    by_mineral: dict[str, list[FeedEntry]] = {}
    for entry in entries:
        for mineral_id in entry.minerals:
            by_mineral.setdefault(mineral_id, []).append(entry)
    files = [_feed(urls.SITE_FEED, SITE_NAME, entries[:FEED_LENGTH], derived, site_url)]
    for collection in COLLECTIONS.values():
        if collection.feed_per_record:
            for record_id, record in dataset.get(collection.name).items():
                own = by_mineral.get(record_id, [])[:FEED_LENGTH]
                files.append(_feed(record_id, f"{SITE_NAME}: {display_name(record)}", own, derived, site_url))
    return files


def _entries(dataset: Dataset, derived: Derived, changes: list[StatusChange]) -> list[FeedEntry]:
    """Return the entries up to the as-of date, newest first."""
    entries: list[FeedEntry] = []
    for collection in COLLECTIONS.values():
        if not collection.in_feeds:
            continue
        for record_id, record in dataset.get(collection.name).items():
            entries.append(
                FeedEntry(
                    day=record.last_verified,
                    key=f"{collection.name}/{record_id}",
                    title=f"{words.capitalized(collection.singular)}: {display_name(record)}",
                    summary=f"Last verified against its sources on {date_long(record.last_verified)}. "
                    f"{without_citations(getattr(record, 'summary', ''))}".strip(),
                    page=urls.page_url(collection.name, record_id),
                    category=collection.name,
                    minerals=frozenset(collection.minerals_of(record_id, record)),
                )
            )
    for change in changes:
        title, summary = words.headline(change, dataset)
        entries.append(
            FeedEntry(
                day=change.day,
                key=change.key,
                title=title,
                summary=summary,
                page=urls.page_url("policies", change.policy_id),
                category="status",
                minerals=frozenset(words.minerals_of(change, dataset)),
            )
        )
    past = sorted((e for e in entries if e.day <= derived.today), key=lambda e: e.key)
    return sorted(past, key=lambda e: e.day, reverse=True)


def href(page: str, site_url: str | None) -> str:
    """Return a link to a page, from the feeds/ folder when the site's address is not known."""
    return site_url + page if site_url else "../" + page


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _feed(name: str, title: str, entries: list[FeedEntry], derived: Derived, site_url: str | None) -> OutputFile:
    feed = FeedGenerator()
    feed.id(f"{TAG_PREFIX}feeds/{name}")
    feed.title(title)
    feed.subtitle("Changes of status of export controls and other measures, and records checked against their sources.")
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
