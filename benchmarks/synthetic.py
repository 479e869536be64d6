"""Write a synthetic but valid data folder of any size, shaped like the real records in data/.

The mix follows what the atlas will hold when it grows: about 5% minerals, 35% policies, 15%
projects, 35% sources and 10% events. Every reference resolves, every suspension lies inside
the life of the measure it suspends, every source is cited and every record was verified
recently, so the folder passes `atlas validate --strict` on the fixed as-of date AS_OF.

Run it on its own to look at a dataset: `python -m benchmarks.synthetic --n 1000 --out /tmp/data`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 11, 24)
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2026, 12, 31)
SHARES = {"minerals": 0.05, "policies": 0.35, "projects": 0.15, "events": 0.10}  # sources take the rest
MINIMUM = {"minerals": 3, "policies": 4, "projects": 1, "sources": 1, "events": 1}
HEADER = "# yaml-language-server: $schema=../../site_config/schemas/{collection}.schema.json\n"
WRAP = 96

# The tables below are data, kept compact.
# fmt: off
# (name, symbol, atomic number) of minerals the atlas is about; larger datasets reuse them with a number.
ELEMENTS = [
    ("Antimony", "Sb", 51), ("Gallium", "Ga", 31), ("Germanium", "Ge", 32), ("Graphite", "C", 6),
    ("Lithium", "Li", 3), ("Cobalt", "Co", 27), ("Nickel", "Ni", 28), ("Manganese", "Mn", 25),
    ("Tungsten", "W", 74), ("Indium", "In", 49), ("Tellurium", "Te", 52), ("Bismuth", "Bi", 83),
    ("Vanadium", "V", 23), ("Niobium", "Nb", 41), ("Tantalum", "Ta", 73), ("Magnesium", "Mg", 12),
    ("Neodymium", "Nd", 60), ("Dysprosium", "Dy", 66), ("Terbium", "Tb", 65), ("Yttrium", "Y", 39),
    ("Scandium", "Sc", 21), ("Hafnium", "Hf", 72), ("Zirconium", "Zr", 40), ("Titanium", "Ti", 22),
    ("Platinum", "Pt", 78), ("Palladium", "Pd", 46), ("Rhodium", "Rh", 45), ("Iridium", "Ir", 77),
    ("Beryllium", "Be", 4), ("Cesium", "Cs", 55), ("Rubidium", "Rb", 37), ("Chromium", "Cr", 24),
    ("Aluminum", "Al", 13), ("Tin", "Sn", 50), ("Zinc", "Zn", 30), ("Arsenic", "As", 33),
    ("Barium", "Ba", 56), ("Fluorine", "F", 9), ("Boron", "B", 5), ("Silicon", "Si", 14),
]
COUNTRIES = [
    "CN", "US", "AU", "CA", "RU", "TJ", "ZA", "CL", "PE", "BR", "CD", "ID", "IN", "KZ", "MX", "MN", "MM", "BO",
    "TR", "VN", "JP", "KR", "DE", "FR", "NO", "SE", "FI", "GB", "MA", "AR", "PH", "GA", "ZM", "ZW", "NA", "UA",
]
JURISDICTIONS = ["CN", "US", "EU", "JP", "KR", "AU", "CA", "IN", "ID", "GB", "NO", "CL", "RU", "VN", "MM"]
INSTRUMENTS = [
    "export-licensing", "export-prohibition", "end-user-ban", "tariff", "list-designation", "funding-award", "law",
]
AUTHORITIES = [
    ("Ministry of Commerce (MOFCOM)", "mofcom"), ("General Administration of Customs", "gac"),
    ("Bureau of Industry and Security", "bis"), ("European Commission", "ec"), ("Department of the Interior", "doi"),
    ("Department of Defense", "dod"), ("Ministry of Economy, Trade and Industry (METI)", "meti"),
    ("Ministério de Minas e Energia", "mme"), ("Министерство промышленности и торговли", "minpromtorg"),
    ("国务院关税税则委员会", "tariff-commission"), ("Department of Industry, Science and Resources", "disr"),
]
PLACES = [
    ("Mount Aurora", "mount-aurora"), ("Lac Noir", "lac-noir"), ("Cerro Azul", "cerro-azul"),
    ("Kōzu Creek", "kozu-creek"), ("São Jorge", "sao-jorge"), ("Big Sky & Pine", "big-sky-pine"),
    ("Øvre Dal", "ovre-dal"), ("Treasure Ridge", "treasure-ridge"), ("Karagöz", "karagoz"),
    ("Nueva Esperanza", "nueva-esperanza"), ("Bayan [North]", "bayan-north"), ("Red Hill #2", "red-hill"),
    ("Mojave *East*", "mojave-east"), ("Stibnite_West", "stibnite-west"), ("Qinghai 青海", "qinghai"),
]
PUBLISHERS = [
    ("U.S. Geological Survey", "usgs"), ("Reuters", "reuters"), ("Argus Media", "argus"),
    ("Fastmarkets", "fastmarkets"), ("Ministry of Commerce (MOFCOM)", "mofcom"), ("Federal Register", "fr"),
    ("European Union (EUR-Lex)", "eur-lex"), ("The Business Times", "business-times"), ("Mining.com", "mining-com"),
    ("Xinhua / 新华社", "xinhua"), ("Gleiss Lutz & Partners", "gleiss"), ("Les Échos", "les-echos"),
    ("Коммерсантъ", "kommersant"), ("Center for Strategic <and> International Studies", "csis"),
    ("S&P Global", "sp-global"),
]
VOCAB = [
    "export", "licence", "licensing", "control", "measure", "ministry", "announcement", "clause", "suspension",
    "tariff", "quota", "refined", "primary", "output", "tonnes", "supply", "chain", "smelter", "concentrate", "mine",
    "deposit", "reserve", "resource", "drilling", "grade", "processing", "capacity", "producer", "market", "price",
    "demand", "semiconductor", "battery", "magnet", "alloy", "defence", "end", "user", "review", "permit", "approval",
    "government", "company", "agreement", "award", "funding", "programme", "project", "feasibility", "study", "pilot",
    "plant", "stockpile", "importer", "reliance", "shipment", "customs", "declaration", "annex", "list",
    "designation", "critical", "strategic", "raw", "material", "by-product",
]
# Text editors really write: accents, other scripts, symbols Markdown and HTML give meaning to, quotes and emoji.
SPECIAL = [
    "R&D", "<b>not bold</b>", "a|b", "5 > 3", "x < y", "*starred*", "_under_", "[bracketed]", "(paren)", "#7",
    "`tick`", "{brace}", "back\\slash", "100%", "US$1.5 bn", "€40/kg", "±2 %", "25 °C", "— dash", "2023–2024",
    "“curly”", "‘single’", '"double"', "it's", "Zürich", "São Paulo", "Kraków", "Córdoba", "İzmir", "商务部",
    "稀土出口管制", "Росатом", "Ελλάδα", "كوبالت", "🪨⛏️", "1.", "- item", "!!! note", "---", "[^note]",
    "http://example.com/a_b", "~~strike~~", "&amp;", "&copy;", "{: .cls }", "<!-- c -->", "<script>x</script>",
    ":smile:", "$x$", "\\|", "==mark==", "^sup^", "++ins++", "+1", "No. 46", "2024/1252", "Art. 3(a)", "===",
]
# fmt: on


class Plain(str):
    """A scalar written without quotes: ids, enum values, dates and numbers, as editors write them."""


@dataclass
class Ids:
    """The id of every record, drawn before any record so that references can point forward."""

    minerals: list[Plain] = field(default_factory=list)
    policies: list[Plain] = field(default_factory=list)
    projects: list[Plain] = field(default_factory=list)
    sources: list[Plain] = field(default_factory=list)
    events: list[Plain] = field(default_factory=list)
    # What each id was made from: the place of a project, the publisher and date of a source, the date of an event.
    place: dict[str, str] = field(default_factory=dict)
    publisher: dict[str, tuple[str, str, dt.date]] = field(default_factory=dict)
    day: dict[str, dt.date] = field(default_factory=dict)


class SourcePicker:
    """Hand out source ids in shuffled rounds, so every source is cited before any is cited twice."""

    def __init__(self, rng: random.Random, source_ids: list[Plain]) -> None:
        self.rng = rng
        self.source_ids = source_ids
        self.round: list[Plain] = []
        self.cited: set[str] = set()

    def pick(self) -> Plain:
        if not self.round:
            self.round = self.source_ids[:]
            self.rng.shuffle(self.round)
        source_id = self.round.pop()
        self.cited.add(source_id)
        return Plain(source_id)

    def uncited(self) -> list[Plain]:
        return [s for s in self.source_ids if s not in self.cited]


def write_dataset(folder: Path, n: int, seed: int = 0) -> dict[str, int]:
    """Write about `n` valid records into `folder` (which must be empty or absent); return the count per collection."""
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty; write a dataset into a new folder")
    rng = random.Random(seed)
    counts = _counts(n)
    ids = _draw_ids(rng, counts)
    picker = SourcePicker(rng, ids.sources)
    policies = _policies(rng, ids, picker)
    lists = [Plain(pid) for pid, p in policies.items() if p["instrument"] in ("list-designation", "law")]
    minerals: dict[str, dict[str, Any]] = {
        mid: _mineral(rng, index, lists, picker) for index, mid in enumerate(ids.minerals)
    }
    funding = [pid for pid, p in policies.items() if p["instrument"] in ("funding-award", "law")]
    projects: dict[str, dict[str, Any]] = {pid: _project(rng, pid, ids, funding, picker) for pid in ids.projects}
    events: dict[str, dict[str, Any]] = {eid: _event(rng, eid, ids, picker) for eid in ids.events}
    sources: dict[str, dict[str, Any]] = {sid: _source(rng, sid, ids) for sid in ids.sources}
    # Shuffled rounds cite every source once there are more citations than sources; this covers tiny datasets.
    citing = [*policies.values(), *projects.values(), *events.values()]
    for index, source_id in enumerate(picker.uncited()):
        citing[index % len(citing)]["sources"].append(Plain(source_id))
    collections = {
        "minerals": minerals,
        "policies": policies,
        "projects": projects,
        "sources": sources,
        "events": events,
    }
    for collection, records in collections.items():
        (folder / collection).mkdir(parents=True, exist_ok=True)
        for record_id, record in records.items():
            text = HEADER.format(collection=collection) + "\n".join(_yaml_mapping(_ordered(record), 0)) + "\n"
            (folder / collection / f"{record_id}.yaml").write_text(text, encoding="utf-8")
    return {collection: len(records) for collection, records in collections.items()}


def _counts(n: int) -> dict[str, int]:
    counts = {collection: max(MINIMUM[collection], round(n * share)) for collection, share in SHARES.items()}
    counts["sources"] = max(MINIMUM["sources"], n - sum(counts.values()))
    return {c: counts[c] for c in ("minerals", "policies", "projects", "sources", "events")}


def _draw_ids(rng: random.Random, counts: dict[str, int]) -> Ids:
    ids = Ids()
    for index in range(counts["minerals"]):
        name = ELEMENTS[index % len(ELEMENTS)][0].lower()
        ids.minerals.append(Plain(name if index < len(ELEMENTS) else f"{name}-{index // len(ELEMENTS) + 1}"))
    for index in range(counts["policies"]):
        jurisdiction, authority = rng.choice(JURISDICTIONS).lower(), rng.choice(AUTHORITIES)[1]
        ids.policies.append(Plain(f"{jurisdiction}-{authority}-{rng.randint(2015, 2026)}-{index + 1}"))
    for index in range(counts["projects"]):
        place, slug = rng.choice(PLACES)
        ids.projects.append(Plain(f"{slug}-{index + 1}"))
        ids.place[ids.projects[-1]] = place
    for index in range(counts["sources"]):
        publisher, slug = rng.choice(PUBLISHERS)
        day = _day(rng)
        ids.sources.append(Plain(f"{slug}-{day.isoformat()}-{index + 1}"))
        ids.publisher[ids.sources[-1]] = (publisher, slug, day)
    for index in range(counts["events"]):
        day = _day(rng)
        ids.events.append(Plain(f"talks-{day.isoformat()}-{index + 1}"))
        ids.day[ids.events[-1]] = day
    return ids


def _policies(rng: random.Random, ids: Ids, picker: SourcePicker) -> dict[str, dict[str, Any]]:
    policies: dict[str, dict[str, Any]] = {}
    for index, policy_id in enumerate(ids.policies):
        jurisdiction = policy_id.split("-")[0].upper()
        authority = rng.choice(AUTHORITIES)[0]
        instrument = INSTRUMENTS[index] if index < len(INSTRUMENTS) else rng.choice(INSTRUMENTS)
        minerals = _sample(rng, ids.minerals, 1, 3)
        announced = _day(rng, last=dt.date(2026, 10, 31))
        year, number = announced.year, rng.randint(1, 120)
        effective = min(LAST_DAY, announced + dt.timedelta(days=rng.randint(0, 120))) if rng.random() < 0.9 else None
        begins = effective or announced
        expires = min(LAST_DAY, begins + dt.timedelta(days=rng.randint(180, 1500))) if rng.random() < 0.4 else None
        revoked = begins + dt.timedelta(days=rng.randint(30, 900)) if rng.random() < 0.05 else None
        clauses = [
            {
                "id": clause_id,
                "summary": _cite(_sentence(rng, 8, 20), picker),
                "instrument": Plain(rng.choice(INSTRUMENTS[:4])),
                "minerals": _sample(rng, minerals, 0, len(minerals)),
                "targets": [_phrase(rng, 2, 5) for _ in range(rng.randint(0, 2))],
            }
            for clause_id in ["1", "2", "3", "4(a)", "4(b)"][: rng.choice([0, 1, 2, 2, 3, 5])]
        ]
        policies[policy_id] = {
            "document_number": f"{authority} Announcement No. {number} of {year}",
            "title": _title(rng),
            "title_original": rng.choice(
                ["关于对镓、锗、锑相关物项实施出口管制的公告", "Règlement (UE) n° 2024/1252", None, None]
            ),
            "short_title": f"{authority.split(' (')[0]} No. {number}/{year}" if rng.random() < 0.5 else None,
            "jurisdiction": jurisdiction,
            "authorities": [
                authority,
                *([rng.choice([a for a, _ in AUTHORITIES if a != authority])] if rng.random() < 0.3 else []),
            ],
            "instrument": Plain(instrument),
            "minerals": minerals,
            "targets": [_phrase(rng, 2, 6) for _ in range(rng.randint(0, 2))],
            "summary": _paragraphs(rng, picker=picker),
            "dates": {"announced": announced, "effective": effective, "expires": expires, "revoked": revoked},
            "clauses": clauses,
            "relations": [],
            "key_facts": [_fact(rng, picker) for _ in range(rng.randint(1, 4))],
            "sources": [picker.pick() for _ in range(rng.randint(1, 3))],
            **_record_tail(rng),
        }
    _add_relations(rng, policies, picker)
    return policies


def _add_relations(rng: random.Random, policies: dict[str, dict[str, Any]], picker: SourcePicker) -> None:
    """Let about one policy in five suspend another (or one of its clauses), and one in ten amend or implement one."""
    policy_ids = list(policies)
    for index, policy_id in enumerate(policy_ids):
        if index == 0:
            continue
        policy = policies[policy_id]
        roll = rng.random()
        if roll < 0.2:
            target_id = policy_ids[rng.randrange(index)]
            target = policies[target_id]
            begins = target["dates"]["effective"] or target["dates"]["announced"]
            ends = target["dates"]["expires"]
            span = ((ends or LAST_DAY) - begins).days
            start = begins + dt.timedelta(days=rng.randint(0, max(0, span - 1)))
            end = min(start + dt.timedelta(days=rng.randint(30, 400)), ends or LAST_DAY)
            end = end if ends or rng.random() < 0.8 else None
            clause = rng.choice(target["clauses"])["id"] if target["clauses"] and rng.random() < 0.7 else None
            policy["instrument"] = Plain("suspension")
            policy["dates"] = {
                "announced": max(FIRST_DAY, start - dt.timedelta(days=rng.randint(0, 10))),
                "effective": start,
                "expires": end,
                "revoked": None,
            }
            policy["relations"].append(
                {
                    "type": Plain("suspends"),
                    "policy": Plain(target_id),
                    "clause": clause,
                    "start": start,
                    "end": end,
                    "source": picker.pick(),
                }
            )
        elif roll < 0.3:
            target_id = policy_ids[rng.randrange(index)]
            start = policy["dates"]["effective"] or policy["dates"]["announced"]
            relation = rng.choice(["amends", "implements", "supersedes"])
            policy["relations"].append(
                {"type": Plain(relation), "policy": Plain(target_id), "start": start, "source": picker.pick()}
            )


def _mineral(rng: random.Random, index: int, lists: list[Plain], picker: SourcePicker) -> dict[str, Any]:
    name, symbol, atomic_number = ELEMENTS[index % len(ELEMENTS)]
    if index >= len(ELEMENTS):
        name = f"{name} {index // len(ELEMENTS) + 1}"
    year = rng.randint(2020, 2025)
    countries = _sample(rng, COUNTRIES, 8, 12)
    stage = Plain(rng.choice(["mine", "primary", "refined"]))
    production = []
    for rank, country in enumerate(countries):
        production.append(
            {
                "country": country,
                "year": year,
                "stage": stage,
                "scope": f"{name.lower()} {stage} output",
                "value": rng.randint(10, 90_000) // (rank + 1),
                "unit": rng.choice(["t", "kg", "t (metal content)"]),
                # The top three's shares: at most 60, 30 and 10, so together never over 100.
                "share": round(rng.uniform(0.5, 60 / 2**rank if rank < 2 else 10), 1) if rank < 3 else None,
                "estimated": rng.random() < 0.5,
                "source": picker.pick(),
                "note": _sentence(rng, 4, 10) if rng.random() < 0.1 else None,
            }
        )
    return {
        "name": name,
        "symbol": symbol,
        "atomic_number": atomic_number,
        "aliases": [symbol, f"{name} ({symbol})"][: rng.randint(0, 2)],
        "summary": _paragraphs(rng, 3, 6, picker),
        "us_production": _cite(_sentence(rng, 10, 25), picker) if rng.random() < 0.6 else None,
        "end_uses": [
            {
                "use": _phrase(rng, 2, 6),
                # At most five uses of at most 20 % each: never over 100 together.
                "share": rng.randint(1, 20) if rng.random() < 0.8 else None,
                "year": year if rng.random() < 0.7 else None,
                "scope": f"US {name.lower()} consumption",
                "source": picker.pick(),
            }
            for _ in range(rng.randint(2, 5))
        ],
        "production": production,
        "world_production": [
            {
                "year": year,
                "stage": stage,
                "scope": f"{name.lower()} {stage} output, world total",
                "value": rng.randint(1000, 500_000),
                "estimated": True,
                "producing_countries": _sample(rng, COUNTRIES, 0, 4),
                "source": picker.pick(),
            }
        ],
        "net_import_reliance": [
            {
                "country": rng.choice(["US", "EU", "JP"]),
                "year": year - offset,
                "value": rng.randint(10, 100),
                "qualifier": Plain(rng.choice(["exact", "more-than", "about"])),
                "source": picker.pick(),
            }
            for offset in range(rng.randint(1, 3))
        ],
        "prices": [_price(rng, name, picker) for _ in range(rng.randint(2, 6))],
        "lists": [
            {"policy": pid, "detail": _phrase(rng, 2, 5) if rng.random() < 0.5 else None}
            for pid in _sample(rng, lists, 0, 3)
        ],
        "checked_claims": [
            {
                "claim": _sentence(rng, 6, 14),
                "claimed_by": picker.pick(),
                "verdict": Plain(rng.choice(["confirmed", "wrong-scope", "outdated", "unverified"])),
                "source": picker.pick(),
                "note": _sentence(rng, 6, 18) if rng.random() < 0.6 else None,
            }
            for _ in range(rng.randint(0, 3))
        ],
        "sources": [picker.pick() for _ in range(rng.randint(1, 4))],
        **_record_tail(rng),
    }


def _price(rng: random.Random, name: str, picker: SourcePicker) -> dict[str, Any]:
    value = round(rng.uniform(1, 60_000), 2)
    return {
        "description": f"{name}, {_phrase(rng, 2, 5)}",
        "value": value,
        "value_high": round(value * rng.uniform(1, 1.1), 2) if rng.random() < 0.3 else None,
        "unit": rng.choice(["USD/kg", "USD/lb", "USD/t", "CNY/t"]),
        "date": _fuzzy(rng),
        "source": picker.pick(),
        "note": _sentence(rng, 4, 10) if rng.random() < 0.2 else None,
    }


def _project(rng: random.Random, project_id: str, ids: Ids, funding: list[str], picker: SourcePicker) -> dict[str, Any]:
    place = ids.place[project_id]
    name = f"{place} {rng.choice(['Project', 'Mine', 'Deposit', 'Gold-Antimony Project'])}"
    return {
        "name": name,
        "aliases": [place] if rng.random() < 0.5 else [],
        "operator": {
            "name": f"{_phrase(rng, 1, 2).title()} Resources Ltd",
            "tickers": [
                f"{exchange}:{rng.choice(['ABC', 'PPTA', 'FXG', 'LKY.A', 'X1'])}"
                for exchange in _sample(rng, ["ASX", "TSX", "Nasdaq", "TSX V", "OTC/QB"], 0, 2)
            ],
        },
        "location": {
            "country": rng.choice(COUNTRIES),
            "region": rng.choice(["Idaho", "Alaska", "Québec", "Western Australia", "Jiangxi 江西", "Atacama"]),
            "district": rng.choice(["Valley County", "Fairbanks North Star", None]),
            "coordinates": (
                {
                    "lat": round(rng.uniform(-60, 70), 4),
                    "lon": round(rng.uniform(-179, 179), 4),
                    "source": picker.pick(),
                }
                if rng.random() < 0.4
                else None
            ),
        },
        "minerals": _sample(rng, ids.minerals, 1, 2),
        "stage": Plain(
            rng.choice(
                [
                    "exploration",
                    "resource",
                    "feasibility",
                    "permitting",
                    "construction",
                    "production",
                    "care-and-maintenance",
                ]
            )
        ),
        "stage_source": picker.pick(),
        "summary": _paragraphs(rng, 3, 7, picker),
        "prospects": [_phrase(rng, 1, 3).title() for _ in range(rng.randint(0, 3))],
        "milestones": [
            {
                "date": _fuzzy(rng),
                "text": _sentence(rng, 6, 20),
                "source": picker.pick(),
                "note": _sentence(rng, 4, 12) if rng.random() < 0.2 else None,
            }
            for _ in range(rng.randint(1, 4))
        ],
        "support": [
            {
                "program": _phrase(rng, 3, 8).title(),
                "policy": Plain(rng.choice(funding)) if funding and rng.random() < 0.6 else None,
                "amount_usd_million": round(rng.uniform(0.5, 200), 1) if rng.random() < 0.8 else None,
                "up_to": rng.random() < 0.5,
                "conditional": rng.random() < 0.3,
                "date": _fuzzy(rng),
                "text": _sentence(rng, 8, 20),
                "source": picker.pick(),
            }
            for _ in range(rng.randint(0, 3))
        ],
        "results": [
            {
                "kind": Plain(
                    rng.choice(["drilling", "sampling", "metallurgy", "exploration-target", "resource", "reserve"])
                ),
                "text": _sentence(rng, 8, 24),
                "date": _fuzzy(rng) if rng.random() < 0.6 else None,
                "company_reported": rng.random() < 0.7,
                "source": picker.pick(),
            }
            for _ in range(rng.randint(0, 3))
        ],
        "sources": [picker.pick() for _ in range(rng.randint(1, 3))],
        **_record_tail(rng),
    }


def _event(rng: random.Random, event_id: str, ids: Ids, picker: SourcePicker) -> dict[str, Any]:
    date = ids.day[event_id]
    return {
        "title": _title(rng),
        "date": date,
        "end_date": date + dt.timedelta(days=rng.randint(1, 3)) if rng.random() < 0.3 else None,
        "location": rng.choice(["Busan", "Kuala Lumpur", "Genève", "北京", None]),
        "country": rng.choice(COUNTRIES) if rng.random() < 0.8 else None,
        "summary": _paragraphs(rng, 2, 5, picker),
        "minerals": _sample(rng, ids.minerals, 0, 3),
        "policies": _sample(rng, ids.policies, 0, 3),
        "sources": [picker.pick() for _ in range(rng.randint(1, 2))],
        **_record_tail(rng),
    }


def _source(rng: random.Random, source_id: str, ids: Ids) -> dict[str, Any]:
    publisher, slug, published = ids.publisher[source_id]
    precision = rng.random()
    return {
        "title": _title(rng),
        "publisher": publisher,
        "url": f"https://www.{slug.replace('-', '')}.example.com/news/{source_id}?lang=en&page=1"
        if rng.random() < 0.85
        else None,
        "published": (
            published.isoformat()
            if precision < 0.7
            else published.isoformat()[:7]
            if precision < 0.85
            else str(published.year)
            if precision < 0.95
            else None
        ),
        "accessed": _recent(rng) if rng.random() < 0.3 else None,
        "kind": Plain(rng.choice(["primary", "reproduction", "secondary", "secondary"])),
        "note": _sentence(rng, 4, 16) if rng.random() < 0.4 else None,
        "last_verified": _recent(rng),
    }


def _fact(rng: random.Random, picker: SourcePicker) -> dict[str, Any]:
    return {
        "text": _sentence(rng, 10, 30),
        "date": _fuzzy(rng) if rng.random() < 0.8 else None,
        "source": picker.pick(),
        "note": _sentence(rng, 5, 15) if rng.random() < 0.25 else None,
    }


def _record_tail(rng: random.Random) -> dict[str, Any]:
    secondary = rng.random() < 0.15
    return {
        "verification": Plain("secondary-only") if secondary else None,
        "verification_note": _sentence(rng, 8, 20) if secondary or rng.random() < 0.1 else None,
        "research_cutoff": _recent(rng),
        "last_verified": _recent(rng),
    }


# Dates and text


def _day(rng: random.Random, first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _recent(rng: random.Random) -> dt.date:
    """A verification date well inside the default review interval of 180 days before AS_OF."""
    return AS_OF - dt.timedelta(days=rng.randint(0, 150))


def _fuzzy(rng: random.Random) -> str:
    day = _day(rng)
    return rng.choice([day.isoformat(), day.isoformat(), day.isoformat()[:7], str(day.year)])


def _sample(rng: random.Random, items: list[Any], low: int, high: int) -> list[Any]:
    return rng.sample(items, min(len(items), rng.randint(low, high)))


def _phrase(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(rng.randint(low, high)))


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(VOCAB) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words) + 1), rng.choice(SPECIAL))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!", " (estimate)."])


def _title(rng: random.Random) -> str:
    title = _sentence(rng, 4, 10).rstrip(".?!")
    return title if rng.random() < 0.7 else f"{title}: {rng.choice(SPECIAL)}"


def _cite(sentence: str, picker: SourcePicker) -> str:
    """Cite a source inline before the sentence's closing punctuation, as editors do."""
    return f"{sentence[:-1]} [@{picker.pick()}]{sentence[-1]}"


