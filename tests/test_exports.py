"""Exports: the JSON API and its schema, the CSV downloads, the Atom feeds and the calendar."""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import jsonschema
import pytest
from click.testing import CliRunner

from generator.build import Layout, generate
from generator.cli import main
from generator.core.config import DEFAULT_SETTINGS, Settings
from generator.exports.api import SCHEMA_VERSION
from generator.records.wording import Basis

from .conftest import REPO, TODAY

AFTER_SUSPENSION = dt.date(2026, 12, 1)
TAG = "tag:critical-minerals-atlas,2025:"
BOM = b"\xef\xbb\xbf"
COLLECTIONS = ("events", "minerals", "observations", "policies", "projects", "sources")

TRICKY_TITLE = '<b>Odd</b>, "No. 3"'
TRICKY_SUMMARY = 'Bans <script>alert(1)</script> exports,"all" of them\nand more.'

# A second mineral with a measure of its own, whose texts hold markup, quotes, a comma and a newline.
EXTRA_TREE: dict[str, str | bytes | None] = {
    "minerals/germanium.yaml": """
        name: Germanium
        symbol: Ge
        atomic_number: 32
        summary: A by-product metal used in optics.
        last_verified: 2026-11-02
        research_cutoff: 2026-10-05
        sources: [usgs-gallium]
        """,
    "policies/quirk.yaml": """
        document_number: Announcement No. 3
        short_title: '<b>Odd</b>, "No. 3"'
        title: Licensing of germanium
        jurisdiction: CN
        authorities: [MOFCOM]
        instrument: export-licensing
        minerals: [germanium]
        summary: |-
          Bans <script>alert(1)</script> exports,"all" of them
          and more.
        dates:
          announced: 2023-07-03
          effective: 2023-08-01
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [mofcom-ban]
        """,
}


