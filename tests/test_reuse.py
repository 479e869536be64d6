"""What a reader takes away from a page: its description and link preview, its footer, its citation, the licences."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from importlib import metadata
from pathlib import Path

import icalendar
import pytest

from generator.build import Layout, Settings, build_site, check
from generator.core import licences
from generator.core.citing import page_citation
from generator.derive import derive
from generator.exports.calendar import calendar_file, measure_calendar_files
from generator.exports.changes import status_changes

from .conftest import REPO
from .html import page_text, parse

AS_OF = "2026-11-25"  # the day the shared real site is built for
SITE = "https://atlas.example.org/atlas/"
RECORD_FOLDERS = ("minerals", "policies", "projects", "sources", "events")
HOSTILE_TITLE = 'Evil } title {\\ with "quotes", 100% & $5 #1 a_b ^ ~ {{ 7*7 }} </pre><script>x</script>'


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def record_pages(site: Path) -> list[Path]:
    return [
        p
        for folder in RECORD_FOLDERS
        for p in sorted((site / folder).glob("*/index.html"))
        if not re.fullmatch(r"page-\d+", p.parent.name)
    ]


def meta(page, **attrs: str) -> str | None:
    found = page.find("meta", **attrs)
    assert len(found) <= 1
    return found[0].attrs.get("content") if found else None


def pre_text(page, css_class: str) -> str:
    [element] = [e for e in page.elements if e.tag == "pre" and e.attrs.get("class") == css_class]
    return element.text


# A strict reader of the BibTeX the cite box gives: one entry, `name = {value},` per line, braces counted
# as BibTeX counts them (a backslash does not escape a brace).
ENTRY = re.compile(r"\A@misc\{([a-z0-9-]+),\n((?:  [a-z]+ = \{.*\},\n)+)\}\Z")
FIELD = re.compile(r"  ([a-z]+) = \{(.*)\},")
LATEX = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\^{}": "^",
    r"\~{}": "~",
    '{"}': '"',
    **{f"\\{c}": c for c in "#$%&_"},
}


def read_bibtex(text: str) -> tuple[str, dict[str, str]]:
    """Return the key and fields of one BibTeX entry; fail on anything a BibTeX reader would not take."""
    match = ENTRY.match(text)
    assert match, text
    fields: dict[str, str] = {}
    for line in match.group(2).splitlines():
        name, value = FIELD.fullmatch(line).groups()  # type: ignore[union-attr]
        depth = 0
        for char in value:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"{name}: a brace closes the field early: {value}"
        assert depth == 0, f"{name}: unbalanced braces: {value}"
        assert name not in fields, name
        fields[name] = value
    return match.group(1), fields


def latex_text(value: str) -> str:
    """Undo the cite box's escaping, as LaTeX would print the text."""
    if value.startswith("{") and value.endswith("}"):
        value = value[1:-1]
    return re.sub("|".join(re.escape(k) for k in sorted(LATEX, key=len, reverse=True)), lambda m: LATEX[m[0]], value)


# Every page


@pytest.mark.slow
def test_every_page_has_a_description_a_link_preview_and_a_footer(real_site: Path) -> None:
    version = metadata.version("critical-minerals-atlas")
    pages = html_pages(real_site)
    assert len(pages) > 100
    for path in pages:
        page = parse(path)
        where = path.relative_to(real_site).as_posix()
        description = meta(page, name="description")
        assert description and len(description) <= 200, where
        assert meta(page, property="og:description") == description, where
        assert meta(page, property="og:title"), where
        assert meta(page, property="og:type") in ("article", "website"), where
        assert meta(page, property="og:site_name") == "Critical Minerals Atlas", where
        # Without the site's address (ATLAS_SITE_URL) there is no absolute URL to give.
        assert meta(page, property="og:url") is None, where
        [report] = [e for e in page.elements if e.attrs.get("class") == "atlas-footer__report"]
        assert "Found an error?" in report.text and "CC BY 4.0" in report.text, where
        as_of = [e for e in page.elements if e.attrs.get("class") == "atlas-footer__as-of"]
        if where == "404.html":
            # The page shows no facts, so it states no as-of date.
            assert as_of == [], where
            continue
        assert [" ".join(e.text.split()) for e in as_of] == [
            f"Facts as of {AS_OF} · Critical Minerals Atlas {version}"
        ], where


