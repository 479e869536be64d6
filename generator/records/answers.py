"""The answer in words: plain sentences, generated from the records and the status engine, never written by hand.

Pages, the API and the feeds say a measure's status the same way, because they all take it from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.formatting import date_long, words
from ..core.models import Clause, Instrument, Policy, country_name
from . import wording
from .dataset import Dataset, Derived
from .registry import display_name
from .status import StatusAt
from .wording import PARTLY_SUSPENDED, Phase, Status, days_from


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


def status_words(part: Part, dataset: Dataset, today: dt.date) -> str:
    """Say a measure or clause's status with its dates, its cause and how it is known: 'is suspended by ...'."""
    status = part.status
    about = wording.Sentence(
        today=today,
        cutoff=part.policy.research_cutoff,
        terms=display_name(dataset.policies[status.terms_of]) if status.terms_of else display_name(part.policy),
        by=display_name(dataset.policies[status.by]) if status.by else None,
        resumed=_resumed(part),
    )
    return wording.sentence(status, about)


def _resumed(part: Part) -> bool:
    """Whether the status began when another measure's action on it ended."""
    return part.status.terms_of is not None and part.status.terms_of != part.policy_id and part.status.by is None


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
    opening = (
        f"On {date_long(today)}, {name} is {PARTLY_SUSPENDED.lower()}." if partly_suspended(policy_id, derived) else ""
    )
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
            if not (part.status.status.active or wording.recently_ended(part.status)):
                continue
            phrases.append(f"{_named(part)} {status_words(part, dataset, today)}")
    if not phrases:
        return f"On {date_long(today)}, no measure covering {name.lower()} is recorded as in force or suspended."
    return f"{name} on {date_long(today)}: " + "; ".join(phrases) + "."


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
        if status.status.phase is Phase.before or dataset.policies[policy_id].instrument is Instrument.suspension:
            continue
        key = (PARTLY_SUSPENDED if partly_suspended(policy_id, derived) else status.status.label).lower()
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
            if since is None or part.status.status.phase is Phase.before or since > today:
                continue
            if (today - since).days <= derived.soon_days:
                recent.append(f"{_citation_name(part)} {status_words(part, dataset, today)}")
    if recent:
        sentence += f" Changed in the last {derived.soon_days} days: " + "; ".join(recent) + "."
    return sentence