@pytest.fixture(scope="module")
def real_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate the docs folder from the real data, as of TODAY."""
    tmp = tmp_path_factory.mktemp("real")
    layout = Layout.at(REPO, docs_dir=tmp / "docs", site_dir=tmp / "site")
    generate(layout, TODAY)
    return layout.docs_dir


def built(data_tree: Any, today: dt.date = TODAY, settings: Settings = DEFAULT_SETTINGS) -> Path:
    """Generate the fixture tree with the extra records, as of `today`; return the docs folder."""
    layout: Layout = data_tree(EXTRA_TREE)
    generate(layout, today, settings=settings)
    return layout.docs_dir


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def api_documents(docs: Path) -> Iterator[Path]:
    return (p for p in sorted((docs / "api" / "v1").rglob("*.json")) if p.name != "schema.json")


def feed_ids(path: Path) -> list[str]:
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    return [entry.id.removeprefix(TAG) for entry in feed.entries]


def calendar_events(path: Path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


# JSON API


def test_the_api_has_an_index_per_collection_and_a_document_per_record(real_docs: Path) -> None:
    expected = set()
    for collection in COLLECTIONS:
        expected.add(f"api/v1/{collection}/index.json")
        expected |= {f"api/v1/{collection}/{p.stem}.json" for p in (REPO / "data" / collection).glob("*.yaml")}
    assert {p.relative_to(real_docs).as_posix() for p in api_documents(real_docs)} == expected


def test_every_api_document_validates_against_the_published_schema(real_docs: Path) -> None:
    schema = read_json(real_docs / "api" / "v1" / "schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    checked = 0
    for path in api_documents(real_docs):
        document = read_json(path)
        errors = [f"{path.name}: {e.json_path}: {e.message}" for e in validator.iter_errors(document)]
        assert errors == []
        # The document also matches the definition for its own kind, not just any of them.
        kind = "index" if path.name == "index.json" else "document"
        own = {"$ref": f"#/$defs/{document['collection']}_{kind}", "$defs": schema["$defs"]}
        assert list(jsonschema.Draft202012Validator(own).iter_errors(document)) == []
        checked += 1
    assert checked == len(COLLECTIONS) + sum(len(list((REPO / "data" / c).glob("*.yaml"))) for c in COLLECTIONS)


@pytest.mark.parametrize(
    ("path", "change"),
    [
        (("derived", "status", "status"), "paused"),
        (("derived", "review_due"), "no"),
        (("derived", "knowledge_stale"), "no"),
        (("record", "id"), "cn-mofcom-2024-46"),
        (("record", "dates", "announced"), 20241203),
        (("schema_version",), "0.9"),
        (("generated_at",), "24 Nov 2026"),
    ],
    ids=[
        "unknown-status",
        "review-not-boolean",
        "stale-not-boolean",
        "record-with-id",
        "date-as-number",
        "old-version",
        "date-as-words",
    ],
)
def test_the_schema_rejects_a_document_that_breaks_it(real_docs: Path, path: tuple[str, ...], change: Any) -> None:
    schema = read_json(real_docs / "api" / "v1" / "schema.json")
    document = copy.deepcopy(read_json(real_docs / "api" / "v1" / "policies" / "cn-mofcom-2024-46.json"))
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = change
    assert not jsonschema.Draft202012Validator(schema).is_valid(document)


def test_a_policy_document_keeps_the_record_apart_from_the_derived_status(real_docs: Path) -> None:
    document = read_json(real_docs / "api" / "v1" / "policies" / "cn-mofcom-2024-46.json")
    assert {k: v for k, v in document.items() if k not in ("record", "derived")} == {
        "collection": "policies",
        "generated_at": "2026-11-24",
        "id": "cn-mofcom-2024-46",
        "last_verified": "2026-12-04",
        "page": "policies/cn-mofcom-2024-46/",
        "schema_version": SCHEMA_VERSION,
    }
    assert "id" not in document["record"]
    assert document["record"]["document_number"] == "MOFCOM Announcement No. 46 of 2024"
    assert document["derived"]["clauses"][1] == {
        "id": "2",
        "status": {
            "status": "suspended",
            "label": "Suspended",
            "since": "2025-11-09",
            "until": "2026-11-27",
            "by": "cn-mofcom-2025-72",
            "basis": "confirmed",
            # Confirmed by the official notice; the research note of 5 Oct 2026 is secondary: it reports, not confirms.
            "checked_through": "2025-11-09",
            "reported_through": "2026-10-05",
            "reported": None,
        },
    }
    assert document["derived"]["acted_on_by"] == [
        {"policy": "cn-mofcom-2025-72", "type": "suspends", "clause": "2", "start": "2025-11-09", "end": "2026-11-27"}
    ]


def test_a_source_document_lists_the_records_citing_it(data_tree: Any) -> None:
    docs = built(data_tree)
    document = read_json(docs / "api" / "v1" / "sources" / "mofcom-pause.json")
    assert document["derived"] == {
        "cited_by": [{"collection": "events", "id": "talks"}, {"collection": "policies", "id": "pause"}],
        "review_due": False,
        "knowledge_stale": False,
    }


# CSV


def test_csv_files_are_utf8_with_a_bom_and_crlf_line_ends(real_docs: Path) -> None:
    for path in sorted((real_docs / "downloads").glob("*.csv")):
        raw = path.read_bytes()
        assert raw.startswith(BOM), path.name
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), path.name
    names = sorted(p.name for p in (real_docs / "downloads").glob("*.csv"))
    assert names == [f"{c}.csv" for c in sorted([*COLLECTIONS, "production"])]


def _as_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def test_policies_csv_round_trips_to_the_json_documents(real_docs: Path) -> None:
    rows = read_csv(real_docs / "downloads" / "policies.csv")
    expected = []
    for item in read_json(real_docs / "api" / "v1" / "policies" / "index.json")["items"]:
        document = read_json(real_docs / item["document"])
        record, derived, status = document["record"], document["derived"], document["derived"]["status"]
        expected.append(
            {
                "id": document["id"],
                **{
                    key: _as_cell(record.get(key))
                    for key in (
                        "document_number",
                        "short_title",
                        "title",
                        "jurisdiction",
                        "authorities",
                        "instrument",
                        "minerals",
                        "targets",
                        "summary",
                        "verification",
                        "sources",
                    )
                },
                **{key: _as_cell(record["dates"].get(key)) for key in ("announced", "effective", "expires", "revoked")},
                "status_as_of": document["generated_at"],
                "status": status["status"],
                "status_label": status["label"],
                "status_since": _as_cell(status["since"]),
                "status_until": _as_cell(status["until"]),
                "status_by": _as_cell(status["by"]),
                "status_basis": status["basis"],
                "status_checked_through": _as_cell(status["checked_through"]),
                "status_reported_through": _as_cell(status["reported_through"]),
                "status_reported": _as_cell(status["reported"] and status["reported"]["status"]),
                "status_reported_until": _as_cell(status["reported"] and status["reported"]["until"]),
                "suspended_clauses": _as_cell(
                    [c["id"] for c in derived["clauses"] if c["status"]["status"] == "suspended"]
                ),
                "last_verified": document["last_verified"],
                "page": document["page"],
            }
        )
    assert len(rows) == len(list((REPO / "data" / "policies").glob("*.yaml")))
    assert rows == expected


def _figure_from_row(row: dict[str, str]) -> dict[str, Any]:
    """Turn a production.csv row back into the fields of a figure in a mineral's JSON record."""
    figure: dict[str, Any] = {
        "year": int(row["year"]),
        "stage": row["stage"],
        "scope": row["scope"],
        "unit": row["unit"],
        "estimated": {"true": True, "false": False}[row["estimated"]],
        "source": row["source"],
    }
    for key in ("value", "share"):
        if row[key]:
            figure[key] = float(row[key])
    if row["note"]:
        figure["note"] = row["note"]
    if row["edition"]:
        figure["edition"] = row["edition"]
    if row["country"] == "WORLD":
        figure["producing_countries"] = row["producing_countries"].split("; ") if row["producing_countries"] else []
    else:
        assert row["producing_countries"] == ""
        figure["country"] = row["country"]
    return {"mineral": row["mineral"], **figure}


