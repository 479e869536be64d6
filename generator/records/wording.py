"""Status in words: every status and level of evidence, declared once with its phase and its words in each context.

A status is one row of `STATUSES` below: its value (as the API and CSV files carry it and as the badge's CSS
class names it), its phase (what stretch of a measure's life it is, which sets the shape of every sentence),
and one phrase per context. A level of evidence (`Basis`) is one row of `BASES`. Badges, answers, the changes
feed, the calendar, the CSV files, the API, search filters, `atlas status` and charts all phrase a status
through this module, so a status added here is phrased in every output and no output can meet a status it
has no words for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, Protocol, Self, assert_never

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from ..core.formatting import date_long

_ONE_DAY = dt.timedelta(days=1)


class Phase(Enum):
    """The stretch of a measure's life a status is: it sets how every sentence about the status is built."""

    before = "before"  # not yet announced
    pending = "pending"  # announced, not yet in effect
    active = "active"  # acting on trade: in force, current, awarded
    paused = "paused"  # another measure suspends it for a time
    ended = "ended"  # its own terms have run out: expired, closed
    replaced = "replaced"  # another measure supersedes it
    withdrawn = "withdrawn"  # revoked

    @property
    def acting(self) -> bool:
        """Whether a measure in this phase acts on trade today (suspended counts: the suspension ends)."""
        return self in (Phase.active, Phase.paused)


@dataclass(frozen=True)
class StatusWords:
    """A status's phrase in each context, each as it reads in place (see `STATUSES` for examples)."""

    label: str  # badge, CSV and API `label`, search filter value, calendar category, `atlas status`
    sentence: str  # answers, after the measure's name: "is in force", "is suspended", "expired"
    change: str  # feed titles and calendar summaries, the change into this status: "takes effect", "expires"
    run: str  # the stretch as a noun, when it ends: "Suspension of clause 2 ends"
    colour: str  # the charts' fill for a span in this status


@dataclass(frozen=True)
class BasisWords:
    """A level of evidence's phrase in each context."""

    label: str  # feed titles, badges and `atlas status`: "(scheduled, not confirmed)"
    mark: str  # after a span in the charts and the timeline table, after a feed headline: " (scheduled)"
    pale: bool  # whether the charts draw a span of this basis pale
    badge_class: str  # the badge's CSS modifier class, "" for none
    categories: tuple[str, ...]  # the calendar's categories beside the status's label
    meaning: str  # the API schema's description of the value
    sourced: bool  # whether a source dated within the status confirms it
    # An answer's words on how the status is known, after the status: a format with {where} (" under the terms
    # of X", or ""), {checked} (the newest day that says so), {unconfirmed} ("after 8 Oct 2026" or "dated on or
    # after 11 Nov 2026") and {reported} (what reports say instead, where the basis has such a report).
    reads: str = ""


