"""Supply concentration: shares that add up to at most the whole, tables grouped as USGS lays them out, every method said."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from generator.build import Layout, check, generate
from generator.core.concentration import Concentration, Share, concentrations
from generator.records.dataset import Dataset

from .conftest import REPO

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return check(Layout.at(REPO), TODAY).dataset


@pytest.fixture(scope="module")
def tables(dataset) -> dict[str, list[Concentration]]:
    return {set_id: concentrations(figures) for set_id, figures in dataset.figure_sets.items()}


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("concentration")
    generate(Layout.at(REPO, docs_dir=tmp / "docs", site_dir=tmp / "site"), TODAY)
    return tmp / "docs"


def impossible(table: Concentration) -> list[str]:
    """What a table claims that cannot be: a share above 100 %, a top three above 100 %, an index above 10,000."""
    name = f"{table.chapter} {table.title}"
    found = [f"{name}: {s.country} {s.percent:.2f} %" for s in table.shares if not 0 <= s.percent <= 100 + 1e-9]
    if table.top_three > 100 + 1e-9:
        found.append(f"{name}: top three {table.top_three:.2f} %")
    if not 0 <= table.hhi <= 10_000 + 1e-6:
        found.append(f"{name}: HHI {table.hhi:.0f}")
    if not table.shares and not table.reason.strip():
        found.append(f"{name}: no shares and no reason")
    if table.lower_bound and not table.uncounted:
        found.append(f"{name}: a lower bound without its reason")
    return found


def test_no_table_of_the_release_has_an_impossible_share_index_or_an_unexplained_gap(tables) -> None:
    every = [t for found in tables.values() for t in found]
    assert len(every) > 250
    assert [problem for t in every for problem in impossible(t)] == []


def test_the_bounds_check_finds_a_planted_impossible_table(tables) -> None:
    gallium = next(t for t in tables["usgs-mcs-2026-gallium"] if (t.statistic, t.year) == ("Production", "2025"))
    leader = gallium.shares[0]
    planted = replace(gallium, shares=[Share(leader.country, leader.figure, 101.0), *gallium.shares[1:]])
    assert impossible(planted) == [
        "GALLIUM Production, 2025: Primary production: CN 101.00 %",
        "GALLIUM Production, 2025: Primary production: top three 101.99 %",
        "GALLIUM Production, 2025: Primary production: HHI 10202",
    ]
    assert impossible(replace(gallium, shares=[], reason=" ")) == [
        "GALLIUM Production, 2025: Primary production: no shares and no reason"
    ]


def _table(tables, set_id: str, statistic: str, year: str, scope: str = "") -> Concentration:
    return next(t for t in tables[set_id] if (t.statistic, t.year) == (statistic, year) and t.scope.startswith(scope))


def test_gallium_2025_shares_are_of_the_listed_rows_that_exceed_the_rounded_total(tables) -> None:
    table = _table(tables, "usgs-mcs-2026-gallium", "Production", "2025")
    assert (table.total.value, table.base, table.summed) == ("900,000", 909_000, True)
    assert round(table.leader.percent, 1) == 99.0
    assert table.basis == (
        "Shares are of the sum of the listed rows, 909,000 kilograms, which exceeds the rounded world total of "
        "900,000 kilograms."
    )
    # "Other countries" is "—" (zero): every kilogram is counted by country, so the index is exact.
    assert not table.lower_bound


def test_the_index_is_a_lower_bound_only_where_part_of_the_base_is_not_split_by_country(tables) -> None:
    cobalt = _table(tables, "usgs-mcs-2026-cobalt", "Production", "2025")
    assert cobalt.uncounted == ["'Other countries' are not counted one by one"]
    selenium = _table(tables, "usgs-mcs-2026-selenium", "Production", "2025")
    assert "no figure for United States (W)" in selenium.uncounted


def test_a_world_total_and_its_countries_are_one_table_whatever_the_totals_suffix(tables) -> None:
    palladium = _table(
        tables, "usgs-mcs-2026-platinum-group-metals", "Production", "2025", "Mine production: Palladium"
    )
    assert palladium.total.scope == "Mine production: Palladium, rounded"
    assert {s.country for s in palladium.shares} >= {"RU", "ZA", "US"}
    ilmenite = _table(
        tables, "usgs-mcs-2026-titanium-mineral-concentrates", "Production", "2025", "Mine production: ilmenite"
    )
    assert ilmenite.shares and all("Ilmenite" in r.scope or "ilmenite" in r.scope for r in ilmenite.rows)
    both = _table(
        tables, "usgs-mcs-2026-titanium-mineral-concentrates", "Production", "2025", "Mine production: ilmenite and"
    )
    assert both.reason == "USGS gives this world total without a figure for any one country"


def test_borons_forms_are_one_table_with_its_total(tables) -> None:
    boron = [t for t in tables["usgs-mcs-2026-boron"] if t.year == "2025"]
    assert [(t.statistic, len(t.rows)) for t in boron] == [("Production", 10), ("Reserves", 10)]
    production = boron[0]
    assert "CN" in {r.country for r in production.rows}
    assert production.reason == "the world total is given as 'XX' (not applicable), so no shares are computed"


def test_the_vanadium_reserves_carry_the_chapters_words_and_stay_out_of_the_shares(tables) -> None:
    reserves = _table(tables, "usgs-mcs-2026-vanadium", "Reserves", "2025")
    assert reserves.shares == []
    assert reserves.total.value == "21,000"
    assert reserves.total.anomaly.evidence == (
        "For Australia, Joint Ore Reserves Committee-compliant or equivalent reserves were 2.3 million tons."
    )
    assert reserves.reason.startswith("the world total is flagged: The world total of vanadium reserves, 21,000 t,")


@pytest.mark.parametrize(
    ("set_id", "country", "published", "computed"),
    [("usgs-mcs-2026-cobalt", "CD", 73, 73.1), ("usgs-mcs-2026-graphite-natural", "CN", 82, 77.8)],
    ids=["cobalt", "graphite"],
)
def test_usgss_own_share_stands_beside_the_computed_one(tables, set_id, country, published, computed) -> None:
    table = _table(tables, set_id, "Production", "2025")
    [(share, mine)] = table.published
    assert (share.country, share.percent, round(mine.percent, 1)) == (country, published, computed)


# The generated pages

_PERCENT = re.compile(r"(\d+(?:\\?\.\d+)?) %")
_HHI = re.compile(r"Herfindahl-Hirschman index (\d+)")


def _pages(docs: Path) -> list[Path]:
    return sorted([*(docs / "minerals").glob("*.md"), *(docs / "countries").glob("*.md")])


def test_no_page_shows_a_share_above_100_or_an_index_above_10000(docs) -> None:
    pages = _pages(docs)
    assert len(pages) > 100
    shares = {(p.name, float(m.replace("\\", ""))) for p in pages for m in _PERCENT.findall(p.read_text("utf-8"))}
    assert [s for s in shares if s[1] > 100] == []
    indices = {(p.name, int(m)) for p in pages for m in _HHI.findall(p.read_text("utf-8"))}
    assert len(indices) > 100
    assert [i for i in indices if i[1] > 10_000] == []


def test_no_mineral_page_says_figures_are_missing_above_a_table_of_them(docs) -> None:
    said = []
    for page in sorted((docs / "minerals").glob("*.md")):
        text = page.read_text("utf-8")
        tables = [part for part in text.split("\n### ") if part.startswith("Production, ")]
        by_country = [part for part in tables if "](../countries/" in part]
        if "No production figures by country are published" in text and by_country:
            said.append(page.name)
    assert said == []
    assert "USGS's production figures by country are in its tables below." in (
        docs / "minerals" / "cobalt.md"
    ).read_text("utf-8")


def test_the_gallium_page_states_the_basis_and_the_cobalt_page_shows_usgss_share(docs) -> None:
    gallium = (docs / "minerals" / "gallium.md").read_text("utf-8")
    assert (
        "Shares are of the sum of the listed rows, 909,000 kilograms, which exceeds the rounded world total" in gallium
    )
    cobalt = (docs / "minerals" / "cobalt.md").read_text("utf-8")
    assert "USGS's own share: 73 % for [Democratic Republic of the Congo]" in cobalt
    assert "computed here: 73\\.1 %. USGS does not say from which figures its share is computed" in cobalt


def test_no_heading_gives_an_empty_reason(docs) -> None:
    for page in sorted((docs / "minerals").glob("*.md")):
        assert "No shares: ." not in page.read_text("utf-8"), page.name


def test_the_us_page_lists_the_minerals_whose_us_output_is_withheld(docs) -> None:
    text = (docs / "countries" / "us.md").read_text("utf-8")
    withheld = text.split("## Output USGS withholds")[1].split("##")[0]
    for mineral in ("Lithium", "Boron", "Antimony"):
        assert f"[{mineral}](../minerals/" in withheld, mineral
    produced = text.split("## Share of world output")[1].split("## Output")[0]
    assert "Mine production: Palladium" in produced and "Mine production: ilmenite" in produced


@pytest.mark.parametrize("code", ["cn", "cd", "us"])
def test_country_pages_mark_estimates_units_and_sources(docs, code) -> None:
    text = (docs / "countries" / f"{code}.md").read_text("utf-8")
    produced = text.split("## Share of world output")[1].split("\n## ")[0]
    rows = [line for line in produced.splitlines() if line.startswith("| [")]
    assert rows
    assert any("(estimate)" in row for row in rows)
    assert all("data in " in row and "[^usgs-mcs-2026-" in row for row in rows)
    assert "\n[^usgs-mcs-2026-" in text  # the footnote each mark leads to


def test_the_china_page_lists_its_boron_output(docs) -> None:
    text = (docs / "countries" / "cn.md").read_text("utf-8")
    assert "[Boron](../minerals/boron.md) | Production—" in text
