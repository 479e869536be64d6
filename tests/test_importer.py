"""`atlas import usgs-mcs`: the USGS release as figure-set records, exactly, idempotently, and never half-written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import Layout, check, generate
from generator.cli import main
from generator.core.exceptions import AtlasError, DataError
from generator.tools.importer import import_usgs_mcs

from .conftest import REPO
from .html import page_text, search_records

RELEASE = REPO / "releases" / "usgs-mcs-2026"
RELEASE_FILE = RELEASE / "MCS2026_Commodities_Data.csv"
TODAY = dt.date(2026, 11, 25)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def test_the_committed_release_is_the_published_file() -> None:
    digest = hashlib.sha256(RELEASE_FILE.read_bytes()).hexdigest()
    assert digest == "582a0aa231aea53d8a97dc8d1cd3dfa5f885cf3760353e3d029d7f0ae4fbaaf5"
    assert digest in (RELEASE / "README.md").read_text(encoding="utf-8")


def test_the_committed_figures_are_exactly_the_importers_output_and_a_second_run_changes_nothing(tmp_path) -> None:
    data = tmp_path / "data"
    first = import_usgs_mcs(RELEASE_FILE, data)
    assert (len(first.added), first.figures) == (89, 8886)
    committed = {n: b for n, b in snapshot(REPO / "data" / "observations").items() if n.startswith("usgs-mcs-2026-")}
    assert snapshot(data / "observations") == committed
    second = import_usgs_mcs(RELEASE_FILE, data)
    assert (second.added, second.changed, second.removed, second.unchanged) == ([], [], [], 89)


def test_the_command_prints_what_it_changed(tmp_path) -> None:
    data = tmp_path / "data"
    result = CliRunner().invoke(main, ["import", "usgs-mcs", str(RELEASE_FILE), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "added usgs-mcs-2026-cobalt.yaml" in result.output
    assert result.output.splitlines()[-1] == "Imported 8886 figures: 89 files added, 0 changed, 0 removed, 0 unchanged."


def _broken_copy(tmp_path: Path, line: int, old: bytes, new: bytes) -> Path:
    copy = tmp_path / "release"
    shutil.copytree(RELEASE, copy)
    lines = (copy / RELEASE_FILE.name).read_bytes().split(b"\r\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    (copy / RELEASE_FILE.name).write_bytes(b"\r\n".join(lines))
    return copy / RELEASE_FILE.name


@pytest.mark.parametrize(
    ("line", "old", "new", "message"),
    [
        (
            1868,
            b"Congo (Kinshasa)",
            b"Kinshasa Republic",
            "MCS2026_Commodities_Data.csv:1868:1: Country: 'Kinshasa Republic' is not a country this importer knows; "
            "add it to import.yaml",
        ),
        (
            1868,
            b",Yes,",
            b",Maybe,",
            "MCS2026_Commodities_Data.csv:1868:1: Is critical mineral 2025: 'Maybe' is not Yes or No",
        ),
        (
            1868,
            b"Congo (Kinshasa),",
            b"Congo (Kinshasa),,",
            "MCS2026_Commodities_Data.csv:1868:1: the row has 13 columns, not 12; fix the file or name the row in "
            "import.yaml",
        ),
        (
            6109,
            b"21,000,000",
            b"22,000,000",
            "MCS2026_Commodities_Data.csv:6109:1: Value: import.yaml corrects '21,000,000' but the row holds "
            "'22,000,000'",
        ),
    ],
    ids=["unknown-country", "bad-flag", "extra-column", "correction-no-longer-fits"],
)
def test_a_malformed_row_is_reported_with_its_line_and_nothing_is_written(tmp_path, line, old, new, message) -> None:
    broken = _broken_copy(tmp_path, line, old, new)
    data = tmp_path / "data"
    import_usgs_mcs(RELEASE_FILE, data)
    before = snapshot(data / "observations")
    with pytest.raises(DataError) as raised:
        import_usgs_mcs(broken, data)
    assert [str(p) for p in raised.value.problems] == [message]
    assert snapshot(data / "observations") == before


def test_the_importer_never_overwrites_a_file_an_editor_wrote(tmp_path) -> None:
    folder = tmp_path / "data" / "observations"
    folder.mkdir(parents=True)
    mine = folder / "usgs-mcs-2026-cobalt.yaml"
    mine.write_text("chapter: COBALT\n", encoding="utf-8")
    with pytest.raises(AtlasError, match="was not written by the importer"):
        import_usgs_mcs(RELEASE_FILE, tmp_path / "data")
    assert mine.read_text(encoding="utf-8") == "chapter: COBALT\n"
    assert not (folder / "usgs-mcs-2026-antimony.yaml").exists()


# The built site


@pytest.fixture(scope="module")
def site(real_site: Path) -> Path:
    return real_site


def _release_rows() -> list[tuple[int, list[str]]]:
    import csv
    import io

    reader = csv.reader(io.StringIO(RELEASE_FILE.read_bytes().decode("cp1252"), newline=""))
    rows, start = [], 1
    for row in reader:
        rows.append((start, row))
        start = reader.line_num + 1
    return rows


@pytest.mark.slow
def test_the_api_holds_each_figure_as_published(site) -> None:
    rows = dict(_release_rows())
    wanted = {"W", "NA", "—", "E"}
    sample = [line for line, row in rows.items() if line > 1 and row[8] in wanted][:12]
    sample += [line for line, row in rows.items() if line > 1 and row[8][:1] in "<>"][:6]
    sample += [line for line, row in rows.items() if line > 1 and "–" in row[8]][:6]
    sample += [1868, 6109]
    documents = {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in (site / "api" / "v1" / "observations").glob("usgs-mcs-2026-*.json")
    }
    figures = {
        f["line"]: (doc["record"]["edition"], f)
        for doc in documents.values()
        for section in doc["record"]["sections"]
        for f in section["figures"]
    }
    for line in sample:
        row = [cell.replace("\xa0", " ").strip() for cell in rows[line]]
        edition, figure = figures[line]
        published = (row[8] if line != 6109 else "11,000,000", row[6], row[7], row[5], "MCS 2026")
        assert (figure["value"], figure["unit"], figure["year"], figure["scope"], edition) == published, line


@pytest.mark.slow
def test_the_rare_earths_page_shows_brazils_corrected_reserves(site) -> None:
    text = page_text(site / "minerals" / "rare-earths" / "index.html")
    assert "11,000,000" in text
    assert "Corrected from 21,000,000" in text
    assert "Revision History for U.S. Geological Survey Mineral Commodity Summaries 2026" in text


@pytest.mark.slow
def test_the_cobalt_page_computes_the_congos_share_of_2025_mine_output(site) -> None:
    text = page_text(site / "minerals" / "cobalt" / "index.html")
    # 230,000 of the 314,600 t the listed rows add up to, more than the rounded world total of 310,000 t (MCS 2026).
    assert "Democratic Republic of the Congo 230,000 (estimate) 73.1 %" in text
    assert (
        "Shares are of the sum of the listed rows, 314,600 metric tons, which exceeds the rounded world total" in text
    )


@pytest.mark.slow
@pytest.mark.parametrize("code", ["cn", "us", "cd"])
def test_country_pages_list_what_the_records_say(site, code) -> None:
    text = page_text(site / "countries" / code / "index.html")
    assert "Share of world output" in text
    if code == "cn":
        assert "Measures it imposes" in text and "MOFCOM No. 46 of 2024" in text
    if code == "us":
        assert "Measures that name it among their targets" in text and "Projects" in text


def test_every_critical_chapter_has_a_mineral_page_source(real_minerals) -> None:
    chapters = {r[0] for _, r in _release_rows()[1:] if r[10] == "Yes"}
    linked = {set_id for mineral in real_minerals.values() for set_id in mineral.figures}
    assert {"usgs-mcs-2026-" + re.sub(r"[^a-z0-9]+", "-", c.lower()).strip("-") for c in chapters} <= linked


@pytest.fixture(scope="module")
def real_minerals():
    return check(Layout.at(REPO), TODAY).dataset.minerals


@pytest.mark.slow
def test_search_finds_every_commodity_name_flagged_critical(site) -> None:
    """The 68 names the release flags critical each lead to a mineral page through the site's search index."""
    names = {r[2] for _, r in _release_rows()[1:] if r[10] == "Yes"}
    assert len(names) == 68
    records = search_records(site)
    pages = [r for url, r in records.items() if url.startswith("/minerals/") and url.count("/") == 3]
    assert len(pages) > 40
    for name in sorted(names):
        words = name.lower()
        assert any(words in r["content"].lower() for r in pages), name


