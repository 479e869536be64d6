"""The iCalendar file (icalendar): changes of status, past and upcoming, and dated events, as all-day events."""

from __future__ import annotations

import datetime as dt

import icalendar

from .. import urls
from ..config import SITE_NAME
from ..dataset import Dataset, Derived
from ..files import OutputFile
from ..status import ONE_DAY, Basis
from . import changes as words
from .changes import StatusChange
from .feeds import midnight

UID_DOMAIN = "critical-minerals-atlas"
# The calendar is for what is coming; it keeps two years of the past for context.
CALENDAR_PAST_DAYS = 730


def calendar_file(dataset: Dataset, derived: Derived, changes: list[StatusChange], site_url: str | None) -> OutputFile:
    """Return feeds/calendar.ics."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{SITE_NAME}//Calendar of measures//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", SITE_NAME)
    calendar.add(
        "x-wr-caldesc",
        "When export controls and other measures on critical minerals take effect, are suspended, or end.",
    )
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    stamp = midnight(derived.today)
    since = derived.today - dt.timedelta(days=CALENDAR_PAST_DAYS)
    items: list[tuple[dt.date, str, icalendar.Event]] = []
    for change in changes:
        day, summary, description = words.calendar_words(change, dataset)
        if day < since:
            continue
        page = urls.page_url("policies", change.policy_id)
        event = _all_day_event(change.key, stamp, day, day, summary, description, page, site_url)
        # The status the change leads to, for calendar apps that filter by category.
        after = change.change.after
        event.add("categories", [after.status.label] + (["Scheduled"] if after.basis is Basis.scheduled else []))
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(days=-1))
        event.add_component(alarm)
        items.append((day, change.key, event))
    for event_id, record in dataset.events.items():
        if (record.end_date or record.date) < since:
            continue
        key = f"events/{event_id}"
        page = urls.page_url("events", event_id)
        event = _all_day_event(
            key, stamp, record.date, record.end_date or record.date, record.title, record.summary, page, site_url
        )
        if record.location:
            event.add("location", record.location)
        items.append((record.date, key, event))
    for _day, _key, event in sorted(items, key=lambda i: (i[0], i[1])):
        calendar.add_component(event)
    return OutputFile(urls.CALENDAR, calendar.to_ical(), "the calendar")


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
    if site_url:
        event.add("url", site_url + page)
    return event
