"""The answer in words: plain sentences, generated from the records and the status engine, never written by hand.

Pages, the API and the feeds say a measure's status the same way, because they all take it from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dataset import Dataset, Derived
from .formatting import date_long, words
from .models import Clause, Instrument, Policy, country_name
from .registry import display_name
from .status import ONE_DAY, Basis, Status, StatusAt


@dataclass(frozen=True)
class Part:
    """A measure, or one clause of it, with its status on the day."""

    policy_id: str
    policy: Policy
    clause: Clause | None
    status: StatusAt

    @property
    def instrument(self) -> Instrument:
        return self.clause.instrument if self.clause else self.policy.instrument

    @property
    def targets(self) -> list[str]:
        return (self.clause.targets if self.clause and self.clause.targets else None) or self.policy.targets


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


def status_words(part: Part, dataset: Dataset, today: dt.date) -> str:
    """Say a measure or clause's status with its dates, its cause and how it is known: 'is suspended by ...'."""
    status = part.status
    by = display_name(dataset.policies[status.by]) if status.by else None
    terms = display_name(dataset.policies[status.terms_of]) if status.terms_of else display_name(part.policy)
    cutoff = part.policy.research_cutoff
    s = status.status
    if s is Status.not_announced:
        assert status.next_change is not None
        return f"was not yet announced (it was announced on {date_long(status.next_change)})"
    if s in (Status.not_yet, Status.announced):
        verb = "is announced and" if s is Status.announced else "is not yet in force; it"
        when = status.next_change
        assert when is not None
        return f"{verb} takes effect on {date_long(when)} ({days_from(when, today)})"
    if s is Status.suspended:
        words = f"is suspended by {by}"
        if status.until:
            words += f" until {date_long(status.until)} ({days_from(status.until, today)})"
        words += _basis(status, terms, cutoff)
        if status.until:
            again = date_long(status.until + ONE_DAY)
            words += f"; under that measure's terms it applies again from {again} unless extended"
        return words
    if s in (Status.in_force, Status.current, Status.awarded, Status.conditional):
        words = _ACTIVE_WORDS.get(s, "is in force")
        if status.since and _resumed(part):
            words = f"{words} again from {date_long(status.since)}"
            if status.basis is Basis.scheduled:
                words += f" under the terms of {terms}"
        if status.until:
            words += f" until {date_long(status.until)} ({days_from(status.until, today)})"
        return words + _basis(status, terms, cutoff, said_terms=_resumed(part))
    if s in (Status.expired, Status.closed):
        assert status.since is not None
        verb = "expired" if s is Status.expired else "closed"
        return f"{verb} after {date_long(status.since - ONE_DAY)} under its own terms" + _basis(
            status, terms, cutoff, said_terms=True
        )
    if s is Status.superseded:
        return f"was superseded by {by} on {date_long(status.since)}"
    return f"was revoked on {date_long(status.since)}"


_ACTIVE_WORDS = {
    Status.current: "is current",
    Status.awarded: "is awarded",
    Status.conditional: "is awarded on conditions not yet met",
}


def _resumed(part: Part) -> bool:
    """Whether the status began when another measure's action on it ended."""
    return part.status.terms_of is not None and part.status.terms_of != part.policy_id and part.status.by is None


def _basis(status: StatusAt, terms: str, cutoff: dt.date, said_terms: bool = False) -> str:
    if status.basis is Basis.confirmed:
        return f", as sources up to {date_long(status.checked_through)} confirm" if status.checked_through else ""
    where = "" if said_terms else f" under the terms of {terms}"
    if status.since is None or status.since > cutoff:
        return f"{where}; not confirmed by any source after {date_long(cutoff)}"
    return f"{where}; not confirmed by any source dated on or after {date_long(status.since)}"


def parts_of(policy_id: str, policy: Policy, derived: Derived) -> list[Part]:
    """The measure as a whole, or each of its clauses where it has any."""
    if not policy.clauses:
        return [Part(policy_id, policy, None, derived.policy_status[policy_id])]
    return [Part(policy_id, policy, c, derived.clause_status[(policy_id, c.id)]) for c in policy.clauses]


def partly_suspended(policy_id: str, derived: Derived) -> bool:
    """Whether a measure is in force as a whole with some of its clauses suspended."""
    in_force = derived.policy_status[policy_id].status is Status.in_force
    return in_force and bool(derived.suspended_clauses.get(policy_id))