def test_every_country_on_a_mineral_page_links_to_its_country_page(tmp_path) -> None:
    from generator.core.models import country_name

    layout = Layout.at(REPO, docs_dir=tmp_path / "docs", site_dir=tmp_path / "site")
    generate(layout, TODAY)
    dataset = check(layout, TODAY).dataset
    checked = 0
    for mineral_id, mineral in dataset.minerals.items():
        page = (tmp_path / "docs" / "minerals" / f"{mineral_id}.md").read_text(encoding="utf-8")
        codes = {f.country for s in mineral.figures for sec in dataset.figure_sets[s].sections for f in sec.figures}
        codes |= {f.country for f in mineral.production}
        for code in sorted(c for c in codes if c):
            assert (tmp_path / "docs" / "countries" / f"{code.lower()}.md").is_file(), code
            link = f"](../countries/{code.lower()}.md)"
            assert link in page, (mineral_id, code, country_name(code))
            checked += 1
    assert checked > 500


# Releases and settings that cannot be read as they are: a message naming the file, never a hang or a traceback.


def _cut_short(tmp_path: Path, keep: int) -> Path:
    copy = tmp_path / "release"
    shutil.copytree(RELEASE, copy)
    lines = (copy / RELEASE_FILE.name).read_bytes().split(b"\r\n")
    (copy / RELEASE_FILE.name).write_bytes(b"\r\n".join(lines[:keep]) + b"\r\n")
    return copy / RELEASE_FILE.name