@pytest.mark.slow
def test_a_record_page_is_described_by_its_summary_and_an_index_by_what_it_lists(real_site: Path) -> None:
    gallium = parse(real_site / "minerals" / "gallium" / "index.html")
    summary = page_text(real_site / "minerals" / "gallium" / "index.html")
    description = meta(gallium, name="description")
    assert description and description.rstrip("…")[:60] in summary
    assert "[@" not in description
    policies = parse(real_site / "policies" / "index.html")
    assert meta(policies, name="description") == (
        "Export controls, laws, critical-mineral lists and funding awards, with their status as of the build date."
    )
    assert meta(parse(real_site / "about" / "index.html"), name="description").startswith(
        "What the Critical Minerals Atlas is"
    )


@pytest.mark.slow
def test_the_footer_points_to_the_about_page_without_a_repository(real_site: Path) -> None:
    page = parse(real_site / "policies" / "cn-mofcom-2024-46" / "index.html")
    [report] = [e for e in page.elements if e.attrs.get("class") == "atlas-footer__report"]
    links = [e.attrs["href"] for e in page.elements if e.tag == "a" and e.text.strip() == "See how to report it"]
    assert links == ["../../about/#corrections"]
    assert "issues" not in report.text
    assert 'id="corrections"' in (real_site / "about" / "index.html").read_text(encoding="utf-8")


# Cite this page


@pytest.mark.slow
def test_every_record_page_has_a_cite_box_whose_bibtex_and_csl_json_parse(real_site: Path) -> None:
    pages = record_pages(real_site)
    assert len(pages) > 50
    for path in pages:
        page = parse(path)
        where = path.relative_to(real_site).as_posix()
        key, fields = read_bibtex(pre_text(page, "atlas-cite-bibtex"))
        [item] = json.loads(pre_text(page, "atlas-cite-csl"))
        collection, record_id = path.parts[-3], path.parts[-2]
        assert key == item["id"] == f"atlas-{collection}-{record_id}", where
        assert set(fields) == {"author", "title", "year", "date", "note"}, where  # no site address: no url
        assert latex_text(fields["title"]) == item["title"], where
        assert (fields["date"], fields["year"]) == (AS_OF, "2026"), where
        assert item["issued"] == {"date-parts": [[2026, 11, 25]]} and "URL" not in item, where
        assert item["type"] == "webpage" and item["container-title"] == "Critical Minerals Atlas", where
        [summary] = [e for e in page.elements if e.tag == "summary" and e.text == "Cite this page"]
        assert summary


def test_a_hostile_title_stays_text_in_every_citation_format() -> None:
    cited = page_citation(
        "atlas-policies-x", HOSTILE_TITLE, SITE + "policies/x/", dt.date(2026, 11, 25), dt.date(2026, 11, 1)
    )
    key, fields = read_bibtex(cited.bibtex)
    assert key == "atlas-policies-x"
    assert latex_text(fields["title"]) == HOSTILE_TITLE
    assert fields["url"] == SITE + "policies/x/" and fields["urldate"] == AS_OF
    assert "\\{" not in cited.bibtex and '"' not in cited.bibtex.replace('{"}', "")
    [item] = json.loads(cited.csl_json)
    assert item["title"] == HOSTILE_TITLE and item["URL"] == SITE + "policies/x/"
    assert cited.text == (
        f"Critical Minerals Atlas. “{HOSTILE_TITLE}”. {SITE}policies/x/. As of 25 Nov 2026 (record last checked "
        "against its sources on 1 Nov 2026)."
    )


def test_the_bibtex_reader_refuses_an_unbalanced_field() -> None:
    with pytest.raises(AssertionError, match="a brace closes the field early"):
        read_bibtex("@misc{k,\n  title = {a } b {c},\n}")
    with pytest.raises(AssertionError, match="unbalanced braces"):
        read_bibtex("@misc{k,\n  title = {a \\{ b},\n}")


# Calendars


@pytest.fixture(scope="module")
def real_calendars() -> list[tuple[str, bytes]]:
    """The real data's calendars as they are published where the site's address is known."""
    layout = Layout.at(REPO)
    dataset = check(layout, dt.date.fromisoformat(AS_OF)).dataset
    derived = derive(dataset, dt.date.fromisoformat(AS_OF))
    changes = status_changes(derived)
    files = [calendar_file(dataset, derived, changes, SITE), *measure_calendar_files(dataset, derived, changes, SITE)]
    return [(f.path, f.content) for f in files]


