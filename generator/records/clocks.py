"""A record's two clocks, and their words: when a person should check it again, and when its facts may be out of date.

- *Due for review*: more than `review_interval_days` since `last_verified`, the day a person last
  checked the record against its sources. The fix is a check: an editor's edit of `last_verified`.
- *May be out of date*: more than `review_interval_days` since `research_cutoff`, the date of the
  newest material the facts were checked against. A recent check against old material leaves the
  knowledge old; the fix is newer material. Records that are not facts about the world (sources)
  have no research cut-off and never go out of date.

Pages, the API and `atlas validate` ask these two functions and say what they say in these words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.formatting import date_long
from ..core.models import Record, Researched

REVIEW_DUE = "due for review"
KNOWLEDGE_STALE = "may be out of date"
# The headings of the notices on a record's page.
REVIEW_DUE_TITLE = f"This record is {REVIEW_DUE}"
KNOWLEDGE_STALE_TITLE = f"This record {KNOWLEDGE_STALE}"


@dataclass(frozen=True)
class Overdue:
    """A clock that has run past its interval on the as-of day."""

    since: dt.date  # the date the clock counts from: last_verified or research_cutoff
    age: int  # days from `since` to the as-of day
    interval: int  # the record's review_interval_days


def review_due(record: Record, today: dt.date) -> Overdue | None:
    """Return how long ago a person last checked `record`, if longer than its review interval; else None."""
    return _overdue(record.last_verified, record.review_interval_days, today)


def knowledge_stale(record: Record, today: dt.date) -> Overdue | None:
    """Return the age of the newest material behind `record`'s facts, if older than its review interval; else None."""
    if not isinstance(record, Researched):
        return None
    return _overdue(record.research_cutoff, record.review_interval_days, today)


def _overdue(since: dt.date, interval: int, today: dt.date) -> Overdue | None:
    age = (today - since).days
    return Overdue(since, age, interval) if age > interval else None


# What each clock says, on a record's page and in a warning of `atlas validate`.


def review_due_sentence(overdue: Overdue, today: dt.date) -> str:
    """What a page says of a record due for review."""
    since, before = date_long(overdue.since), date_long(today)
    return f"It was last checked on {since}, more than {overdue.interval} days before {before}."


def review_due_warning(overdue: Overdue) -> str:
    """What `atlas validate` says of a record due for review, with the fix."""
    return (
        f"{REVIEW_DUE}: not verified for {overdue.age} days (review interval {overdue.interval}); "
        "check the facts against the sources and update last_verified"
    )


def knowledge_stale_sentence(overdue: Overdue, today: dt.date) -> str:
    """What a page says of a record whose facts may be out of date."""
    return (
        f"Its facts were checked against material up to {date_long(overdue.since)}, more than {overdue.interval} days "
        f"before {date_long(today)}. What changed since then is not known here."
    )


def knowledge_stale_warning(overdue: Overdue) -> str:
    """What `atlas validate` says of a record whose facts may be out of date, with the fix."""
    return (
        f"{KNOWLEDGE_STALE}: research cut-off {overdue.age} days ago (review interval {overdue.interval}); "
        "check the facts against newer material and update research_cutoff"
    )