class _Vocabulary(str):
    """A value of a closed vocabulary that a declaration can extend: a string, so the API and CSV carry it as is.

    Every value is declared once with its words, and is the one object of its value (compare with `is`).
    """

    _declared: ClassVar[dict[str, Any]]

    def __init_subclass__(cls) -> None:
        cls._declared = {}

    @classmethod
    def _declare(cls, value: str) -> Self:
        if value in cls._declared:
            raise ValueError(f"{cls.__name__} '{value}' is declared twice")
        member = str.__new__(cls, value)
        cls._declared[value] = member
        return member

    @classmethod
    def of(cls, value: str) -> Self:
        """Return the declared value `value`; KeyError names an undeclared one."""
        member: Self = cls._declared[value]
        return member

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}.of({self.value!r})"

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: object) -> Self:
        return self

    def __reduce__(self) -> tuple[Callable[[str], Self], tuple[str]]:
        return (type(self).of, (self.value,))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validated,
            ref=cls.__name__,
            serialization=core_schema.plain_serializer_function_ser_schema(
                str.__str__, return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The same as pydantic gives an Enum, with the values declared when the schema is written.
        found: JsonSchemaValue = {"enum": list(cls._declared), "title": cls.__name__, "type": "string"}
        if cls.__doc__ and cls.__doc__ != _Vocabulary.__doc__:
            found["description"] = cls.__doc__
        return found

    @classmethod
    def _validated(cls, value: object) -> Self:
        if isinstance(value, cls):
            return value
        if isinstance(value, str) and value in cls._declared:
            return cls.of(value)
        raise ValueError(f"unknown {cls.__name__.lower()} '{value}' (expected one of {', '.join(cls._declared)})")


# A measure's status on a day: one of `STATUSES`. No docstring: the API schema describes it by its values alone.
class Status(_Vocabulary):
    phase: Phase
    words: StatusWords

    not_announced: ClassVar[Status]
    not_yet: ClassVar[Status]
    in_force: ClassVar[Status]
    suspended: ClassVar[Status]
    expired: ClassVar[Status]
    revoked: ClassVar[Status]
    current: ClassVar[Status]
    superseded: ClassVar[Status]
    announced: ClassVar[Status]
    awarded: ClassVar[Status]
    conditional: ClassVar[Status]
    closed: ClassVar[Status]
    binding: ClassVar[Status]
    disbursed: ClassVar[Status]
    cancelled: ClassVar[Status]
    non_binding: ClassVar[Status]

    @classmethod
    def declare(cls, value: str, phase: Phase, words: StatusWords) -> Status:
        """Add a status, in its phase and with its words: every output phrases it from then on."""
        status = cls._declare(value)
        status.phase = phase
        status.words = words
        return status

    @classmethod
    def every(cls) -> Iterator[Status]:
        """Every declared status, in the order declared."""
        return iter(cls._declared.values())

    @property
    def label(self) -> str:
        return self.words.label

    @property
    def active(self) -> bool:
        """Whether a measure in this status acts on trade today (in force, suspended for now, current, awarded)."""
        return self.phase.acting


class Basis(_Vocabulary):
    """Whether a status is known from a source dated within it, or only follows from a measure's own terms."""

    words: BasisWords

    confirmed: ClassVar[Basis]
    reported: ClassVar[Basis]
    scheduled: ClassVar[Basis]
    unclear: ClassVar[Basis]

    @classmethod
    def declare(cls, value: str, words: BasisWords) -> Basis:
        """Add a level of evidence with its words."""
        basis = cls._declare(value)
        basis.words = words
        return basis

    @classmethod
    def every(cls) -> Iterator[Basis]:
        """Every declared level of evidence, in the order declared."""
        return iter(cls._declared.values())


# The statuses, in the order the API schema lists them: name in code: (value, phase, StatusWords(label, sentence,
# change, run, colour)). Colours: blue before a measure acts, green while it acts, amber while suspended, grey
# once over, brown when revoked.
_BLUE, _GREEN, _AMBER, _GREY = "#1e63b5", "#2e7d32", "#ef8f00", "#757575"
STATUSES: dict[str, tuple[str, Phase, StatusWords]] = {
    "not_announced": (
        "not-announced",
        Phase.before,
        StatusWords("Not yet announced", "was not yet announced", "announced", "time before announcement", "#b0bec5"),
    ),
    "not_yet": (
        "not-yet-in-force",
        Phase.pending,
        StatusWords(
            "Not yet in force", "is not yet in force; it", "is announced", "time before entry into force", _BLUE
        ),
    ),
    "in_force": (
        "in-force",
        Phase.active,
        StatusWords("In force", "is in force", "takes effect", "time in force", _GREEN),
    ),
    "suspended": (
        "suspended",
        Phase.paused,
        StatusWords("Suspended", "is suspended", "suspended", "suspension", _AMBER),
    ),
    "expired": ("expired", Phase.ended, StatusWords("Expired", "expired", "expires", "expiry", _GREY)),
    "revoked": ("revoked", Phase.withdrawn, StatusWords("Revoked", "was revoked", "revoked", "revocation", "#6d4c41")),
    # Lists
    "current": ("current", Phase.active, StatusWords("Current", "is current", "takes effect", "listing", _GREEN)),
    "superseded": (
        "superseded",
        Phase.replaced,
        StatusWords("Superseded", "was superseded", "superseded", "supersession", _GREY),
    ),
    # Funding awards and loans
    "announced": (
        "announced",
        Phase.pending,
        StatusWords("Announced", "is announced and", "is announced", "time before the award", _BLUE),
    ),
    "awarded": ("awarded", Phase.active, StatusWords("Awarded", "is awarded", "takes effect", "award", _GREEN)),
    "conditional": (
        "conditional",
        Phase.active,
        StatusWords(
            "Conditional", "is awarded on conditions not yet met", "takes effect", "conditional award", "#689f38"
        ),
    ),
    "closed": ("closed", Phase.ended, StatusWords("Closed", "closed", "closes", "closure", _GREY)),
    # Support measures, as their steps tell them
    "binding": (
        "binding",
        Phase.active,
        StatusWords("Binding", "is signed and binding", "becomes binding", "binding commitment", _GREEN),
    ),
    "disbursed": (
        "disbursed",
        Phase.active,
        StatusWords("Paying out", "has begun to pay out", "begins to pay out", "time paying out", _GREEN),
    ),
    "cancelled": (
        "cancelled",
        Phase.withdrawn,
        StatusWords("Cancelled", "was cancelled", "is cancelled", "cancellation", "#6d4c41"),
    ),
    # A framework, memorandum or letter of intent: signed, and never in force, since it binds no one.
    "non_binding": (
        "non-binding",
        Phase.pending,
        StatusWords(
            "Signed, not binding", "is signed but binds no one", "is signed", "time as a non-binding text", _BLUE
        ),
    ),
}
for _name, (_value, _phase, _words) in STATUSES.items():
    setattr(Status, _name, Status.declare(_value, _phase, _words))

BASES: dict[str, BasisWords] = {
    "confirmed": BasisWords(
        label="confirmed",
        mark="",
        pale=False,
        badge_class="",
        categories=(),
        meaning="an official text (or a faithful copy of one) dated within this status says so",
        sourced=True,
        reads=", as sources up to {checked} confirm",
    ),
    "reported": BasisWords(
        label="reported, not confirmed",
        mark=" (reported)",
        pale=True,
        badge_class="atlas-status--reported",
        categories=("Reported",),
        meaning="only secondary reporting dated within this status says so; no official notice of it was seen",
        sourced=False,
        reads="{where}; reported by secondary sources up to {checked}, but no official notice of it was seen",
    ),
    "scheduled": BasisWords(
        label="scheduled, not confirmed",
        mark=" (scheduled)",
        pale=True,
        badge_class="atlas-status--scheduled",
        categories=("Scheduled",),
        meaning="it follows from dates in a measure's own terms, and no source dated on or after its start confirms it",
        sourced=False,
        reads="{where}; not confirmed by any source {unconfirmed}",
    ),
    "unclear": BasisWords(
        label="unclear",
        mark=" (unclear)",
        pale=True,
        badge_class="atlas-status--unclear",
        categories=("Scheduled", "Reported", "Unclear"),
        meaning="the measures' own terms give this status but secondary reporting gives another (`reported`); "
        "no source confirms either",
        sourced=False,
        reads="{where}; not confirmed by any source {unconfirmed}. But secondary sources up to {checked} report "
        "that it {reported}, and no official notice of that was seen",
    ),
}
for _value, _basis_words in BASES.items():
    setattr(Basis, _value, Basis.declare(_value, _basis_words))

# A measure in force as a whole with some of its clauses suspended: said of the measure, never a status of its own.
PARTLY_SUSPENDED = "Partly suspended"
PARTLY_SUSPENDED_KEY = "partly-suspended"


def basis_meanings() -> str:
    """Each level of evidence with what it means, for the API schema."""
    return "; ".join(f"{basis.value}: {basis.words.meaning}" for basis in Basis.every()) + "."


class Dated(Protocol):
    """A status on a day with the dates that bound its run, as the status engine gives it (`StatusAt`)."""

    @property
    def status(self) -> Status: ...
    @property
    def since(self) -> dt.date | None: ...
    @property
    def until(self) -> dt.date | None: ...
    @property
    def by(self) -> str | None: ...
    @property
    def basis(self) -> Basis: ...
    @property
    def checked_through(self) -> dt.date | None: ...
    @property
    def reported_through(self) -> dt.date | None: ...
    @property
    def reported(self) -> Dated | None: ...


def _next_change(status: Dated) -> dt.date | None:
    return status.until + _ONE_DAY if status.until else None


# Badges and `atlas status`


def badge_phrase(status: Dated) -> str:
    """Say a status with the date that ends it ('Suspended until 27 Nov 2026'), and whether a source confirms it."""
    label, phase, next_change = status.status.label, status.status.phase, _next_change(status)
    if phase is Phase.before and next_change:
        phrase = f"{label} (announced {date_long(next_change)})"
    elif phase is Phase.pending and next_change:
        phrase = f"{label} (takes effect {date_long(next_change)})"
    elif phase.acting and status.until:
        phrase = f"{label} until {date_long(status.until)}"
    elif phase in (Phase.ended, Phase.replaced, Phase.withdrawn) and status.since:
        phrase = f"{label} since {date_long(status.since)}"
    else:
        phrase = label
    if status.reported is not None:
        if phase.acting and not status.until and status.since:
            phrase = f"{label} since {date_long(status.since)}"
        phrase += f" ({status.basis.words.label}: reported {_short(status.reported)}, not confirmed)"
    elif not status.basis.words.sourced and phase is not Phase.before:
        phrase += f" ({status.basis.words.label})"
    return phrase


def _short(status: Dated) -> str:
    """A reported status in a few words: 'suspended until 10 Jan 2027'."""
    words = status.status.label.lower()
    return f"{words} until {date_long(status.until)}" if status.until else words


def badge_classes(status: Dated) -> str:
    """The badge's CSS classes: its status's, and its evidence's where that is marked."""
    classes = ["atlas-status", f"atlas-status--{status.status.value}", status.basis.words.badge_class]
    return " ".join(c for c in classes if c)


def span_words(status: Status, basis: Basis) -> str:
    """A span of a chart or the timeline table in words: 'suspended (scheduled)'."""
    return status.label.lower() + basis.words.mark


def span_label(status: Status, basis: Basis) -> str:
    """A span in the timeline table: 'Suspended (scheduled)'."""
    return status.label + basis.words.mark


def described(status: Dated) -> str:
    """A status in words with its bounds and basis: 'Suspended 9 Nov 2025 – 27 Nov 2026 by X (scheduled, ...)'."""
    label = status.status.label
    since, until = status.since, status.until
    if since and until:
        words = f"{label} {date_long(since)} – {date_long(until)}"
    elif since:
        words = f"{label} since {date_long(since)}"
    elif until:
        words = f"{label} until {date_long(until)}"
    else:
        words = label
    if status.by:
        words += f" by {status.by}"
    if status.reported is not None:
        return words + f" ({status.basis.words.label}: reported {_short(status.reported)}, not confirmed)"
    if not status.basis.words.sourced:
        checked = f", up to {date_long(status.checked_through)}" if status.checked_through else ""
        return words + f" ({status.basis.words.label}{checked})"
    checked = f", checked through {date_long(status.checked_through)}" if status.checked_through else ""
    reported = f"; reported up to {date_long(status.reported_through)}" if status.reported_through else ""
    return words + f" ({status.basis.words.label}{checked}{reported})"


# Answers


def days_from(day: dt.date, today: dt.date) -> str:
    """'today', 'tomorrow', '2 days from now' or '3 days ago'."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"{delta} days from now" if delta > 0 else f"{-delta} days ago"


@dataclass(frozen=True)
class Sentence:
    """What a sentence about a status names beside the status: the measures by name, and the day it is said on."""

    today: dt.date
    cutoff: dt.date  # the measure's research cut-off
    terms: str  # the measure whose own terms date the status
    by: str | None = None  # the measure that suspends or supersedes
    resumed: bool = False  # the status began when another measure's action on it ended


def sentence(status: Dated, about: Sentence) -> str:
    """Say a measure or clause's status, after its name, with its dates, its cause and how it is known."""
    s, today, next_change = status.status, about.today, _next_change(status)
    phase = s.phase
    if phase is Phase.before:
        assert next_change is not None
        return f"{s.words.sentence} (it was announced on {date_long(next_change)})"
    if phase is Phase.pending:
        assert next_change is not None
        return f"{s.words.sentence} takes effect on {date_long(next_change)} ({days_from(next_change, today)})"
    if phase is Phase.paused:
        words = f"{s.words.sentence} by {about.by}"
        if status.until:
            words += f" until {date_long(status.until)} ({days_from(status.until, today)})"
        words += _basis(status, about)
        if status.until:
            again = date_long(status.until + _ONE_DAY)
            words += f"; under that measure's terms it applies again from {again} unless extended"
        return words
    if phase is Phase.active:
        words = s.words.sentence
        if status.since and about.resumed:
            words = f"{words} again from {date_long(status.since)}"
            if not status.basis.words.sourced:
                words += f" under the terms of {about.terms}"
        if status.until:
            words += f" until {date_long(status.until)} ({days_from(status.until, today)})"
        return words + _basis(status, about, said_terms=about.resumed)
    if phase is Phase.ended:
        assert status.since is not None
        return f"{s.words.sentence} after {date_long(status.since - _ONE_DAY)} under its own terms" + _basis(
            status, about, said_terms=True
        )
    if phase is Phase.replaced:
        return f"{s.words.sentence} by {about.by} on {date_long(status.since)}"
    if phase is Phase.withdrawn:
        return f"{s.words.sentence} on {date_long(status.since)}"
    assert_never(phase)


def _basis(status: Dated, about: Sentence, said_terms: bool = False) -> str:
    if status.basis.words.sourced and not status.checked_through:
        return ""
    where = "" if said_terms else f" under the terms of {about.terms}"
    if status.since is None or status.since > about.cutoff:
        unconfirmed = f"after {date_long(about.cutoff)}"
    else:
        unconfirmed = f"dated on or after {date_long(status.since)}"
    reported = status.reported
    told = reported.checked_through if reported is not None else status.checked_through
    words = status.basis.words.reads.format(
        where=where,
        checked=date_long(told) if told else "",
        unconfirmed=unconfirmed,
        reported=f"is {_short(reported)}" if reported else "",
    )
    if status.reported_through and status.basis.words.sourced:
        words += f", and secondary sources report it up to {date_long(status.reported_through)}"
    return words


def recently_ended(status: Dated) -> bool:
    """An ending that no source confirms is still news: an answer says it, with its basis."""
    return status.status.phase is Phase.ended and not status.basis.words.sourced


# The changes feed and the calendar


@dataclass(frozen=True)
class ChangeWords:
    """What the words of one change of status name: the part that changes, its measure, the measures acting on it."""

    day: dt.date  # the first day of the new status
    what: str  # 'clause 2 of MOFCOM No. 46 of 2024', or the measure's name
    name: str  # the measure's name
    part: str  # 'clause 2 ', or '' for the whole measure
    before: Dated
    after: Dated
    by_before: str  # the measure acting on the status before, or 'another measure'
    by_after: str  # the same for the status after
    cutoff: dt.date  # the measure's research cut-off

    @property
    def unconfirmed(self) -> str:
        """What a reader must know of a change no source confirms, or ''."""
        if self.after.basis.words.sourced:
            return ""
        cutoff, day = self.cutoff, self.day
        after = f"after {date_long(cutoff)}" if day > cutoff else f"dated on or after {date_long(day)}"
        return f" This follows from the measures' own terms; not confirmed by any source {after}."


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ends_pause(change: ChangeWords) -> bool:
    return change.before.status.phase is Phase.paused and change.after.status.phase is Phase.active


def headline(change: ChangeWords) -> tuple[str, str]:
    """The headline and summary of a change of status, as a feed reader shows them."""
    title, summary = _headline(change)
    return title + change.after.basis.words.mark, summary + change.unconfirmed


def _headline(change: ChangeWords) -> tuple[str, str]:
    what, after, before = change.what, change.after, change.before
    day, last_day = date_long(change.day), date_long(change.day - _ONE_DAY)
    words, label = after.status.words, after.status.label.lower()
    phase = after.status.phase
    if phase is Phase.paused:
        by = change.by_after
        until = f" until {date_long(after.until)} inclusive" if after.until else ""
        return f"{capitalized(what)} {words.change} by {by}", f"From {day}, {what} {words.sentence} by {by}{until}."
    if _ends_pause(change):
        run = before.status.words.run
        return (
            f"{capitalized(run)} of {what} ends",
            f"The {run} of {what} by {change.by_before} ended after {last_day}; from {day} it is {label} again.",
        )
    if phase is Phase.active:
        return f"{capitalized(what)} {words.change}", f"{capitalized(what)} is {label} from {day}."
    if phase is Phase.ended:
        return (
            f"{capitalized(what)} {words.change}",
            f"{capitalized(what)} was in force until {last_day} inclusive; it is {label} from {day}.",
        )
    if phase is Phase.replaced:
        by = change.by_after
        return f"{capitalized(what)} {words.change} by {by}", f"From {day}, {what} is {words.change} by {by}."
    if phase is Phase.withdrawn:
        return (
            f"{capitalized(what)} is {words.change}",
            f"{capitalized(what)} is no longer in force from {day}: it was {words.change}.",
        )
    return f"{capitalized(what)}: {before.status.label.lower()} to {label}", f"From {day}, {what} is {label}."


def feed_title(change: ChangeWords) -> str:
    """The title of a change of status in the changes feed: measure, what changed, basis and date.

    "MOFCOM No. 46 of 2024: suspension of clause 2 ends (scheduled, not confirmed) — 27 Nov 2026";
    an ending is dated by its last day, as in the calendar.
    """
    part, before, after = change.part, change.before, change.after
    day, last_day = change.day, change.day - _ONE_DAY
    words, phase = after.status.words, after.status.phase
    if before.status.phase is Phase.before:
        what = f"{part}announced and {after.status.label.lower()}"
    elif phase is Phase.paused:
        what = f"{part}{words.change} by {change.by_after}"
    elif _ends_pause(change):
        run = before.status.words.run
        what, day = (f"{run} of {part}ends" if part else f"{run} ends"), last_day
    elif phase is Phase.active:
        what = f"{part}{words.change}"
    elif phase is Phase.ended:
        what, day = f"{part}{words.change}", last_day
    elif phase is Phase.replaced:
        what = f"{part}{words.change} by {change.by_after}"
    elif phase is Phase.withdrawn:
        what = f"{part}{words.change}"
    else:
        what = f"{part}{before.status.label.lower()} to {after.status.label.lower()}"
    return f"{change.name}: {what} ({after.basis.words.label}) — {date_long(day)}"


def calendar_entry(change: ChangeWords) -> tuple[dt.date, str, str]:
    """The day, summary and description of a change of status in the calendar.

    An ending is shown on its last day, and says so, since that is the day a reader must act by.
    """
    what, before, after = change.what, change.before, change.after
    last_day = change.day - _ONE_DAY
    if before.status.phase is Phase.paused and after.status.phase is not Phase.paused:
        run = before.status.words.run
        return (
            last_day,
            f"{capitalized(run)} of {what} ends after {date_long(last_day)}",
            f"{date_long(last_day)} is the last day of the {run} of {what} by {change.by_before}, under its terms. "
            f"From {date_long(change.day)} it is {after.status.label.lower()}." + change.unconfirmed,
        )
    if after.status.phase is Phase.ended:
        return (
            last_day,
            f"{capitalized(what)} {after.status.words.change} after {date_long(last_day)}",
            f"{date_long(last_day)} is the last day {what} is in force.",
        )
    title, summary = headline(change)
    return change.day, title, summary


def calendar_categories(status: Dated) -> list[str]:
    """The calendar categories of the status a change leads to, for calendar apps that filter by category."""
    return [status.status.label, *status.basis.words.categories]
