"""Values are what they claim: finite numbers, plain ASCII dates and ids, bounded ids, no invisible characters."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.models import ID_MAX_LENGTH
from generator.core.urls import API_ROOT as API_DIR

from .conftest import VALID_TREE
from .test_hard_edges import problems_for, with_line

FINITE = "is not a finite number; write the figure as the source prints it"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1e400", f"'1e400' {FINITE}"),
        ("-1e400", f"'-1e400' {FINITE}"),
        ('"1e999"', f"'1e999' {FINITE}"),
        ('".inf"', "'.inf' is not a number"),
        ('"nan"', f"'nan' {FINITE}"),
    ],
)
def test_a_figure_that_is_not_finite_is_an_error(data_tree, written: str, message: str) -> None:
    changes = with_line("minerals/gallium.yaml", "value: 750", f"value: {written}")
    assert problems_for(data_tree, changes) == [f"data/minerals/gallium.yaml:12:12: production[0].value: {message}"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ('"٢٠٢٥-١١-٠٩"', "٢٠٢٥-١١-٠٩"),  # Arabic-Indic digits
        ('"２０２５-11-09"', "２０２５-11-09"),  # full-width digits
        ('"2025-11-09\\n"', "2025-11-09\\n"),
    ],
    ids=["arabic-indic-digits", "full-width-digits", "trailing-newline"],
)
def test_a_date_in_other_digits_or_with_a_trailing_line_break_is_an_error(data_tree, written: str, shown: str) -> None:
    changes = with_line("sources/mofcom-pause.yaml", "published: 2025-11-09", f"published: {written}")
    assert problems_for(data_tree, changes) == [
        f"data/sources/mofcom-pause.yaml:4:12: published: '{shown}' is not a date; write YYYY-MM-DD, "
        "or YYYY-MM or YYYY when the day is not known"
    ]


@pytest.mark.parametrize(
    ("url", "shown", "character"),
    [
        ("https://example.com/\u202efdp.exe", "https://example.com/\\u202efdp.exe", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("https://exa\u200bmple.com/", "https://exa\\u200bmple.com/", "U+200B (ZERO WIDTH SPACE)"),
        ("https://example.com/\u2066x", "https://example.com/\\u2066x", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ],
    ids=["right-to-left-override", "zero-width-space", "bidi-isolate"],
)
def test_a_url_with_an_invisible_character_is_an_error(data_tree, url: str, shown: str, character: str) -> None:
    changes = with_line(
        "sources/usgs-gallium.yaml",
        "url: https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-gallium.pdf",
        f"url: {json.dumps(url, ensure_ascii=False)}",
    )
    assert problems_for(data_tree, changes) == [
        f"data/sources/usgs-gallium.yaml:4:6: url: '{shown}' holds the invisible character {character}, which can "
        "make an address read as another; remove it, or write it percent-encoded"
    ]


def test_an_id_longer_than_the_limit_is_refused_when_loading(data_tree) -> None:
    long_id = "a" * (ID_MAX_LENGTH + 1)
    changes = {"minerals/gallium.yaml": None, f"minerals/{long_id}.yaml": VALID_TREE["minerals/gallium.yaml"]}
    problems = problems_for(data_tree, changes)
    assert (
        f"data/minerals/{long_id}.yaml:1:1: file name '{long_id}' is {ID_MAX_LENGTH + 1} characters long; "
        f"an id has at most {ID_MAX_LENGTH}, so shorten it"
    ) in problems


def test_an_id_at_the_limit_builds(data_tree) -> None:
    from generator.build import generate

    from .conftest import TODAY

    long_id = "a" * ID_MAX_LENGTH
    layout = data_tree({f"sources/{long_id}.yaml": VALID_TREE["sources/mofcom-ban.yaml"]})
    generate(layout, TODAY)
    assert (layout.docs_dir / API_DIR / "sources" / f"{long_id}.json").is_file()
    # The next run rewrites it through a temporary file beside it, whose name is longer still.
    (layout.docs_dir / API_DIR / "sources" / f"{long_id}.json").write_text("{}", encoding="utf-8")
    generate(layout, TODAY)


@pytest.mark.parametrize("length", [ID_MAX_LENGTH + 1, 300])
def test_new_refuses_an_id_longer_than_the_limit(data_tree, length: int) -> None:
    layout = data_tree()
    long_id = "a" * length
    result = CliRunner().invoke(main, ["new", "mineral", long_id, "--data", str(layout.data_dir)])
    assert result.exit_code == 2
    assert (
        f"Error: '{long_id}' is {length} characters long; an id has at most {ID_MAX_LENGTH}, so shorten it"
        in result.output
    )


def test_a_one_line_text_longer_than_the_limit_is_an_error(data_tree) -> None:
    from generator.core.models import TEXT_MAX_LENGTH

    title = "Talks " * (TEXT_MAX_LENGTH // 6 + 1)
    changes = with_line("events/talks.yaml", "title: Talks", f"title: {title}")
    assert problems_for(data_tree, changes) == [
        f"data/events/talks.yaml:2:8: title: is {len(title.strip()):,} characters long; a title, name or other "
        f"one-line text has at most {TEXT_MAX_LENGTH:,}: shorten it, and put the detail in the summary or a note"
    ]


def test_a_title_at_the_limit_still_builds_its_pages(data_tree) -> None:
    from generator.build import generate
    from generator.core.models import TEXT_MAX_LENGTH

    from .conftest import TODAY

    layout = data_tree(with_line("events/talks.yaml", "title: Talks", f"title: {'T' * TEXT_MAX_LENGTH}"))
    generate(layout, TODAY)
    assert "T" * TEXT_MAX_LENGTH in (layout.docs_dir / "events" / "talks.md").read_text(encoding="utf-8")


def test_a_summary_longer_than_the_limit_is_an_error(data_tree) -> None:
    from generator.core.models import PROSE_MAX_LENGTH

    summary = "Two sides met. " * (PROSE_MAX_LENGTH // 15 + 1) + "[@mofcom-pause]"
    changes = with_line("events/talks.yaml", "summary: Two sides met. [@mofcom-pause]", f"summary: {summary}")
    assert problems_for(data_tree, changes) == [
        f"data/events/talks.yaml:4:10: summary: is {len(summary):,} characters long; a summary or note has at most "
        f"{PROSE_MAX_LENGTH:,}: keep the record to what readers need, and cite the source for the rest"
    ]