def test_production_csv_round_trips_to_the_json_documents_with_world_totals_as_world(real_docs: Path) -> None:
    rows = read_csv(real_docs / "downloads" / "production.csv")
    expected = []
    for path in sorted((real_docs / "api" / "v1" / "minerals").glob("*.json")):
        if path.name == "index.json":
            continue
        document = read_json(path)
        record = document["record"]
        for figure in [*record.get("production", []), *record.get("world_production", [])]:
            expected.append({"mineral": document["id"], **figure})
    assert [_figure_from_row(row) for row in rows] == expected
    assert sum(1 for row in rows if row["country"] == "WORLD") == sum(
        1 for figure in expected if "producing_countries" in figure
    )
    assert rows[0].keys() == {
        "mineral",
        "country",
        "year",
        "stage",
        "scope",
        "value",
        "unit",
        "share",
        "estimated",
        "edition",
        "source",
        "note",
        "producing_countries",
    }


# Atom


def test_the_site_feed_lists_changes_newest_first_and_no_checks_of_records(data_tree: Any) -> None:
    docs = built(data_tree, AFTER_SUSPENSION)
    assert feed_ids(docs / "feeds" / "atom.xml") == [
        "policies/ban/clauses/2/status/2026-11-28",
        "policies/pause/status/2026-11-28",
        "policies/ban/clauses/2/status/2025-11-09",
        "policies/pause/status/2025-11-09",
        "events/talks/date/2025-10-25",
        "policies/ban/status/2024-12-03",
        "policies/quirk/status/2023-08-01",
        # Announced on 3 Jul 2023, in force from 1 Aug: the announcement is a change of its own.
        "policies/quirk/announced",
    ]


def test_checks_of_records_have_a_feed_of_their_own(data_tree: Any) -> None:
    docs = built(data_tree, AFTER_SUSPENSION)
    assert feed_ids(docs / "feeds" / "reviews.xml") == [
        "minerals/germanium",
        "events/talks",
        "minerals/gallium",
        "policies/ban",
        "policies/pause",
        "policies/quirk",
        "projects/mine",
    ]
    feed = feedparser.parse((docs / "feeds" / "reviews.xml").read_bytes())
    assert feed.feed.title == "Critical Minerals Atlas: records checked"
    assert feed.entries[0].title == "Mineral Germanium: checked against its sources — 2 Nov 2026"