def test_a_release_cut_short_removes_no_chapter_unless_told_to(tmp_path) -> None:
    data = tmp_path / "data"
    import_usgs_mcs(RELEASE_FILE, data)
    before = snapshot(data / "observations")
    cut = _cut_short(tmp_path, 8601)  # ends with ZEOLITES: ZINC and ZIRCONIUM AND HAFNIUM are gone
    with pytest.raises(AtlasError) as raised:
        import_usgs_mcs(cut, data)
    assert raised.value.message == (
        "the release has no figures for 2 chapters an earlier import wrote (usgs-mcs-2026-zinc.yaml, "
        "usgs-mcs-2026-zirconium-and-hafnium.yaml); "
        "is the release cut short? If it is whole, import again with --allow-removals to delete those files"
    )
    assert snapshot(data / "observations") == before
    result = CliRunner().invoke(main, ["import", "usgs-mcs", str(cut), "--data", str(data), "--allow-removals"])
    assert result.exit_code == 0, result.output
    assert "removed usgs-mcs-2026-zinc.yaml\nremoved usgs-mcs-2026-zirconium-and-hafnium.yaml" in result.output


def test_a_named_pipe_as_the_release_is_refused_without_waiting(tmp_path) -> None:
    import os

    pipe = tmp_path / "release.csv"
    os.mkfifo(pipe)
    shutil.copy(RELEASE / "import.yaml", tmp_path / "import.yaml")
    with pytest.raises(AtlasError) as raised:
        import_usgs_mcs(pipe, tmp_path / "data")
    assert raised.value.message == (
        f"{pipe}: the release is not a regular file (a named pipe, device or folder); give a file"
    )


def test_a_release_too_large_to_read_is_refused(tmp_path, monkeypatch) -> None:
    from generator.tools import importer

    monkeypatch.setattr(importer, "RELEASE_LIMIT", 1000)
    with pytest.raises(AtlasError) as raised:
        import_usgs_mcs(RELEASE_FILE, tmp_path / "data")
    assert raised.value.message == (
        f"{RELEASE_FILE}: the release is 3,189,010 bytes, more than the 1,000 read; is this the right file?"
    )


SETTINGS_FORM = "see releases/usgs-mcs-2026/import.yaml for the form"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('edition: "MCS 2026"\n', "", "the field 'edition' is missing"),
        (
            "unflagged: [8477, 8478]",
            "unflagged: 8477",
            "'unflagged' should be a list (lines starting with '- '), not '8477'",
        ),
        ("unflagged: [8477, 8478]", "unflagged: [8477, eight]", "invalid literal for int() with base 10: 'eight'"),
        (
            "chapter_sources:\n",
            "chapter_sources: [a, b]\nunused:\n",
            "'chapter_sources' should be a group of fields (name: value), not a list",
        ),
        (
            "repairs:\n",
            "repairs: [8533]\nunused:\n",
            "each entry of 'repairs' should be a group of fields with its 'line'",
        ),
    ],
    ids=["missing-key", "number-for-list", "word-for-number", "list-for-mapping", "number-for-entry"],
)
def test_malformed_import_settings_are_a_message(tmp_path, old: str, new: str, problem: str) -> None:
    settings = tmp_path / "import.yaml"
    text = (RELEASE / "import.yaml").read_text(encoding="utf-8")
    assert old in text
    settings.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(AtlasError) as raised:
        import_usgs_mcs(RELEASE_FILE, tmp_path / "data", settings)
    assert raised.value.message == f"{settings}: {problem}; {SETTINGS_FORM}"