def _paragraphs(rng: random.Random, low: int = 3, high: int = 6, picker: SourcePicker | None = None) -> str:
    """A summary of a few sentences, each citing a source; one in ten has two paragraphs."""
    sentences = [_sentence(rng, 8, 22) for _ in range(rng.randint(low, high))]
    if picker is not None:
        sentences = [_cite(s, picker) for s in sentences]
    if rng.random() < 0.1 and len(sentences) > 1:
        cut = len(sentences) // 2
        return " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
    return " ".join(sentences)


# YAML in the style of the real records: quoted text, folded long text, unquoted ids, enums and dates.

ORDER = ["name", "document_number", "title", "short_title", "symbol", "atomic_number"]


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    """Put the record's name first and `sources`, verification and `last_verified` last, as editors do."""
    tail = ["sources", "verification", "verification_note", "research_cutoff", "last_verified"]
    head = [k for k in ORDER if k in record]
    middle = [k for k in record if k not in head and k not in tail]
    return {k: record[k] for k in [*head, *middle, *tail] if k in record}


def _yaml_mapping(mapping: dict[str, Any], indent: int) -> Iterator[str]:
    pad = " " * indent
    for key, value in mapping.items():
        if value is None or (isinstance(value, list) and not value):
            continue
        if isinstance(value, dict):
            yield f"{pad}{key}:"
            yield from _yaml_mapping(value, indent + 2)
        elif isinstance(value, list):
            yield f"{pad}{key}:"
            for item in value:
                if isinstance(item, dict):
                    lines = list(_yaml_mapping(item, indent + 4))
                    yield f"{pad}  - {lines[0].lstrip()}"
                    yield from lines[1:]
                else:
                    yield f"{pad}  - {_scalar(item)}"
        elif isinstance(value, str) and not isinstance(value, Plain) and (len(value) > 80 or "\n" in value):
            yield from _block(key, value, pad)
        else:
            yield f"{pad}{key}: {_scalar(value)}"


def _block(key: str, text: str, pad: str) -> Iterator[str]:
    """Write long text as a folded block; text with paragraphs as a literal block, which keeps the blank line."""
    paragraphs = text.split("\n\n")
    yield f"{pad}{key}: {'|-' if len(paragraphs) > 1 else '>-'}"
    for number, paragraph in enumerate(paragraphs):
        if number:
            yield ""
        for line in textwrap.wrap(paragraph, WRAP - len(pad) - 2, break_long_words=False, break_on_hyphens=False):
            yield f"{pad}  {line}"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Plain):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, required=True, help="About how many records to write.")
    parser.add_argument("--out", type=Path, required=True, help="Data folder to create (must be empty or absent).")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts = write_dataset(args.out, args.n, args.seed)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
