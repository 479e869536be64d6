"""The iCalendar files (icalendar): changes of status, past and upcoming, and dated events, as all-day events.

One calendar for the whole site and one per measure; each event links to the page it comes from.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from ..core import urls
from ..core.config import SITE_NAME
from ..core.files import OutputFile
from ..core.models import Event, Policy
from ..records import wording
from ..records.dataset import Dataset, Derived
from ..records.registry import display_name
from ..records.status import ONE_DAY
from . import changes as words
from .changes import StatusChange
from .feeds import midnight

UID_DOMAIN = "critical-minerals-atlas"
# The calendar is for what is coming; it keeps two years of the past for context.
CALENDAR_PAST_DAYS = 730


def calendar_file(dataset: Dataset, derived: Derived, changes: list[StatusChange], site_url: str | None) -> OutputFile:
    """Return feeds/calendar.ics: every measure's changes of status and every event, from two years back."""
    since = derived.today - dt.timedelta(days=CALENDAR_PAST_DAYS)
    items = _items(dataset, derived, changes, dataset.events, site_url, since)
    return OutputFile(
        urls.CALENDAR,
        _calendar(
            SITE_NAME,
            "When export controls and other measures on critical minerals take effect, are suspended, or end.",
            items,
        ),
        "the calendar",
    )


def measure_calendar_files(
    dataset: Dataset, derived: Derived, changes: list[StatusChange], site_url: str | None
) -> list[OutputFile]:
    """Return feeds/policies/<id>.ics for each measure: its whole life, and the events that name it."""
    by_policy: dict[str, list[StatusChange]] = {}
    for change in changes:
        by_policy.setdefault(change.policy_id, []).append(change)
    events_of: dict[str, dict[str, Event]] = {}
    for event_id, event in dataset.events.items():
        for policy_id in event.policies:
            events_of.setdefault(policy_id, {})[event_id] = event
    files = []
    for policy_id, policy in dataset.policies.items():
        items = _items(dataset, derived, by_policy.get(policy_id, []), events_of.get(policy_id, {}), site_url, None)
        name = display_name(policy)
        files.append(
            OutputFile(
                urls.policy_calendar(policy_id),
                _calendar(f"{SITE_NAME}: {name}", f"When {name} takes effect, is suspended, or ends.", items),
                "the calendar",
            )
        )
    return files


Item = tuple[dt.date, str, icalendar.Event]


def _items(
    dataset: Dataset,
    derived: Derived,
    changes: list[StatusChange],
    events: dict[str, Event],
    site_url: str | None,
    since: dt.date | None,
) -> list[Item]:
    """The calendar events of some changes of status and recorded events ending on or after `since`."""
    stamp = midnight(derived.today)
    items: list[Item] = []
    for change in changes:
        day, summary, description = words.calendar_words(change, dataset)
        if since and day < since:
            continue
        page = urls.page_url(Policy.collection, change.policy_id)
        event = _all_day_event(change.key, stamp, day, day, summary, description, page, site_url)
        # The status the change leads to, for calendar apps that filter by category.
        event.add("categories", wording.calendar_categories(change.change.after))
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(days=-1))
        event.add_component(alarm)
        items.append((day, change.key, event))
    for event_id, record in events.items():
        if since and (record.end_date or record.date) < since:
            continue
        key = f"events/{event_id}"
        page = urls.page_url(Event.collection, event_id)
        event = _all_day_event(
            key, stamp, record.date, record.end_date or record.date, record.title, record.summary, page, site_url
        )
        if record.location:
            event.add("location", record.location)
        items.append((record.date, key, event))
    return items


def _calendar(name: str, description: str, items: list[Item]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{SITE_NAME}//Calendar of measures//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Written as they are, not as text values: a line break in a measure's name would break the file.
    calendar.add("x-wr-calname", " ".join(name.split()))
    calendar.add("x-wr-caldesc", " ".join(description.split()))
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    for _day, _key, event in sorted(items, key=lambda i: (i[0], i[1])):
        calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content


def _all_day_event(
    key: str,
    stamp: dt.datetime,
    first: dt.date,
    last: dt.date,
    summary: str,
    description: str,
    page: str,
    site_url: str | None,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{key}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("dtend", last + ONE_DAY)  # DTEND of an all-day event is the day after the last
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    # URL must be an absolute address (RFC 5545), so an event has none while the site's address is not known.
    if site_url:
        event.add("url", site_url + page)
    return event