def test_settings_that_are_not_a_mapping_are_a_message(tmp_path) -> None:
    settings = tmp_path / "import.yaml"
    settings.write_text("- edition\n", encoding="utf-8")
    with pytest.raises(AtlasError) as raised:
        import_usgs_mcs(RELEASE_FILE, tmp_path / "data", settings)
    assert raised.value.message == (
        f"{settings}: the import settings should be a group of fields (edition, release_source, ...); {SETTINGS_FORM}"
    )


def test_an_edition_that_is_not_a_file_name_is_a_message(tmp_path) -> None:
    settings = tmp_path / "import.yaml"
    text = (RELEASE / "import.yaml").read_text(encoding="utf-8")
    settings.write_text(text.replace('edition: "MCS 2026"\n', "edition: MCS/2026\n", 1), encoding="utf-8")
    with pytest.raises(AtlasError) as raised:
        import_usgs_mcs(RELEASE_FILE, tmp_path / "data", settings)
    assert raised.value.message == (
        "import.yaml: edition 'MCS/2026' gives the file names 'usgs-mcs/2026-<chapter>.yaml', and 'usgs-mcs/2026' "
        "is not a valid id: use lowercase letters, digits and single hyphens; write the edition as letters, digits "
        "and spaces, such as MCS 2026"
    )
    assert not (tmp_path / "data").exists()


def test_an_unwritable_data_folder_is_a_message(tmp_path, monkeypatch) -> None:
    import errno

    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    data = tmp_path / "data"
    with pytest.raises(AtlasError) as raised:
        import_usgs_mcs(RELEASE_FILE, data)
    assert raised.value.message == (
        f"cannot write the figures into {data / 'observations'}: No space left on device "
        f"({data / 'observations' / '.usgs-mcs-2026-abrasives-manufactured.yaml.tmp'}); fix that, then import again"
    )


# USGS's corrections (versionHist.txt), each applied or declared


def _settings() -> dict:
    import yaml

    return yaml.safe_load((RELEASE / "import.yaml").read_text(encoding="utf-8"))


def _history() -> list[tuple[str, int]]:
    """Each change the version history describes: (version, page)."""
    text = (RELEASE / "versionHist.txt").read_text(encoding="utf-8")
    changes = []
    for part in text.split("as version ")[1:]:
        version = part.split()[0].rstrip(",")
        changes += [(version, int(page)) for page in re.findall(r"^On p\. (\d+)", part, flags=re.MULTILINE)]
    return changes


def test_every_change_of_the_version_history_is_applied_or_declared_in_import_yaml() -> None:
    settings = _settings()
    assert _history() == [("1.1", 30), ("1.1", 153), ("1.2", 131), ("1.3", 153)]
    named = {
        (str(entry["version"]), int(entry["page"]))
        for kind in ("corrections", "note_corrections", "not_applied")
        for entry in settings[kind]
    }
    assert named == set(_history())
    assert all(entry["reason"].strip() for entry in settings["not_applied"])


@pytest.fixture(scope="module")
def rare_earths() -> dict[int, dict]:
    import yaml

    record = yaml.safe_load((REPO / "data" / "observations" / "usgs-mcs-2026-rare-earths.yaml").read_text("utf-8"))
    return {"sections": record["sections"], **{f["line"]: f for s in record["sections"] for f in s["figures"]}}


def test_version_1_1_moves_the_production_quota_note_off_chinas_2024_rare_earth_output(rare_earths) -> None:
    china = rare_earths[6076]
    assert (china["area"], china["year"], china["notes"]) == ("China", "2024", "Estimated.")
    assert (
        china["notes_corrected"]["was"] == "Estimated. -- Production quota; does not include undocumented production."
    )


def test_version_1_1_gives_indias_rare_earth_reserves_the_oscom_note(rare_earths) -> None:
    india = rare_earths[6114]
    assert (india["area"], india["statistic"]) == ("India", "Reserves")
    assert india["notes"].endswith(
        "A 2015 report from OSCOM indicated that monazite reserves from their operations were 256,000 tons; "
        "rare-earth reserves were not reported."
    )
    assert "OSCOM" not in india["notes_corrected"]["was"]


def test_version_1_3_names_brazil_in_the_sentence_before_the_rare_earth_table(rare_earths) -> None:
    world = next(s for s in rare_earths["sections"] if s["name"] == "World Mine Production and Reserves")
    assert world["notes"].endswith(
        "Reserves for Australia, Brazil, and Malaysia were revised based on Government reports."
    )
    assert world["notes_corrected"]["was"].endswith(
        "Reserves for Australia and Malaysia were revised based on Government reports."
    )