def test_the_feed_says_what_changed_its_basis_and_its_date(data_tree: Any) -> None:
    docs = built(data_tree, AFTER_SUSPENSION)
    feed = feedparser.parse((docs / "feeds" / "atom.xml").read_bytes())
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        # An ending is dated by its last day, as in the calendar; no source after it says it ended.
        "Announcement No. 1: suspension of clause 2 ends (scheduled, not confirmed) — 27 Nov 2026",
        "Announcement No. 2: expires (scheduled, not confirmed) — 27 Nov 2026",
        "Announcement No. 1: clause 2 suspended by Announcement No. 2 (confirmed) — 9 Nov 2025",
        "Announcement No. 2: announced and in force (confirmed) — 9 Nov 2025",
        "Talks — 25 Oct 2025",
        "Announcement No. 1: announced and in force (confirmed) — 3 Dec 2024",
        f"{TRICKY_TITLE}: takes effect (confirmed) — 1 Aug 2023",
        f"{TRICKY_TITLE}: announced — 3 Jul 2023",
    ]
    first = feed.entries[0]
    assert first.summary == (
        "The suspension of clause 2 of Announcement No. 1 by Announcement No. 2 ended after 27 Nov 2026; "
        "from 28 Nov 2026 it is in force again. This follows from the measures' own terms; not confirmed by any "
        "source after 5 Oct 2026."
    )
    assert first.updated == "2026-11-28T00:00:00+00:00"
    assert first.link == "../policies/ban/"
    assert feed.entries[6].summary == f"{TRICKY_TITLE} is in force from 1 Aug 2023."
    assert (
        feed.entries[7].summary == "Licensing of germanium was announced on 3 Jul 2023. It takes effect on 1 Aug 2023."
    )
    assert feed.entries[4].summary == "25 Oct 2025: Two sides met."
    assert feed.feed.updated == "2026-11-28T00:00:00+00:00"
    assert feed.feed.id == TAG + "feeds/atom"
    assert feed.feed.title == "Critical Minerals Atlas: changes"


def test_the_feed_leaves_out_changes_after_the_as_of_date(data_tree: Any) -> None:
    docs = built(data_tree, TODAY)
    ids = feed_ids(docs / "feeds" / "atom.xml")
    assert ids[:2] == ["policies/ban/clauses/2/status/2025-11-09", "policies/pause/status/2025-11-09"]
    assert [i for i in ids if i.endswith("2026-11-28")] == []


def test_a_mineral_feed_holds_only_that_minerals_changes(data_tree: Any) -> None:
    docs = built(data_tree, AFTER_SUSPENSION)
    assert feed_ids(docs / "feeds" / "germanium.xml") == [
        "policies/quirk/status/2023-08-01",
        "policies/quirk/announced",
    ]
    gallium = feed_ids(docs / "feeds" / "gallium.xml")
    assert gallium == [i for i in feed_ids(docs / "feeds" / "atom.xml") if "quirk" not in i]


def test_a_corrected_figure_is_a_change_dated_by_its_correction(real_docs: Path) -> None:
    feed = feedparser.parse((real_docs / "feeds" / "atom.xml").read_bytes())
    corrected = [e for e in feed.entries if e.category == "correction"]
    assert [(e.id.removeprefix(TAG), e.title, e.updated) for e in corrected] == [
        (
            "observations/usgs-mcs-2026-rare-earths/line/6109/corrected",
            "MCS 2026 Rare Earths: Brazil, reserves 2025 (metric tons) corrected from 21,000,000 to 11,000,000 "
            "— 27 May 2026",
            "2026-05-27T00:00:00+00:00",
        ),
        (
            "observations/usgs-mcs-2026-rare-earths/line/6124/corrected",
            "MCS 2026 Rare Earths: World total, reserves 2025 (metric tons) corrected from >85,000,000 to "
            ">75,000,000 — 27 May 2026",
            "2026-05-27T00:00:00+00:00",
        ),
    ]
    assert corrected[0].link == "../minerals/rare-earths/"
    assert corrected[0].summary.endswith(
        "USGS version 1.3 (27 May 2026) changed Brazil's rare-earth reserves from 21,000,000 to 11,000,000 t."
    )


# Re-verification titles looked like "Policy: <name>"; a change's title names what changed.
GENERIC_TITLE = re.compile(r"^(Mineral|Policy|Project|Source|Event|Figure set): [^—]*$")
CHANGE_WORDS = re.compile(
    r"(takes effect|suspended by|suspension (of clause \S+ )?ends|expires|closes|superseded by|revoked|announced"
    r"|corrected from .+ to )"
)