def measure_answer(policy_id: str, dataset: Dataset, derived: Derived) -> str:
    """One or two sentences on where a measure stands on the day."""
    policy = dataset.policies[policy_id]
    today = derived.today
    name = display_name(policy)
    parts = parts_of(policy_id, policy, derived)
    if len(parts) == 1:
        return f"On {date_long(today)}, {name} {status_words(parts[0], dataset, today)}."
    sentences = [
        f"Clause {p.clause.id} ({_instrument_words(p)}) {status_words(p, dataset, today)}." for p in parts if p.clause
    ]
    opening = f"On {date_long(today)}, {name} is partly suspended." if partly_suspended(policy_id, derived) else ""
    return " ".join(s for s in (opening, *sentences) if s)


def _instrument_words(part: Part) -> str:
    kind = words(part.instrument.value).lower()
    return f"{kind}: {'; '.join(part.targets)}" if part.targets else kind


def mineral_answer(mineral_id: str, dataset: Dataset, derived: Derived) -> str:
    """Where trade in a mineral stands on the day: each measure or clause covering it that is in force or suspended."""
    today = derived.today
    name = dataset.minerals[mineral_id].name
    phrases = []
    for policy_id in derived.measures_of(mineral_id):
        policy = dataset.policies[policy_id]
        if policy.instrument is Instrument.suspension:
            continue  # a suspension speaks through the measure it suspends
        for part in parts_of(policy_id, policy, derived):
            if part.clause is not None and part.clause.minerals and mineral_id not in part.clause.minerals:
                continue
            if not (part.status.status.active or _recently_ended(part.status, today)):
                continue
            phrases.append(f"{_named(part)} {status_words(part, dataset, today)}")
    if not phrases:
        return f"On {date_long(today)}, no measure covering {name.lower()} is recorded as in force or suspended."
    return f"{name} on {date_long(today)}: " + "; ".join(phrases) + "."


def _recently_ended(status: StatusAt, today: dt.date) -> bool:
    """An ending that no source confirms is still news: say it, with its basis."""
    return status.status in (Status.expired, Status.closed) and status.basis is Basis.scheduled


def _named(part: Part) -> str:
    """'Export prohibition by China (MOFCOM No. 46 of 2024, clause 2; applies to: United States)'."""
    kind = words(part.instrument.value)
    applies = f"; applies to: {'; '.join(part.targets)}" if part.targets else ""
    return f"{kind} by {country_name(part.policy.jurisdiction)} ({_citation_name(part)}{applies})"


def _citation_name(part: Part) -> str:
    name = display_name(part.policy)
    return f"{name}, clause {part.clause.id}" if part.clause else name


def home_answer(dataset: Dataset, derived: Derived) -> str:
    """The state of the recorded measures on the day, with what changes soon."""
    today = derived.today
    counts: dict[str, int] = {}
    for policy_id, status in derived.policy_status.items():
        if status.status is Status.not_announced or dataset.policies[policy_id].instrument is Instrument.suspension:
            continue
        key = "partly suspended" if partly_suspended(policy_id, derived) else status.status.label.lower()
        counts[key] = counts.get(key, 0) + 1
    listed = ", ".join(f"{n} {words}" for words, n in sorted(counts.items(), key=lambda c: (-c[1], c[0])))
    sentence = f"On {date_long(today)}, the measures recorded here are: {listed}."
    soon = []
    for policy_id, clause_id in derived.changing_soon:
        status = derived.status_of(policy_id, clause_id)
        if status.next_change is None:
            continue
        name = display_name(dataset.policies[policy_id]) + (f", clause {clause_id}" if clause_id else "")
        soon.append(
            f"{name} is {status.status.label.lower()} until {date_long(status.until)} "
            f"({days_from(status.until, today) if status.until else ''}), and under its terms changes on "
            f"{date_long(status.next_change)} unless a later measure says otherwise"
        )
    if soon:
        sentence += " Changing soon: " + "; ".join(soon) + "."
    recent = []
    for policy_id, policy in dataset.policies.items():
        for part in parts_of(policy_id, policy, derived):
            since = part.status.since
            if since is None or part.status.status is Status.not_announced or since > today:
                continue
            if (today - since).days <= derived.soon_days:
                recent.append(f"{_citation_name(part)} {status_words(part, dataset, today)}")
    if recent:
        sentence += f" Changed in the last {derived.soon_days} days: " + "; ".join(recent) + "."
    return sentence