def test_version_1_3_corrects_brazils_rare_earth_reserves_and_the_world_total(rare_earths) -> None:
    assert (rare_earths[6109]["value"], rare_earths[6109]["corrected"]["was"]) == ("11,000,000", "21,000,000")
    assert (rare_earths[6124]["value"], rare_earths[6124]["corrected"]["was"]) == (">75,000,000", ">85,000,000")


def test_the_bismuth_footnote_and_the_molybdenum_sentence_are_declared_not_applied_with_why() -> None:
    declared = {(e["version"], e["page"]): e["reason"] for e in _settings()["not_applied"]}
    assert "numbers no footnotes" in declared[("1.1", 30)]
    assert "holds the prices, not the sentence" in declared[("1.2", 131)]


@pytest.mark.parametrize(
    ("line", "old", "new", "message"),
    [
        (
            6076,
            b"Estimated. -- Production quota",
            b"Estimated. -- Quota",
            "MCS2026_Commodities_Data.csv:6076:1: Notes: import.yaml corrects the note 'Estimated. -- Production "
            "quota; does not include undocumented production.' but the row holds 'Estimated. -- Quota; does not "
            "include undocumented production.'",
        ),
        (
            8392,
            b'"21,000"',
            b'"21,500"',
            "MCS2026_Commodities_Data.csv:8392:1: Value: import.yaml flags '21,000' but the row holds '21,500'",
        ),
    ],
    ids=["note-correction-no-longer-fits", "anomaly-no-longer-fits"],
)
def test_a_note_correction_or_an_anomaly_that_no_longer_fits_its_row_is_refused(
    tmp_path, line, old, new, message
) -> None:
    broken = _broken_copy(tmp_path, line, old, new)
    with pytest.raises(DataError) as raised:
        import_usgs_mcs(broken, tmp_path / "data")
    assert [str(p) for p in raised.value.problems] == [message]
    assert not (tmp_path / "data" / "observations").exists()


# Earlier editions: the same importer, one settings file per release

EARLIER = {
    "MCS 2025": REPO / "releases" / "usgs-mcs-2025" / "MCS2025_World_Data.csv",
    "MCS 2024": REPO / "releases" / "usgs-mcs-2024",
    "MCS 2023": REPO / "releases" / "usgs-mcs-2023",
}


@pytest.mark.parametrize("edition", sorted(EARLIER), ids=lambda e: e.replace(" ", "-").lower())
def test_an_earlier_editions_committed_figures_are_exactly_the_importers_output(tmp_path, edition) -> None:
    release = EARLIER[edition]
    folder = release if release.is_dir() else release.parent
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    data = tmp_path / "data"
    first = import_usgs_mcs(release, data)
    prefix = "usgs-" + edition.lower().replace(" ", "-") + "-"
    committed = {n: b for n, b in snapshot(REPO / "data" / "observations").items() if n.startswith(prefix)}
    assert len(committed) > 30
    assert snapshot(data / "observations") == committed
    second = import_usgs_mcs(release, data)
    assert (second.added, second.changed, second.removed) == ([], [], [])
    assert first.figures > 1000


def test_earlier_editions_keep_their_edition_and_lose_the_footnote_marks_glued_to_names() -> None:
    import yaml

    areas = set()
    for path in sorted((REPO / "data" / "observations").glob("usgs-mcs-202[345]-*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert record["edition"] == "MCS " + path.name[9:13]
        areas |= {f["area"] for s in record["sections"] for f in s["figures"]}
    assert not [a for a in areas if a[-1].isdigit()]
    boron = yaml.safe_load((REPO / "data" / "observations" / "usgs-mcs-2024-boron.yaml").read_text("utf-8"))
    chile = [f for s in boron["sections"] for f in s["figures"] if f["area"] == "Chile"]
    assert chile and all(f["country"] == "CL" and f["scope"].endswith("(ulexite)") for f in chile)


@pytest.mark.parametrize("mineral", ["cobalt", "rare-earths"])
def test_the_series_covers_every_year_of_the_editions_each_value_with_its_edition(mineral) -> None:
    from generator.derive import derive

    dataset = check(Layout.at(REPO), TODAY).dataset
    series = derive(dataset, TODAY).series[mineral]
    assert series.years == ["2021", "2022", "2023", "2024", "2025"]
    assert [e for e, _, _ in series.scopes] == ["MCS 2026", "MCS 2025", "MCS 2024", "MCS 2023"]
    rows = dict(series.rows)
    leader = "CD" if mineral == "cobalt" else "CN"
    assert set(rows[leader]) == set(series.years)
    both = rows[leader]["2022"]
    assert [(v.edition, v.newest) for v in both] == [("MCS 2024", True), ("MCS 2023", False)]
    assert rows[leader]["2024"][0].edition == "MCS 2026"
