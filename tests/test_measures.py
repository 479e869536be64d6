"""Every critical mineral's export controls: the producer countries' measures on the site, each with its status.

Built from the real data for 3 December 2026, after No. 70's suspension ran out under its own terms
(10 Nov 2026) and while an extension of the wider arrangement to 10 Jan 2027 was reported but not
confirmed; and for 1 December 2025, when Nos. 61 and 62 were suspended by No. 70.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import build_site, generate
from generator.cli import main
from generator.core.config import Layout

from .conftest import REPO
from .html import page_text, parse

DECEMBER_3 = dt.date(2026, 12, 3)
UNCLEAR = "In force since 11 Nov 2026 (unclear: reported suspended until 10 Jan 2027, not confirmed)"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("measures-site")
    layout = Layout.at(REPO, docs_dir=tmp / "docs", site_dir=tmp / "site")
    build_site(layout, DECEMBER_3)
    return layout.site_dir


def docs_on(tmp: Path, day: dt.date, data: Path | None = None) -> Path:
    layout = Layout.at(REPO, data_dir=data or REPO / "data", docs_dir=tmp / "docs", site_dir=tmp / "site")
    generate(layout, day)
    return layout.docs_dir


def measures_on(root: Path, mineral: str) -> dict[str, dict]:
    document = json.loads((root / "api" / "v1" / "minerals" / f"{mineral}.json").read_text(encoding="utf-8"))
    return {p["id"]: p["status"] for p in document["derived"]["policies"]}


def row_of(page: Path, measure: str) -> str:
    """The text of the table row of a built page that starts with `measure`, whitespace collapsed."""
    rows = [" ".join(e.text.split()) for e in parse(page).elements if e.tag == "tr"]
    found = [row for row in rows if row.startswith(measure + " ")]
    assert found, f"{measure} is not listed"
    return found[0]


@pytest.mark.slow
def test_the_rare_earths_page_lists_no_18_in_force_and_nos_61_and_62_unclear(site: Path) -> None:
    page = site / "minerals" / "rare-earths" / "index.html"
    assert row_of(page, "MOFCOM No. 18 of 2025").endswith("Export licensing In force")
    for number in ("61", "62"):
        assert row_of(page, f"MOFCOM No. {number} of 2025").endswith(UNCLEAR)
    statuses = measures_on(site, "rare-earths")
    assert (statuses["cn-mofcom-2025-18"]["status"], statuses["cn-mofcom-2025-18"]["basis"]) == (
        "in-force",
        "confirmed",
    )
    for number in ("61", "62"):
        status = statuses[f"cn-mofcom-2025-{number}"]
        # The terms: in force again since 11 Nov 2026. The report: still suspended to 10 Jan 2027. Neither as fact.
        assert (status["status"], status["since"], status["basis"]) == ("in-force", "2026-11-11", "unclear")
        reported = status["reported"]
        assert (reported["status"], reported["until"], reported["basis"], reported["by"]) == (
            "suspended",
            "2027-01-10",
            "reported",
            "cn-mofcom-2025-70",
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mineral", "measures"),
    [
        ("graphite", {"cn-mofcom-2023-39": "MOFCOM No. 39 of 2023", "cn-mofcom-2025-58": "MOFCOM/GAC No. 58 of 2025"}),
        ("tungsten", {"cn-mofcom-2025-10": "MOFCOM No. 10 of 2025", "cn-mofcom-2025-68": "MOFCOM No. 68 of 2025"}),
        ("cobalt", {"cd-arecoms-2025-004": "ARECOMS 004/2025"}),
        ("nickel", {"id-esdm-2019-11": "Permen ESDM 11/2019"}),
    ],
    ids=["graphite", "tungsten", "cobalt", "nickel"],
)
def test_each_minerals_page_and_api_list_the_producer_measures_that_reach_it(
    site: Path, mineral: str, measures: dict[str, str]
) -> None:
    page = site / "minerals" / mineral / "index.html"
    statuses = measures_on(site, mineral)
    for measure_id, name in measures.items():
        assert " In force" in row_of(page, name), name
        assert statuses[measure_id]["status"] == "in-force", measure_id


@pytest.mark.slow
def test_the_cobalt_quotas_and_the_nickel_ore_ban_are_measures_of_their_kind(site: Path) -> None:
    quotas = json.loads((site / "api/v1/policies/cd-arecoms-2025-004.json").read_text(encoding="utf-8"))["record"]
    ban = json.loads((site / "api/v1/policies/id-esdm-2019-11.json").read_text(encoding="utf-8"))["record"]
    assert (quotas["jurisdiction"], quotas["instrument"], quotas["destinations"]) == ("CD", "export-quota", ["all"])
    assert (ban["jurisdiction"], ban["instrument"]) == ("ID", "ore-export-ban")
    assert ban["processing_threshold"]


@pytest.mark.slow
def test_no_not_verified_item_is_on_the_site(site: Path) -> None:
    """The NV items of the third fact sheet's sections 1, 2 and 5, and its traps, appear nowhere."""
    absent = [
        "renewed every 6 months",
        "renewed every six months",
        "era of exporting raw solid minerals",
        "imposed last year",
        "Busan Agreement",
        "still UNVERIFIED",
        "氯气",
        "chlorine",
        "2026年第12号",
        "第99号",
        "Suspension expires: 28 November 2026",
        "suspended through November 28",
    ]
    found = {
        (page.relative_to(site).as_posix(), phrase)
        for page in sorted(site.rglob("*.html"))
        for phrase in absent
        if phrase.lower() in page.read_text(encoding="utf-8").lower()
    }
    assert found == set()
    policies = json.loads((site / "api/v1/policies/index.json").read_text(encoding="utf-8"))["items"]
    assert [p["id"] for p in policies if p["jurisdiction"] == "NG"] == []


