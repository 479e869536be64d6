"""What is known, what is only scheduled, and who says so: claim-level citations, research cut-offs, honest statuses."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest

from generator.build import Layout, check, generate
from generator.core import citations
from generator.core.models import PartialDate, Researched
from generator.records.registry import COLLECTIONS

from .conftest import REPO

TODAY = dt.date(2026, 11, 25)
LAST_CHECKED = dt.date(2026, 12, 4)
SUSPENSION_DAY = dt.date(2025, 11, 9)
MARK = "\u27e6{}\u27e7"  # a footnote reference, as the reading below writes it into the text
SUMMARY_PAGES = [
    ("minerals", "gallium"),
    ("minerals", "germanium"),
    ("minerals", "antimony"),
    ("policies", "cn-mofcom-2024-46"),
    ("policies", "cn-mofcom-2025-72"),
]


@pytest.fixture(scope="module")
def real():
    return check(Layout.at(REPO), TODAY).dataset


@pytest.fixture(scope="module")
def site(real_site: Path) -> Path:
    return real_site


def docs_on(tmp_path: Path, day: dt.date, extra: dict[str, str] | None = None) -> Path:
    """Generate the real data, with `extra` files added to a copy of it, as of `day`; return the docs folder."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    for relative, text in (extra or {}).items():
        (data / relative).write_text(text, encoding="utf-8")
    layout = Layout.at(REPO, data_dir=data, docs_dir=tmp_path / "docs", site_dir=tmp_path / "site")
    generate(layout, day)
    return layout.docs_dir


class _Stream(HTMLParser):
    """The visible text of an article, with each footnote reference written in as ⟦source-id⟧."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "article":
            self.depth += 1
        if tag == "a" and "footnote-ref" in (attributes.get("class") or ""):
            self.parts.append(MARK.format((attributes.get("href") or "").removeprefix("#fn:")))
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        if tag == "a" and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def stream(page: Path) -> str:
    parser = _Stream()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join("".join(parser.parts).split())


def expected(sentence: str, secondary: set[str]) -> str:
    """How a sentence reads on the page: its text, and its sources' marks exactly where it cites them."""
    text = ""
    for piece in citations.pieces(sentence):
        text += piece.text
        text += ",".join(MARK.format(s) for s in piece.cites)
        if piece.cites and set(piece.cites) <= secondary:
            text += " (secondary reporting)"
    return " ".join(text.split())


def _about_the_suspension(sentence: str) -> bool:
    words = citations.without_citations(sentence)
    return bool(re.search(r"suspen", words, re.I)) and bool(re.search(r"No\. 72|November 2025|9 Nov", words))


@pytest.mark.slow
@pytest.mark.parametrize(("collection", "record_id"), SUMMARY_PAGES, ids=[r for _, r in SUMMARY_PAGES])
def test_each_sentence_of_a_summary_has_its_own_footnotes(site, real, collection, record_id) -> None:
    record = real.get(collection)[record_id]
    page = stream(site / collection / record_id / "index.html")
    secondary = {s for s, source in real.sources.items() if source.kind.value == "secondary"}
    texts = [record.summary] + [c.summary for c in getattr(record, "clauses", [])]
    sentences = [s for text in texts for s in citations.sentences(text)]
    assert sentences
    for sentence in sentences:
        assert citations.cited_sources(sentence), f"uncited: {sentence}"
        assert expected(sentence, secondary) in page, sentence


@pytest.mark.slow
@pytest.mark.parametrize(("collection", "record_id"), SUMMARY_PAGES, ids=[r for _, r in SUMMARY_PAGES])
def test_no_sentence_about_the_suspension_cites_an_older_source(site, real, collection, record_id) -> None:
    record = real.get(collection)[record_id]
    page = stream(site / collection / record_id / "index.html")
    texts = [record.summary] + [c.summary for c in getattr(record, "clauses", [])]
    checked = 0
    for sentence in (s for text in texts for s in citations.sentences(text) if _about_the_suspension(s)):
        # Read the sources off the page, where the sentence stands.
        words = citations.pieces(sentence)[0].text.strip()
        start = page.index(" ".join(words.split()))
        marks = re.findall("\u27e6([^\u27e7]+)\u27e7", page[start : start + len(expected(sentence, set())) + 40])
        assert marks, sentence
        for source_id in marks:
            published = real.sources[source_id].published
            if published is None:
                continue  # undated: not shown to be older (its page says "undated")
            # As precise as the source's date allows: a month must not be before November 2025, a year after 2025.
            year, month, day = PartialDate(published).sort_key
            known = (year, month, day)[: 3 if day else 2 if month else 1]
            event = (SUSPENSION_DAY.year, SUSPENSION_DAY.month, SUSPENSION_DAY.day)[: len(known)]
            assert known >= event if len(known) > 1 else known > event, f"{source_id} ({published}) for: {sentence}"
        checked += 1
    if record_id in ("gallium", "germanium", "antimony", "cn-mofcom-2025-72"):
        assert checked, "no sentence about the suspension found"


