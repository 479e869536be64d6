"""Dates and quantities in words, the same on pages, in feeds and in the calendar."""

from __future__ import annotations

import datetime as dt

from .models import PartialDate

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_long(value: dt.date | str | None) -> str:
    """Format a date as '27 Nov 2026', or 'Nov 2026' / '2026' when only that is known."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    year, month, day = PartialDate(value).sort_key
    if day:
        return date_long(dt.date(year, month, day))
    return f"{MONTHS[month - 1]} {year}" if month else str(year)


def number(value: float | None) -> str:
    """Format a quantity with thousands separators and no needless decimals."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def money(value: float, currency: str, scale: str, up_to: bool = False) -> str:
    """A sum as its source gives it, never converted: 'up to USD 2.26 billion', 'EUR 250 million'."""
    size = "" if scale == "units" else f" {scale}"
    return f"{'up to ' if up_to else ''}{currency} {number(value)}{size}"


# Words for enum values that do not read right with their hyphens made spaces.
_WORDS = {"end-user-ban": "End-user ban"}


def words(value: str) -> str:
    """Turn an enum value such as 'export-licensing' into words: 'Export licensing'."""
    return _WORDS.get(value, value.replace("-", " ").capitalize())