@pytest.mark.slow
def test_a_country_page_shows_the_measures_it_imposes_before_its_production(site: Path) -> None:
    text = page_text(site / "countries" / "cd" / "index.html")
    assert text.index("Measures it imposes") < text.index("Share of world output")
    assert "ARECOMS 004/2025" in text


@pytest.mark.slow
def test_on_1_december_2025_nos_61_and_62_are_suspended_by_no_70(tmp_path: Path) -> None:
    docs = docs_on(tmp_path, dt.date(2025, 12, 1))
    statuses = measures_on(docs, "rare-earths")
    for number in ("61", "62"):
        status = statuses[f"cn-mofcom-2025-{number}"]
        assert (status["status"], status["by"], status["until"], status["basis"]) == (
            "suspended",
            "cn-mofcom-2025-70",
            "2026-11-10",
            "confirmed",
        )
    page = (docs / "minerals" / "rare-earths.md").read_text(encoding="utf-8").replace("\\", "")
    for number in ("61", "62"):
        row = next(r for r in page.splitlines() if f"[MOFCOM No. {number} of 2025]" in r)
        assert "Suspended until 10 Nov 2026" in row


OFFICIAL_EXTENSION = """\
# yaml-language-server: $schema=../../site_config/schemas/sources.schema.json
title: "Announcement extending the suspension of Announcements No. 55 to 58, 61 and 62 of 2025"
publisher: "Ministry of Commerce of the People's Republic of China (MOFCOM)"
published: "2026-11-09"
kind: primary
note: "A stand-in official notice, for this test only."
last_verified: 2026-12-01
"""
CHECK = """status_checks:
  - date: 2026-11-09
    through: 2027-01-10
    status: suspended
    source: test-official-extension
"""


def with_official_extension(tmp_path: Path) -> Path:
    """A copy of the real data in which an official notice confirms the extension for No. 61."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    (data / "sources" / "test-official-extension.yaml").write_text(OFFICIAL_EXTENSION, encoding="utf-8")
    record = data / "policies" / "cn-mofcom-2025-61.yaml"
    text = record.read_text(encoding="utf-8")
    assert "\nstatus_checks:\n" in text
    record.write_text(text.replace("\nstatus_checks:\n", "\n" + CHECK, 1), encoding="utf-8")
    return data


@pytest.mark.slow
def test_a_status_check_from_an_official_notice_turns_the_report_into_fact_everywhere(tmp_path: Path) -> None:
    data = with_official_extension(tmp_path)
    docs = docs_on(tmp_path, DECEMBER_3, data)
    # The API documents of the measure and of the mineral.
    document = json.loads((docs / "api/v1/policies/cn-mofcom-2025-61.json").read_text(encoding="utf-8"))
    status = document["derived"]["status"]
    assert (status["status"], status["until"], status["basis"], status["reported"]) == (
        "suspended",
        "2027-01-10",
        "confirmed",
        None,
    )
    assert measures_on(docs, "rare-earths")["cn-mofcom-2025-61"] == status
    assert "unclear" not in document["derived"]["answer"] and "until 10 Jan 2027" in document["derived"]["answer"]
    # The CSV row.
    rows = csv.DictReader(io.StringIO((docs / "downloads/policies.csv").read_text(encoding="utf-8-sig")))
    row = next(r for r in rows if r["id"] == "cn-mofcom-2025-61")
    assert (row["status"], row["status_basis"], row["status_until"], row["status_reported"]) == (
        "suspended",
        "confirmed",
        "2027-01-10",
        "",
    )
    # The pages: the mineral's table and the measure's own badge.
    mineral = (docs / "minerals" / "rare-earths.md").read_text(encoding="utf-8").replace("\\", "")
    row_61 = next(r for r in mineral.splitlines() if "[MOFCOM No. 61 of 2025]" in r)
    assert "Suspended until 10 Jan 2027<" in row_61 and "unclear" not in row_61
    measure = (docs / "policies" / "cn-mofcom-2025-61.md").read_text(encoding="utf-8")
    assert "unclear" not in measure.split("## ")[0]
    # The calendar and `atlas status`.
    calendar = (docs / "feeds/policies/cn-mofcom-2025-61.ics").read_text(encoding="utf-8")
    assert "Unclear" not in calendar
    result = CliRunner().invoke(
        main,
        ["status", "cn-mofcom-2025-61", "--today", "2026-12-03", "--json", "--data", str(data), "--root", str(REPO)],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["derived"]["status"]["basis"] == "confirmed"


@pytest.mark.slow
def test_without_the_official_notice_the_same_outputs_say_unclear(tmp_path: Path) -> None:
    """The contrast that shows the test above can fail: the real data leave No. 61 unclear in each output."""
    docs = docs_on(tmp_path, DECEMBER_3)
    document = json.loads((docs / "api/v1/policies/cn-mofcom-2025-61.json").read_text(encoding="utf-8"))
    assert document["derived"]["status"]["basis"] == "unclear"
    rows = csv.DictReader(io.StringIO((docs / "downloads/policies.csv").read_text(encoding="utf-8-sig")))
    row = next(r for r in rows if r["id"] == "cn-mofcom-2025-61")
    assert (row["status_basis"], row["status_reported"], row["status_reported_until"]) == (
        "unclear",
        "suspended",
        "2027-01-10",
    )
    calendar = (docs / "feeds/policies/cn-mofcom-2025-61.ics").read_text(encoding="utf-8")
    assert "Unclear" in calendar or "unclear" in calendar.lower()