def test_no_real_changes_feed_lists_a_check_and_every_entry_names_its_change(real_docs: Path) -> None:
    feeds = sorted((real_docs / "feeds").glob("*.xml"))
    assert len(feeds) > 3
    checked = 0
    for path in feeds:
        if path.name == "reviews.xml":
            continue
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, path
        for entry in feed.entries:
            assert entry.category in ("status", "announced", "event", "correction"), (path.name, entry.id)
            assert "Last verified" not in entry.summary and "checked against its sources" not in entry.title
            assert not GENERIC_TITLE.match(entry.title), (path.name, entry.title)
            # Every title ends with the day it speaks of; a status or a figure says what happened to it.
            assert re.search(r" — \d{1,2} [A-Z][a-z]{2} \d{4}( to \d{1,2} [A-Z][a-z]{2} \d{4})?$", entry.title), (
                entry.title
            )
            if entry.category != "event":
                assert CHANGE_WORDS.search(entry.title), entry.title
            if entry.category == "status":
                labels = "|".join(re.escape(b.words.label) for b in Basis.every())
                assert re.search(rf"\(({labels})\) — ", entry.title), entry.title
            assert entry.summary.strip() and entry.summary != entry.title
            checked += 1
    assert checked > 30


def test_feed_links_are_absolute_when_the_site_address_is_set(data_tree: Any) -> None:
    settings = Settings.from_environment({"ATLAS_SITE_URL": "https://atlas.example.org/atlas"})
    docs = built(data_tree, AFTER_SUSPENSION, settings)
    feed = feedparser.parse((docs / "feeds" / "gallium.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.entries[0].link == "https://atlas.example.org/atlas/policies/ban/"
    assert [link.href for link in feed.feed.links] == [
        "https://atlas.example.org/atlas/",
        "https://atlas.example.org/atlas/feeds/gallium.xml",
    ]
    event = calendar_events(docs / "feeds" / "calendar.ics")[0]
    assert str(event["url"]) == "https://atlas.example.org/atlas/policies/ban/"


def test_a_site_address_that_is_not_http_is_refused_before_any_work(data_tree: Any) -> None:
    layout: Layout = data_tree(EXTRA_TREE)
    args = ["build", "--today", TODAY.isoformat(), "--data", str(layout.data_dir), "--docs-dir", str(layout.docs_dir)]
    result = CliRunner().invoke(
        main, [*args, "--site-dir", str(layout.site_dir)], env={"ATLAS_SITE_URL": "javascript:alert(1)"}
    )
    assert result.exit_code == 1
    assert "Error: ATLAS_SITE_URL 'javascript:alert(1)' is not a plain http(s) address: " in result.output
    # The setting is checked before any work: nothing was generated.
    assert not layout.docs_dir.exists()


# Calendar


def test_the_calendar_shows_the_end_of_the_suspension_on_its_last_day(real_docs: Path) -> None:
    events = calendar_events(real_docs / "feeds" / "calendar.ics")
    on_the_day = [
        (str(e["uid"]), str(e["summary"]), e.decoded("dtend"))
        for e in events
        if e.decoded("dtstart") == dt.date(2026, 11, 27)
    ]
    assert on_the_day == [
        (
            "policies/cn-mofcom-2024-46/clauses/2/status/2026-11-28@critical-minerals-atlas",
            "Suspension of clause 2 of MOFCOM No. 46 of 2024 ends after 27 Nov 2026",
            dt.date(2026, 11, 28),
        ),
        (
            "policies/cn-mofcom-2025-72/status/2026-11-28@critical-minerals-atlas",
            "MOFCOM No. 72 of 2025 expires after 27 Nov 2026",
            dt.date(2026, 11, 28),
        ),
    ]
    ending = next(e for e in events if str(e["uid"]).startswith("policies/cn-mofcom-2024-46/clauses/2/status/2026"))
    assert str(ending["description"]) == (
        "27 Nov 2026 is the last day of the suspension of clause 2 of MOFCOM No. 46 of 2024 by "
        "MOFCOM No. 72 of 2025, under its terms. From 28 Nov 2026 it is in force. This follows from the measures' "
        "own terms; not confirmed by any source after 8 Oct 2026."
    )
    assert ending.decoded("dtstamp") == dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    assert [a.decoded("trigger") for a in ending.walk("VALARM")] == [dt.timedelta(days=-1)]


def test_the_calendar_holds_upcoming_and_two_years_of_past_dates_in_order(data_tree: Any) -> None:
    docs = built(data_tree)
    events = [(e.decoded("dtstart"), str(e["summary"])) for e in calendar_events(docs / "feeds" / "calendar.ics")]
    # 1 Aug 2023, when the tricky-titled measure took effect, is more than two years before 24 Nov 2026.
    assert events == [
        (dt.date(2024, 12, 3), "Announcement No. 1 takes effect"),
        (dt.date(2025, 10, 25), "Talks"),
        (dt.date(2025, 11, 9), "Clause 2 of Announcement No. 1 suspended by Announcement No. 2"),
        (dt.date(2025, 11, 9), "Announcement No. 2 takes effect"),
        (dt.date(2026, 11, 27), "Suspension of clause 2 of Announcement No. 1 ends after 27 Nov 2026"),
        (dt.date(2026, 11, 27), "Announcement No. 2 expires after 27 Nov 2026"),
    ]


# Determinism and escaping


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_generations_of_the_same_data_are_byte_identical(data_tree: Any) -> None:
    layout: Layout = data_tree(EXTRA_TREE)
    generate(layout, AFTER_SUSPENSION)
    again = dataclasses.replace(layout, docs_dir=layout.docs_dir.with_name("docs-again"))
    generate(again, AFTER_SUSPENSION)
    first, second = _tree(layout.docs_dir), _tree(again.docs_dir)
    assert [p for p in first if p.startswith(("api/", "downloads/", "feeds/"))] != []
    assert first == second


def test_text_with_markup_quotes_and_a_newline_survives_every_format(data_tree: Any) -> None:
    docs = built(data_tree)
    record = read_json(docs / "api" / "v1" / "policies" / "quirk.json")["record"]
    assert (record["short_title"], record["summary"]) == (TRICKY_TITLE, TRICKY_SUMMARY)

    row = next(r for r in read_csv(docs / "downloads" / "policies.csv") if r["id"] == "quirk")
    assert (row["short_title"], row["summary"]) == (TRICKY_TITLE, TRICKY_SUMMARY)
    raw_csv = (docs / "downloads" / "policies.csv").read_bytes().decode("utf-8-sig")
    assert '"Bans <script>alert(1)</script> exports,""all"" of them\nand more."' in raw_csv

    raw_feed = (docs / "feeds" / "germanium.xml").read_bytes()
    assert b"<b>" not in raw_feed and b"&lt;b&gt;Odd&lt;/b&gt;" in raw_feed
    entry = next(e for e in feedparser.parse(raw_feed).entries if e.id == TAG + "policies/quirk/status/2023-08-01")
    assert entry.title == f"{TRICKY_TITLE}: takes effect (confirmed) — 1 Aug 2023"
    raw_reviews = (docs / "feeds" / "reviews.xml").read_bytes()
    assert b"<script>" not in raw_reviews and b"<b>" not in raw_reviews
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in raw_reviews
    entry = next(e for e in feedparser.parse(raw_reviews).entries if e.id == TAG + "policies/quirk")
    assert entry.title == f"Policy {TRICKY_TITLE}: checked against its sources — 1 Nov 2026"
    assert entry.summary == f"Last verified against its sources on 1 Nov 2026. {TRICKY_SUMMARY}"

    # As of 2024, the tricky measure's taking effect (1 Aug 2023) is within the calendar's two past years.
    event = calendar_events(built(data_tree, dt.date(2024, 1, 1)) / "feeds" / "calendar.ics")[0]
    # As of 2024 no source published after it took effect had been seen: scheduled, not confirmed.
    assert str(event["summary"]) == f"{TRICKY_TITLE} takes effect (scheduled)"


# The Data and API page


def test_the_data_page_links_only_to_files_that_exist(real_docs: Path) -> None:
    page = (real_docs / "data.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page)
    assert "feeds/antimony.xml" in targets and "api/v1/schema.json" in targets
    assert "feeds/reviews.xml" in targets and "feeds/policies/cn-mofcom-2024-46.ics" in targets
    # The one address outside the site is the licence's.
    assert [t for t in targets if "://" in t] == ["https://creativecommons.org/licenses/by/4.0/"]
    assert [t for t in targets if "://" not in t and not (real_docs / t).is_file()] == []


def test_the_data_page_states_the_schema_version_and_every_csv_column(real_docs: Path) -> None:
    page = (real_docs / "data.md").read_text(encoding="utf-8")
    assert f'"schema_version": "{SCHEMA_VERSION}"' in page
    for path in sorted((real_docs / "downloads").glob("*.csv")):
        header = next(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
        assert f"[`downloads/{path.name}`](downloads/{path.name}): `{', '.join(header)}`" in page


def test_every_observation_links_to_the_mineral_page_that_shows_it_or_to_none(real_docs: Path) -> None:
    rows = {row["id"]: row for row in read_csv(real_docs / "downloads" / "observations.csv")}
    index = {item["id"]: item for item in read_json(real_docs / "api" / "v1" / "observations" / "index.json")["items"]}
    assert len(rows) == len(index) == len(list((REPO / "data" / "observations").glob("*.yaml")))
    for set_id, row in rows.items():
        document = read_json(real_docs / "api" / "v1" / "observations" / f"{set_id}.json")
        assert row["page"] == (document["page"] or "") == (index[set_id]["page"] or ""), set_id
        if document["page"]:
            assert (real_docs / (document["page"].rstrip("/") + ".md")).is_file(), set_id
    assert rows["usgs-mcs-2026-cobalt"]["page"] == "minerals/cobalt/"
    assert rows["usgs-mcs-2026-cement"]["page"] == ""


def test_each_mineral_has_a_csv_of_all_its_figures_linked_from_its_page(real_docs: Path) -> None:
    cobalt = read_csv(real_docs / "downloads" / "figures" / "cobalt.csv")
    lines = {row["line"] for row in cobalt if row["line"] and row["edition"] == "MCS 2026"}
    figures = read_json(real_docs / "api" / "v1" / "observations" / "usgs-mcs-2026-cobalt.json")["record"]
    assert lines == {str(f["line"]) for s in figures["sections"] for f in s["figures"]}
    congo = next(r for r in cobalt if (r["line"], r["edition"]) == ("1868", "MCS 2026"))
    assert (congo["value"], congo["estimated"], congo["share_computed"], congo["content"]) == (
        "230,000",
        "true",
        "73.1087",
        "metric tons, cobalt content, unless otherwise specified",
    )
    earlier = {
        (r["edition"], r["release_file"]) for r in cobalt if r["edition"] in ("MCS 2023", "MCS 2024", "MCS 2025")
    }
    assert earlier == {
        ("MCS 2023", "mcs2023-cobal_world.csv"),
        ("MCS 2024", "mcs2024-cobal_world.csv"),
        ("MCS 2025", "MCS2025_World_Data.csv"),
    }
    lithium = read_csv(real_docs / "downloads" / "figures" / "lithium.csv")
    withheld = next(r for r in lithium if r["area"] == "United States" and r["value"] == "W")
    assert withheld["meaning"] == "withheld to avoid disclosing company data"
    page = (real_docs / "minerals" / "cobalt.md").read_text(encoding="utf-8")
    assert "[all its figures as CSV](../downloads/figures/cobalt.csv)" in page


@pytest.mark.parametrize("mineral", ["cobalt", "rare-earths"])
def test_the_api_and_the_page_give_production_over_every_edition(real_docs: Path, mineral: str) -> None:
    series = read_json(real_docs / "api" / "v1" / "minerals" / f"{mineral}.json")["derived"]["production_series"]
    leader = "CD" if mineral == "cobalt" else "CN"
    given = {(v["year"], v["edition"]): v for v in series if v["area"] == leader}
    assert {year for year, _ in given} == {"2021", "2022", "2023", "2024", "2025"}
    assert given[("2022", "MCS 2024")]["newest"] and not given[("2022", "MCS 2023")]["newest"]
    source = given[("2022", "MCS 2023")]["observations"]
    assert (real_docs / source).is_file()
    page = (real_docs / "minerals" / f"{mineral}.md").read_text(encoding="utf-8")
    assert "## Production by country over the years" in page
    assert "| Country | 2021 | 2022 | 2023 | 2024 | 2025 | " in page
    assert "production of the leading producers over the years</title>" in page