@pytest.mark.slow
def test_every_calendar_event_links_to_a_page_of_the_built_site(real_site: Path, real_calendars) -> None:
    checked = 0
    for path, content in real_calendars:
        for event in icalendar.Calendar.from_ical(content).walk("VEVENT"):
            url = str(event["url"])
            assert url.startswith(SITE), (path, url)
            assert (real_site / url.removeprefix(SITE) / "index.html").is_file(), (path, url)
            checked += 1
    assert checked >= 40


@pytest.mark.slow
def test_each_measure_has_a_calendar_linked_from_its_page_and_the_data_page(real_site: Path, real_calendars) -> None:
    policies = sorted(p.parent.name for p in (real_site / "policies").glob("*/index.html") if "page-" not in str(p))
    assert {p for p, _ in real_calendars} == {"feeds/calendar.ics", *(f"feeds/policies/{p}.ics" for p in policies)}
    data = (real_site / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../feeds/policies/cn-mofcom-2024-46.ics"' in data
    for policy_id in policies:
        assert (real_site / "feeds" / "policies" / f"{policy_id}.ics").is_file()
        page = parse(real_site / "policies" / policy_id / "index.html")
        links = {e.attrs.get("href") for e in page.elements if e.tag == "a"}
        assert f"../../feeds/policies/{policy_id}.ics" in links and "../../feeds/calendar.ics" in links
    one = dict(real_calendars)["feeds/policies/cn-mofcom-2024-46.ics"]
    summaries = [str(e["summary"]) for e in icalendar.Calendar.from_ical(one).walk("VEVENT")]
    assert summaries[:2] == [
        "MOFCOM No. 46 of 2024 takes effect",
        "Clause 2 of MOFCOM No. 46 of 2024 suspended by MOFCOM No. 72 of 2025",
    ]
    assert "Suspension of clause 2 of MOFCOM No. 46 of 2024 ends after 27 Nov 2026" in summaries


# Licences


@pytest.mark.slow
def test_the_about_page_the_api_and_the_licence_files_name_the_same_licences(real_site: Path) -> None:
    about = page_text(real_site / "about" / "index.html")
    assert "Creative Commons Attribution 4.0 International licence (CC BY 4.0)" in about
    assert "public domain" in about and "USGS Mineral Commodity Summaries" in about
    assert "cited, not republished" in about and "MIT License" in about
    index = json.loads((real_site / "api" / "v1" / "policies" / "index.json").read_text(encoding="utf-8"))
    assert index["license"]["spdx"] == licences.TEXT_AND_DATA.spdx == "CC-BY-4.0"
    assert index["license"]["url"] == licences.TEXT_AND_DATA.url
    [republished] = index["license"]["republished"]
    assert republished["terms"].startswith("US public domain") and republished["sources"] == [
        f"usgs-mcs-{year}-data-release" for year in (2023, 2024, 2025, 2026)
    ]
    schema = json.loads((real_site / "api" / "v1" / "schema.json").read_text(encoding="utf-8"))
    assert "license" in schema["$defs"]["policies_index"]["required"]
    assert licences.TEXT_AND_DATA.url in (REPO / "LICENSE-DATA").read_text(encoding="utf-8")
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (project["license"], project["license-files"]) == (licences.CODE.spdx, ["LICENSE"])


# Where the site's address and repository are known


def test_with_the_site_address_pages_give_their_url_and_the_footer_the_issues(data_tree, monkeypatch) -> None:
    # The repository's address is mkdocs.yml's own setting, which MkDocs reads from the environment.
    monkeypatch.setenv("ATLAS_REPO_URL", "https://example.org/atlas-repo")
    layout = data_tree()
    build_site(layout, dt.date.fromisoformat(AS_OF), settings=Settings(site_url=SITE))
    page = parse(layout.site_dir / "policies" / "ban" / "index.html")
    assert meta(page, property="og:url") == SITE + "policies/ban/"
    _key, fields = read_bibtex(pre_text(page, "atlas-cite-bibtex"))
    assert (fields["url"], fields["urldate"]) == (SITE + "policies/ban/", AS_OF)
    assert json.loads(pre_text(page, "atlas-cite-csl"))[0]["URL"] == SITE + "policies/ban/"
    issues = [e.attrs["href"] for e in page.elements if e.tag == "a" and "Report it" in e.text]
    assert issues == ["https://example.org/atlas-repo/issues"]
    for path in ("feeds/calendar.ics", "feeds/policies/ban.ics"):
        events = icalendar.Calendar.from_ical((layout.site_dir / path).read_bytes()).walk("VEVENT")
        assert events and all(str(e["url"]).startswith(SITE) for e in events), path
