"""What readers see on the pages: names rather than ids, one row per happening, official texts, tidy fact boxes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import generate

from .conftest import TODAY, VALID_TREE
from .html import ParsedPage


def docs_with(data_tree, changes: dict[str, str | None] | None = None) -> Path:
    layout = data_tree(changes)
    generate(layout, TODAY)
    return layout.docs_dir


def read(docs: Path, relative: str) -> str:
    return (docs / relative).read_text(encoding="utf-8")


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of every Markdown table on a page, as lists of cells."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_timeline_names_the_suspended_clause_and_measure_not_their_ids(data_tree):
    pause = VALID_TREE["policies/pause.yaml"].replace("expires: 2026-11-27", "expires: 2026-12-31")
    timeline = read(docs_with(data_tree, {"policies/pause.yaml": pause}), "timeline/index.md")
    assert "| Suspension ends: Announcement No\\. 2: suspension of clause 2 of Announcement No\\. 1 |" in timeline
    assert "ban clause 2" not in timeline


def test_timeline_tells_a_suspension_lapsing_with_its_measure_in_one_row(data_tree):
    timeline = read(docs_with(data_tree), "timeline/index.md")
    rows = [row for row in table_rows(timeline) if row[0].startswith("27 Nov 2026")]
    assert [row[1] for row in rows] == [
        "Last day in force: Announcement No\\. 2, and with it its suspension of clause 2 of Announcement No\\. 1"
    ]


def test_events_index_is_newest_first(data_tree):
    later = VALID_TREE["events/talks.yaml"].replace("title: Talks", "title: Summit").replace("2025-10-25", "2026-03-02")
    events = read(docs_with(data_tree, {"events/a-summit.yaml": later}), "events/index.md")
    assert "Newest first." in events
    assert [row[0] for row in table_rows(events)[1:]] == ["2 Mar 2026", "25 Oct 2025"]


@pytest.mark.parametrize(
    ("aliases", "shown"),
    [
        ("[Ga]", None),
        ("[GALLIUM, ga]", None),
        ("[Ga, Gallium metal]", "| Also known as | Gallium metal |"),
    ],
    ids=["symbol", "name-and-symbol-in-other-case", "a-real-alias"],
)
def test_aliases_equal_to_the_name_or_symbol_are_not_shown(data_tree, aliases, shown):
    mineral = VALID_TREE["minerals/gallium.yaml"].replace("aliases: [Ga]", f"aliases: {aliases}")
    page = read(docs_with(data_tree, {"minerals/gallium.yaml": mineral}), "minerals/gallium.md")
    also = [line for line in page.splitlines() if line.startswith("| Also known as")]
    assert also == ([shown] if shown else [])


def test_project_alias_equal_to_its_name_is_not_shown(data_tree):
    project = VALID_TREE["projects/mine.yaml"].replace(
        "minerals: [gallium]", "minerals: [gallium]\n        aliases: [test mine]"
    )
    page = read(docs_with(data_tree, {"projects/mine.yaml": project}), "projects/mine.md")
    assert "Also known as" not in page


def test_fact_boxes_have_a_header_that_says_something(data_tree):
    docs = docs_with(data_tree)
    for relative in ("minerals/gallium.md", "policies/ban.md", "projects/mine.md", "sources/mofcom-ban.md"):
        page = read(docs, relative)
        assert not re.search(r"^\|(\s*\|)+\s*$", page, re.MULTILINE), relative
        assert "| Fact | Detail |" in page, relative


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {},
            "| Official text | Announcement No\\. 1 (no address seen) ([about this source](../sources/mofcom-ban.md)) |",
        ),
        (
            {
                "sources/mofcom-ban.yaml": VALID_TREE["sources/mofcom-ban.yaml"].replace(
                    "publisher: MOFCOM", "publisher: MOFCOM\n        url: https://example.gov/no-1.html"
                )
            },
            "| Official text | [Announcement No\\. 1](https://example.gov/no-1.html) "
            "([about this source](../sources/mofcom-ban.md)) |",
        ),
        (
            {"sources/mofcom-ban.yaml": VALID_TREE["sources/mofcom-ban.yaml"].replace("primary", "reproduction")},
            "| Official text | Announcement No\\. 1 (no address seen), a faithful copy "
            "([about this source](../sources/mofcom-ban.md)) |",
        ),
        (
            {"sources/mofcom-ban.yaml": VALID_TREE["sources/mofcom-ban.yaml"].replace("primary", "secondary")},
            "| Official text | No official text was seen. |",
        ),
        (
            # A primary source published a year after the announcement is about the measure, not its text.
            {"sources/mofcom-ban.yaml": VALID_TREE["sources/mofcom-ban.yaml"].replace("2024-12-03", "2025-12-03")},
            "| Official text | No official text was seen. |",
        ),
    ],
    ids=["primary-without-address", "primary-with-address", "reproduction", "secondary-only", "primary-too-late"],
)
def test_policy_fact_box_gives_its_official_text_or_says_none_was_seen(data_tree, changes, expected):
    page = read(docs_with(data_tree, changes), "policies/ban.md")
    assert expected in page.splitlines()


def test_a_primary_source_dated_only_by_a_later_year_is_not_the_official_text(data_tree):
    ban = VALID_TREE["policies/ban.yaml"].replace("sources: [mofcom-ban]", "sources: [usgs-gallium, mofcom-ban]")
    page = read(docs_with(data_tree, {"policies/ban.yaml": ban}), "policies/ban.md")
    official = next(line for line in page.splitlines() if line.startswith("| Official text"))
    assert "mofcom-ban" in official and "usgs-gallium" not in official


def test_chart_labels_are_never_clipped_and_never_scaled(data_tree):
    mineral = VALID_TREE["minerals/gallium.yaml"].replace(
        "            source: usgs-gallium\n",
        "            source: usgs-gallium\n"
        "          - {country: CD, year: 2024, stage: primary, scope: primary low-purity gallium, value: 5,"
        " share: 1, source: usgs-gallium}\n",
        1,
    )
    page = read(docs_with(data_tree, {"minerals/gallium.yaml": mineral}), "minerals/gallium.md")
    figure = next(line for line in page.splitlines() if line.startswith('<figure class="atlas-chart">'))
    parsed = ParsedPage()
    parsed.feed(figure)
    svg = next(e for e in parsed.elements if e.tag == "svg")
    # Laid out in percentages at the page's own scale: a viewBox would shrink the text with the width.
    assert "viewBox" not in svg.attrs and svg.attrs["width"] == "100%"
    legend = [e.text for e in parsed.elements if e.tag == "li"]
    assert legend == ["China", "Democratic Republic of the Congo"]


@pytest.mark.slow
def test_real_pages_show_names_official_texts_and_no_redundant_alias(real_site):
    timeline = ParsedPage()
    timeline.feed((real_site / "timeline" / "index.html").read_text(encoding="utf-8"))
    text = "".join(timeline.text_parts)
    assert not re.search(r"\b(cn|us|eu)-[a-z]+-\d{4}", text), re.findall(r"\b(?:cn|us|eu)-[a-z]+-[\w-]+", text)
    for mineral in ("gallium", "antimony"):  # each lists only its symbol as an alias
        assert "Also known as" not in (real_site / "minerals" / mineral / "index.html").read_text(encoding="utf-8")
    for page in sorted((real_site / "policies").glob("*/index.html")):
        assert "<td>Official text</td>" in page.read_text(encoding="utf-8"), page