def test_the_research_cut_off_is_on_the_home_page_and_every_record_page(tmp_path, real) -> None:
    docs = docs_on(tmp_path, TODAY)
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert "Research cut-off: 8 Oct 2026" in home
    for collection, records in real.records.items():
        if not COLLECTIONS[collection].pages:
            continue
        for record_id, record in records.items():
            page = (docs / collection / f"{record_id}.md").read_text(encoding="utf-8")
            if isinstance(record, Researched):
                day = record.research_cutoff
                assert f'Research cut-off: <time datetime="{day.isoformat()}">' in page, record_id
            assert f'Last checked: <time datetime="{record.last_verified.isoformat()}">' in page, record_id


def test_verification_dates_are_truthful(real) -> None:
    for collection, records in real.records.items():
        for record_id, record in records.items():
            # No record was checked after the day the third fact sheet was read against the data.
            assert record.last_verified <= LAST_CHECKED, record_id
            if isinstance(record, Researched):
                # Checked against the first fact sheet (to 18 Nov 2025), the second (to 5 Oct 2026), the third (to
                # 8 Oct 2026), USGS MCS 2026 as last corrected (27 May 2026), or older material where that is the
                # newest there is; never later.
                assert record.research_cutoff <= dt.date(2026, 10, 8), (collection, record_id)
                assert record.research_cutoff <= record.last_verified


def test_the_real_data_passes_strict_validation_with_every_sentence_cited() -> None:
    checked = check(Layout.at(REPO), TODAY, strict=True)
    # What remains is knowledge that may be out of date, which waits for newer material.
    assert {(w.field, w.message.split(":")[0]) for w in checked.warnings} == {("research_cutoff", "may be out of date")}


# After the suspension's scheduled end


CLAUSE_2_AGAIN = "in force again from 28 Nov 2026 under the terms of MOFCOM No. 72 of 2025; not confirmed by any source after 8 Oct 2026"


def _words(page: Path) -> str:
    """A generated page's text as a reader sees it: Markdown escapes undone, whitespace collapsed."""
    return " ".join(re.sub(r"\\(.)", r"\1", page.read_text(encoding="utf-8")).split())


def _views_of_clause_2(docs: Path) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical((docs / "feeds" / "calendar.ics").read_bytes())
    event = next(
        e
        for e in calendar.walk("VEVENT")
        if str(e["uid"]).startswith("policies/cn-mofcom-2024-46/clauses/2/status/") and "2026-11-2" in str(e["uid"])
    )
    document = json.loads((docs / "api" / "v1" / "policies" / "cn-mofcom-2024-46.json").read_text(encoding="utf-8"))
    return {
        "policy": _words(docs / "policies" / "cn-mofcom-2024-46.md"),
        "home": _words(docs / "index.md"),
        "gallium": _words(docs / "minerals" / "gallium.md"),
        "api": json.dumps(document["derived"]),
        "calendar": f"{event['summary']} {event['description']} {[str(c) for c in event['categories'].cats]}",
    }


def test_after_the_scheduled_end_clause_2_is_in_force_again_only_under_its_terms(tmp_path) -> None:
    views = _views_of_clause_2(docs_on(tmp_path, dt.date(2026, 11, 28)))
    for name in ("policy", "home", "gallium"):
        assert CLAUSE_2_AGAIN in " ".join(views[name].split()), name
    document = json.loads(views["api"])
    clause_2 = next(c["status"] for c in document["clauses"] if c["id"] == "2")
    assert (clause_2["status"], clause_2["basis"], clause_2["since"]) == ("in-force", "scheduled", "2026-11-28")
    assert CLAUSE_2_AGAIN in document["answer"]
    assert "Scheduled" in views["calendar"] and "not confirmed by any source after 8 Oct 2026" in views["calendar"]


EXTENSION = """# yaml-language-server: $schema=../../site_config/schemas/policies.schema.json
document_number: "Test extension"
title: "Extends the suspension of clause 2 of No. 46"
jurisdiction: "CN"
authorities: ["Ministry of Commerce (MOFCOM)"]
instrument: suspension
minerals: [gallium, germanium, antimony]
summary: "Extends the suspension of clause 2 of No. 46 by a year [@test-extension-source]."
dates:
  announced: 2026-11-20
  effective: 2026-11-28
  expires: 2027-11-27
relations:
  - type: suspends
    policy: cn-mofcom-2024-46
    clause: "2"
    start: 2026-11-28
    end: 2027-11-27
    source: test-extension-source
sources: [test-extension-source]
research_cutoff: 2026-11-20
last_verified: 2026-11-25
"""
EXTENSION_SOURCE = """title: "Extension notice"
publisher: "Ministry of Commerce (MOFCOM)"
published: 2026-11-20
kind: primary
last_verified: 2026-11-25
"""


def test_a_recorded_extension_changes_every_view_alike(tmp_path) -> None:
    extra = {"policies/test-extension.yaml": EXTENSION, "sources/test-extension-source.yaml": EXTENSION_SOURCE}
    views = _views_of_clause_2(docs_on(tmp_path, dt.date(2026, 11, 28), extra))
    for name in ("policy", "gallium"):
        flat = " ".join(views[name].split())
        assert "is suspended by Test extension until 27 Nov 2027" in flat, name
    for name in ("policy", "gallium", "home"):
        assert CLAUSE_2_AGAIN not in views[name], name
    clause_2 = next(c["status"] for c in json.loads(views["api"])["clauses"] if c["id"] == "2")
    assert (clause_2["status"], clause_2["by"], clause_2["until"]) == ("suspended", "test-extension", "2027-11-27")
    assert "suspended by Test extension" in views["calendar"]


def test_a_recorded_confirmation_makes_the_status_confirmed_everywhere(tmp_path) -> None:
    policy = (REPO / "data" / "policies" / "cn-mofcom-2024-46.yaml").read_text(encoding="utf-8")
    check_entry = (
        "status_checks:\n"
        "  - date: 2026-11-28\n"
        '    clause: "2"\n'
        "    status: in-force\n"
        "    source: test-extension-source\n"
    )
    if "status_checks:\n" in policy:
        policy = policy.replace("status_checks:\n", check_entry, 1)
    else:
        policy += check_entry
    extra = {
        "policies/cn-mofcom-2024-46.yaml": policy,
        "sources/test-extension-source.yaml": EXTENSION_SOURCE.replace("2026-11-20", "2026-11-28"),
    }
    views = _views_of_clause_2(docs_on(tmp_path, dt.date(2026, 11, 28), extra))
    for name in ("policy", "gallium", "home"):
        assert CLAUSE_2_AGAIN not in views[name], name
        assert "is in force again from 28 Nov 2026, as sources up to 28 Nov 2026 confirm" in views[name], name
    clause_2 = next(c["status"] for c in json.loads(views["api"])["clauses"] if c["id"] == "2")
    assert (clause_2["status"], clause_2["basis"], clause_2["checked_through"]) == (
        "in-force",
        "confirmed",
        "2026-11-28",
    )
    assert "Scheduled" not in views["calendar"]


# Before a measure was announced


@pytest.mark.parametrize("measure", ["cn-mofcom-2025-72", "cn-mofcom-2025-70"])
def test_a_measure_is_not_shown_as_a_measure_of_a_date_before_its_announcement(tmp_path, measure) -> None:
    docs = docs_on(tmp_path, dt.date(2024, 12, 1))
    pages = [docs / "index.md", docs / "policies" / "index.md", *sorted((docs / "minerals").glob("*.md"))]
    for page in pages:
        assert f"{measure}.md" not in page.read_text(encoding="utf-8"), page.name
    # Its own page says when it was announced.
    assert "Not yet announced" in (docs / "policies" / f"{measure}.md").read_text(encoding="utf-8")


# Editions


def test_mineral_pages_show_mcs_2026_figures_with_their_edition(tmp_path) -> None:
    docs = docs_on(tmp_path, TODAY)
    for mineral in ("gallium", "germanium", "antimony"):
        assert "MCS 2026" in (docs / "minerals" / f"{mineral}.md").read_text(encoding="utf-8"), mineral
    antimony = (docs / "minerals" / "antimony.md").read_text(encoding="utf-8")
    rows = [r for r in antimony.splitlines() if r.startswith("| [China](../countries/cn.md) | Mine | 2024")]
    assert any("60,000" in r and "MCS 2025" in r and "revised in MCS 2026" in r for r in rows), rows
    assert any("40,000" in r and "MCS 2026" in r and "newer edition" in r for r in rows), rows


def test_words_keep_their_spaces_and_lists_name_a_mineral_once(tmp_path) -> None:
    docs = docs_on(tmp_path, TODAY)
    assert "| more than 50 % |" in (docs / "minerals" / "germanium.md").read_text(encoding="utf-8")
    stibnite = (docs / "projects" / "stibnite-gold.md").read_text(encoding="utf-8")
    assert "| up to US$24.8 m |" in stibnite
    assert "m (conditional)" in stibnite
    assert re.search(r"\| Stage on [0-9]+ [A-Z][a-z]{2} 2026 \| not stated by any source seen \|", stibnite)
    crma = (docs / "policies" / "eu-crma-2024-1252.md").read_text(encoding="utf-8")
    listed = crma.split("## Minerals on this list recorded here")[1].split("##")[0]
    assert listed.count("[Gallium]") == 1 and listed.count("[Germanium]") == 1


def test_the_timeline_of_a_measure_marks_what_is_only_scheduled(tmp_path) -> None:
    page = (docs_on(tmp_path, TODAY) / "policies" / "cn-mofcom-2024-46.md").read_text(encoding="utf-8")
    assert "| Clause 2 | In force (scheduled) | 28 Nov 2026 | open\\-ended |" in page
    assert "<title>Clause 2: in force (scheduled) from 28 Nov 2026 on</title>" in page
    assert "| Clause 2 | Suspended | 9 Nov 2025 | 27 Nov 2026 |" in page
