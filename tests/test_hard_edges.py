"""Hostile or broken input answers with a clear error: no crash, no hang, nothing accepted in silence."""

from __future__ import annotations

import csv
import json
import os
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import Layout, check, generate
from generator.cli import main
from generator.core.exceptions import DataError
from generator.core.problems import Problem
from generator.exports.tables import csv_cell
from generator.load import ParseCache

from .conftest import TODAY, VALID_TREE

ID_HELP = "use lowercase letters, digits and single hyphens"
URL_HELP = "is not an http(s) URL; only addresses starting with https:// or http:// are allowed"


def problems_of(layout: Layout, cache: ParseCache | None = None) -> list[str]:
    with pytest.raises(DataError) as raised:
        check(layout, TODAY, cache=cache)
    return [str(p) for p in raised.value.problems]


def problems_for(data_tree, changes: dict[str, str | bytes | None]) -> list[str]:
    return problems_of(data_tree(changes))


def with_line(path: str, old: str, new: str) -> dict[str, str | bytes | None]:
    assert old in VALID_TREE[path], old
    return {path: VALID_TREE[path].replace(old, new, 1)}


def appended(path: str, text: str) -> dict[str, str | bytes | None]:
    return {path: VALID_TREE[path].rstrip(" ") + textwrap.indent(text, " " * 8)}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# 1. Files that are not regular files are reported, never opened.


def _fifo(data: Path) -> Path:
    os.mkfifo(data / "minerals" / "pipe.yaml")
    return data / "minerals" / "pipe.yaml"


def _link_to_fifo_inside_data(data: Path) -> Path:
    os.mkfifo(data / "fifo")
    (data / "minerals" / "pipe.yaml").symlink_to(data / "fifo")
    return data / "fifo"


@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "live-preview-cache"])
@pytest.mark.parametrize("make", [_fifo, _link_to_fifo_inside_data], ids=["fifo", "link-to-fifo-in-data"])
def test_a_non_regular_file_is_reported_without_blocking(data_tree, make: Callable[[Path], Path], cached: bool) -> None:
    layout = data_tree()
    fifo = make(layout.data_dir)
    found: list[list[str]] = []
    worker = threading.Thread(
        target=lambda: found.append(problems_of(layout, ParseCache() if cached else None)), daemon=True
    )
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():
        # Release the reader stuck in open(): a writer that opens and closes gives it end of file.
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=20)
        pytest.fail("loading blocked on a FIFO")
    expected = ["data/minerals/pipe.yaml: not a regular file; a record is a YAML file"]
    if make is _link_to_fifo_inside_data:
        expected.insert(
            0,
            "data/fifo: not a collection; data/ holds only the folders events, minerals, "
            "observations, policies, projects, sources",
        )
    assert found == [expected]


# 2. A record file has a size limit, checked before it is read.


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (
            2_000_001,
            "data/minerals/big.yaml: the file is 2,000,001 bytes; a record is at most 2,000,000 bytes",
        ),
        (
            50_000_000,
            "data/minerals/big.yaml: the file is 50,000,000 bytes; a record is at most 2,000,000 bytes",
        ),
        (
            2_000_000,
            "data/minerals/big.yaml:1:1: the file is empty; a record is a mapping of fields "
            "(run `atlas new` for a skeleton)",
        ),
    ],
    ids=["one-byte-over", "sparse-50-mb", "at-the-limit-is-read"],
)
def test_a_file_over_the_size_limit_is_reported_unread(data_tree, size: int, message: str) -> None:
    layout = data_tree()
    with (layout.data_dir / "minerals" / "big.yaml").open("wb") as file:
        file.write(b"#")
        file.truncate(size)  # sparse: holes read as NUL bytes, so a comment line to the end
    if size <= 2_000_000:
        (layout.data_dir / "minerals" / "big.yaml").write_bytes(b"#" * size)
    assert problems_of(layout) == [message]


# 3. A link out of data/ is refused; a link inside it is followed.


@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "live-preview-cache"])
@pytest.mark.parametrize(
    ("target", "name"),
    [
        ("outside", "data/sources/pwn.yaml"),
        ("/dev/zero", "data/sources/pwn.yaml"),
        ("/etc/passwd", "data/sources/pwn.yaml"),
        ("../../outside", "data/sources/pwn.yaml"),
    ],
    ids=["outside-file", "dev-zero", "etc-passwd", "relative-escape"],
)
def test_a_link_out_of_data_is_refused(data_tree, tmp_path: Path, target: str, name: str, cached: bool) -> None:
    layout = data_tree()
    (tmp_path / "outside").write_text(VALID_TREE["sources/mofcom-ban.yaml"], encoding="utf-8")
    link = layout.data_dir / "sources" / "pwn.yaml"
    link.symlink_to(tmp_path / "outside" if target == "outside" else target)
    assert problems_of(layout, ParseCache() if cached else None) == [
        f"{name}: a link to a file outside data/; copy the file in instead"
    ]


def test_a_collection_folder_linked_out_of_data_is_refused(data_tree, tmp_path: Path) -> None:
    layout = data_tree()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "talks.yaml").write_bytes((layout.data_dir / "events" / "talks.yaml").read_bytes())
    for path in (layout.data_dir / "events").iterdir():
        path.unlink()
    (layout.data_dir / "events").rmdir()
    (layout.data_dir / "events").symlink_to(tmp_path / "elsewhere")
    assert problems_of(layout) == ["data/events/talks.yaml: a link to a file outside data/; copy the file in instead"]


def test_a_link_inside_data_is_followed(data_tree) -> None:
    layout = data_tree()
    (layout.data_dir / "sources" / "alias.yaml").symlink_to(layout.data_dir / "sources" / "mofcom-ban.yaml")
    assert [str(w) for w in check(layout, TODAY).warnings] == [
        "data/sources/alias.yaml:1:1: warning: source 'alias' is not cited by any record"
    ]


@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "live-preview-cache"])
def test_a_dangling_link_inside_data_is_reported(data_tree, cached: bool) -> None:
    layout = data_tree()
    (layout.data_dir / "sources" / "gone.yaml").symlink_to(layout.data_dir / "sources" / "missing")
    assert problems_of(layout, ParseCache() if cached else None) == [
        "data/sources/gone.yaml: cannot be read: No such file or directory"
    ]


# 4. `atlas new` never writes through a link.


@pytest.mark.parametrize("existing", [False, True], ids=["dangling-link", "link-to-a-file"])
def test_new_refuses_a_link_where_the_record_would_go(data_tree, tmp_path: Path, existing: bool) -> None:
    layout = data_tree()
    outside = tmp_path / "outside.txt"
    if existing:
        outside.write_text("keep me", encoding="utf-8")
    link = layout.data_dir / "policies" / "evil.yaml"
    link.symlink_to(outside)
    result = run("new", "policy", "evil", "--today", "2026-11-24", "--data", str(layout.data_dir))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {link} already exists; edit it instead\n"
    assert link.is_symlink()
    if existing:
        assert outside.read_text(encoding="utf-8") == "keep me"
    else:
        assert not outside.exists()


def test_new_refuses_a_collection_folder_linked_out_of_data(data_tree, tmp_path: Path) -> None:
    layout = data_tree()
    (tmp_path / "elsewhere").mkdir()
    for path in (layout.data_dir / "events").iterdir():
        path.unlink()
    (layout.data_dir / "events").rmdir()
    (layout.data_dir / "events").symlink_to(tmp_path / "elsewhere")
    result = run("new", "event", "summit", "--today", "2026-11-24", "--data", str(layout.data_dir))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {layout.data_dir / 'events'} is a link to a folder outside {layout.data_dir}; "
        "make it a folder of its own\n"
    )
    assert list((tmp_path / "elsewhere").iterdir()) == []


# 5. An id is checked as a whole string: `$` alone would accept a trailing newline.


@pytest.mark.parametrize("record_id", ["tin\n", "tin\n\n", "\ntin"], ids=["trailing-newline", "two", "leading"])
def test_new_refuses_an_id_with_a_newline(data_tree, record_id: str) -> None:
    layout = data_tree()
    result = run("new", "mineral", record_id, "--today", "2026-11-24", "--data", str(layout.data_dir))
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: '{record_id}' is not a valid id: {ID_HELP}\n")
    assert sorted(p.name for p in (layout.data_dir / "minerals").iterdir()) == ["gallium.yaml"]


def test_a_file_name_with_a_newline_is_not_an_id(data_tree) -> None:
    assert problems_for(data_tree, {"minerals/tin\n.yaml": VALID_TREE["minerals/gallium.yaml"]}) == [
        f"data/minerals/tin\\n.yaml:1:1: file name 'tin\\n' is not a valid id: {ID_HELP}"
    ]


# 6. A source URL the build would refuse to link is refused by validation.


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (
            r'"https://example.com/\"><script>alert(1)</script>"',
            """'https://example.com/"><script>alert(1)</script>'""",
        ),
        ('"https://example.com/a b"', "'https://example.com/a b'"),
        ("https://example.com/<b>", "'https://example.com/<b>'"),
        ('"https://example.com/x\\n"', "'https://example.com/x\\n'"),
    ],
    ids=["quote-breaks-out", "space", "angle-brackets", "trailing-newline"],
)
def test_a_url_the_build_would_refuse_is_an_error(data_tree, written: str, shown: str) -> None:
    changes = with_line(
        "sources/usgs-gallium.yaml",
        "url: https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-gallium.pdf",
        f"url: {written}",
    )
    assert problems_for(data_tree, changes) == [f"data/sources/usgs-gallium.yaml:4:6: url: {shown} {URL_HELP}"]


# 7. Field names are words: no lists, mappings, numbers, booleans or nulls as keys.

PLAIN_WORDS = "field names must be plain words, not"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            appended("minerals/gallium.yaml", "? [a, b]\n: x\n"),
            f"data/minerals/gallium.yaml:19:3: {PLAIN_WORDS} '[a, b]'",
        ),
        (
            appended("minerals/gallium.yaml", "? {a: b}\n: x\n"),
            f"data/minerals/gallium.yaml:19:3: {PLAIN_WORDS} '{{a: b}}'",
        ),
        (appended("minerals/gallium.yaml", "1: x\n"), f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} '1'"),
        (appended("minerals/gallium.yaml", "1.5: x\n"), f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} '1.5'"),
        (appended("minerals/gallium.yaml", "true: x\n"), f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} 'true'"),
        (appended("minerals/gallium.yaml", "on: x\n"), f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} 'on'"),
        (appended("minerals/gallium.yaml", "null: x\n"), f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} 'null'"),
        (appended("minerals/gallium.yaml", "~: x\n"), f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} '~'"),
        (appended("minerals/gallium.yaml", "1e3: x\n"), f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} '1e3'"),
        (
            appended("minerals/gallium.yaml", "2025-01-01: x\n"),
            f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} '2025-01-01'",
        ),
        (
            appended("minerals/gallium.yaml", "!!int '7': x\n"),
            f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} '!!int '7''",
        ),
        (appended("minerals/gallium.yaml", "<<: {a: b}\n"), f"data/minerals/gallium.yaml:19:1: {PLAIN_WORDS} '<<'"),
        (
            with_line(
                "minerals/gallium.yaml", "            value: 750\n", "            value: 750\n            2024: 5\n"
            ),
            f"data/minerals/gallium.yaml:13:5: production[0]: {PLAIN_WORDS} '2024'",
        ),
        (
            with_line("projects/mine.yaml", "  region: Alaska\n", "  region: Alaska\n          ? [x]\n          : y\n"),
            f"data/projects/mine.yaml:9:5: location: {PLAIN_WORDS} '[x]'",
        ),
    ],
    ids=[
        "list-key",
        "mapping-key",
        "int-key",
        "float-key",
        "bool-key",
        "yaml11-bool-key",
        "null-key",
        "tilde-key",
        "yaml12-float-key",
        "date-key",
        "tagged-key",
        "merge-key",
        "nested-int-key",
        "nested-list-key",
    ],
)
def test_a_key_that_is_not_a_word_is_reported_where_it_stands(data_tree, changes, message: str) -> None:
    assert problems_for(data_tree, changes) == [message]


def test_a_quoted_number_is_a_field_name(data_tree) -> None:
    problems = problems_for(data_tree, appended("minerals/gallium.yaml", '"1": x\n'))
    assert [p.split(" (known fields")[0] for p in problems] == ["data/minerals/gallium.yaml:19:1: 1: unknown field '1'"]


# 8. What the types allow but the facts cannot be.

PRODUCTION_EXTRA = """\
          - country: US
            year: 2024
            stage: primary
            scope: primary low-purity gallium
            share: 5
            source: usgs-gallium
"""
END_USES = """\
end_uses:
  - use: Chips
    share: 60
    year: 2024
    scope: US consumption
    source: usgs-gallium
  - use: Magnets
    share: 30
    year: 2024
    scope: US consumption
    source: usgs-gallium
  - use: Other
    share: 20
    year: 2024
    scope: US consumption
    source: usgs-gallium
"""
PRICES = """\
prices:
  - description: 99.99% gallium, Rotterdam
    value: 10
    value_high: 5
    unit: USD/kg
    date: "2024"
    source: usgs-gallium
"""
BAN_SUSPENDS_PAUSE = """\
relations:
  - type: suspends
    policy: pause
    start: 2025-11-09
    end: 2026-11-27
"""


def _third_policy() -> dict[str, str | bytes | None]:
    third = VALID_TREE["policies/pause.yaml"].replace("Announcement No. 2", "Announcement No. 3")
    third = third.replace("policy: ban", "policy: pause").replace('            clause: "2"\n', "")
    return {"policies/third.yaml": third}


SEMANTIC = [
    pytest.param(
        with_line(
            "policies/ban.yaml", "  effective: 2024-12-03\n", "  effective: 2024-12-03\n          revoked: 2024-12-01\n"
        ),
        [
            "data/policies/ban.yaml:12:12: dates.revoked: revoked (2024-12-01) is before announced (2024-12-03); "
            "a measure is revoked after it is announced"
        ],
        id="revoked-before-announced",
    ),
    pytest.param(
        with_line("minerals/gallium.yaml", "        last_verified:", PRODUCTION_EXTRA + "        last_verified:"),
        [
            "data/minerals/gallium.yaml:20:12: production[1].share: the shares of primary production in 2024 "
            "(primary low-purity gallium) add up to 104%, more than 100%; check the figures"
        ],
        id="production-shares-over-100",
    ),
    pytest.param(
        appended("minerals/gallium.yaml", END_USES),
        [
            "data/minerals/gallium.yaml:31:12: end_uses[2].share: the shares of end uses in 2024 (US consumption) "
            "add up to 110%, more than 100%; check the figures"
        ],
        id="end-use-shares-over-100",
    ),
    pytest.param(
        appended("minerals/gallium.yaml", PRICES),
        [
            "data/minerals/gallium.yaml:22:17: prices[0].value_high: value_high (5) is below value (10); "
            "a range runs low to high"
        ],
        id="price-range-upside-down",
    ),
    pytest.param(
        {
            "policies/ban.yaml": VALID_TREE["policies/ban.yaml"].replace(
                "        last_verified:", "        " + BAN_SUSPENDS_PAUSE.replace("\n", "\n        ") + "last_verified:"
            )
        },
        [
            "data/policies/ban.yaml:21:13: relations[0].policy: suspensions run in a circle (ban → pause → ban); "
            "a measure cannot end up suspending itself",
            "data/policies/pause.yaml:15:13: relations[0].policy: suspensions run in a circle (pause → ban → pause); "
            "a measure cannot end up suspending itself",
        ],
        id="two-policies-suspend-each-other",
    ),
    pytest.param(
        {
            "policies/ban.yaml": VALID_TREE["policies/ban.yaml"].replace(
                "        last_verified:",
                "        "
                + BAN_SUSPENDS_PAUSE.replace("\n", "\n        ").replace("pause", "third")
                + "last_verified:",
            ),
            **_third_policy(),
        },
        [
            "data/policies/ban.yaml:21:13: relations[0].policy: suspensions run in a circle "
            "(ban → third → pause → ban); a measure cannot end up suspending itself",
            "data/policies/pause.yaml:15:13: relations[0].policy: suspensions run in a circle "
            "(pause → ban → third → pause); a measure cannot end up suspending itself",
            "data/policies/third.yaml:15:13: relations[0].policy: suspensions run in a circle "
            "(third → pause → ban → third); a measure cannot end up suspending itself",
        ],
        id="three-policies-in-a-circle",
    ),
]


@pytest.mark.parametrize(("changes", "messages"), SEMANTIC)
def test_facts_that_cannot_all_be_true_are_reported(data_tree, changes, messages: list[str]) -> None:
    assert problems_for(data_tree, changes) == messages


def test_shares_of_different_editions_are_separate_wholes(data_tree) -> None:
    extra = PRODUCTION_EXTRA.replace("share: 5", "share: 5\n            edition: MCS 2026")
    check(
        data_tree(with_line("minerals/gallium.yaml", "        last_verified:", extra + "        last_verified:")), TODAY
    )


# 9. A CSV cell never starts a spreadsheet formula; numbers stay numbers.


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","csv")', '\'=HYPERLINK("http://x","csv")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        (["=a", "b"], "'=a; b"),
        ("a=b", "a=b"),
        (-5.0, "-5"),
        (-2.5, "-2.5"),
        (-3, "-3"),
        ([-1.0, 2.0], "-1; 2"),
    ],
    ids=[
        "equals",
        "plus",
        "minus",
        "at",
        "tab",
        "carriage-return",
        "list",
        "not-at-start",
        "negative-float",
        "negative-fraction",
        "negative-int",
        "list-of-numbers",
    ],
)
def test_csv_cell_defuses_formulas_but_not_numbers(value: object, written: str) -> None:
    assert csv_cell(value) == written


def test_a_formula_in_a_name_is_defused_in_the_csv_only(data_tree) -> None:
    name = '=HYPERLINK("http://x","csv")'
    layout = data_tree(with_line("minerals/gallium.yaml", "name: Gallium", f"name: {json.dumps(name)}"))
    generate(layout, TODAY)
    with (layout.docs_dir / "downloads" / "minerals.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["name"] for row in rows] == ["'" + name]
    document = json.loads((layout.docs_dir / "api" / "v1" / "minerals" / "gallium.json").read_text(encoding="utf-8"))
    assert document["record"]["name"] == name


# 10. A problem is always one line, whatever the data holds.

INJECTED_KEY = '"\\n::error file=README.md,line=1::INJECTED": x\n'


def test_control_characters_in_a_problem_are_escaped(data_tree) -> None:
    problems = problems_for(data_tree, appended("minerals/gallium.yaml", INJECTED_KEY))
    assert [p.split(" (known fields")[0] for p in problems] == [
        "data/minerals/gallium.yaml:19:1: \\n::error file=README.md,line=1::INJECTED: "
        "unknown field '\\n::error file=README.md,line=1::INJECTED'"
    ]


def test_the_cli_prints_one_line_per_problem(data_tree) -> None:
    layout = data_tree(appended("minerals/gallium.yaml", INJECTED_KEY))
    result = run("validate", "--today", "2026-11-24", "--data", str(layout.data_dir), "--annotations")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert not [line for line in lines if line.startswith("::error file=README.md")]
    assert len([line for line in lines if "INJECTED" in line]) == 2  # the plain line and the annotation


@pytest.mark.parametrize(
    ("problem", "annotation"),
    [
        (
            Problem("data/minerals/a.yaml", 3, 1, "x\n::error file=README.md::", "bad\r\nvalue 100%"),
            "::error file=data/minerals/a.yaml,line=3,col=1::x\\n::error file=README.md::: bad\\r\\nvalue 100%25",
        ),
        (
            Problem("data/minerals/tin\n.yaml", 1, 1, "", "file name 'tin\n' is not a valid id"),
            "::error file=data/minerals/tin\\n.yaml,line=1,col=1::file name 'tin\\n' is not a valid id",
        ),
        (
            Problem("data/a,line=9::b.yaml", 0, 0, "", "x\u2028y\x1b[31m"),
            "::error file=data/a%2Cline=9%3A%3Ab.yaml,line=1,col=1::x\\u2028y\\x1b[31m",
        ),
    ],
    ids=["field-and-message", "file", "file-properties-and-escapes"],
)
def test_an_annotation_is_one_line(problem: Problem, annotation: str) -> None:
    assert problem.annotation() == annotation
    assert "\n" not in problem.annotation() and "\r" not in problem.annotation()
    assert "\n" not in str(problem) and "\r" not in str(problem)


# Items 10 to 13: builds that overlap, are killed, or meet a site or build folder they cannot replace.


def built(layout: Layout) -> Layout:
    from generator.build import build_site

    build_site(layout, TODAY)
    return layout


def test_a_second_build_waits_for_the_first_and_says_so(data_tree) -> None:
    import subprocess
    import sys

    from generator.lock import build_lock

    from .conftest import REPO

    layout = data_tree()
    args = ["--today", TODAY.isoformat(), "--root", str(REPO), "--data", str(layout.data_dir)]
    args += ["--site-dir", str(layout.site_dir), "--docs-dir", str(layout.docs_dir)]
    command = [sys.executable, "-m", "generator", "build", *args]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=REPO) as second:
        assert second.stderr is not None
        with build_lock(layout.lock_dir):
            first_line = second.stderr.readline()
            assert first_line == (
                f"Another build is running in this project (process {os.getpid()}); waiting for it to finish.\n"
            )
            assert not (layout.site_dir / "index.html").exists()  # still waiting
        rest = second.stderr.read()
        assert second.wait(timeout=300) == 0, rest
    assert (layout.site_dir / "index.html").is_file()
    assert sorted(p.name for p in layout.site_dir.parent.iterdir() if p.name.startswith(".site")) == []


def test_the_site_is_exchanged_in_one_step(data_tree, monkeypatch) -> None:
    from generator import write

    layout = built(data_tree())
    before = layout.site_dir.stat().st_ino
    exchanged: list[tuple[Path, Path]] = []
    exchange = write._exchange
    monkeypatch.setattr(write, "_exchange", lambda a, b: exchanged.append((a, b)) or exchange(a, b))
    built(layout)
    [(new, site)] = exchanged
    assert site == layout.site_dir and new.name.startswith(".site.")
    assert layout.site_dir.stat().st_ino != before  # a new folder, not the old one refilled
    assert not new.exists()  # the previous site, removed after the exchange


def test_a_swap_killed_halfway_is_undone_even_by_a_failing_build(data_tree) -> None:
    from generator.build import build_site

    layout = built(data_tree())
    page = (layout.site_dir / "index.html").read_bytes()
    layout.site_dir.rename(layout.site_dir.with_name(".site.previous"))  # as a swap without exchange, killed
    broken = data_tree({"projects/mine.yaml": VALID_TREE["projects/mine.yaml"].replace("exploration", "digging")})
    with pytest.raises(DataError):
        build_site(broken, TODAY)
    assert (layout.site_dir / "index.html").read_bytes() == page
    assert not layout.site_dir.with_name(".site.previous").exists()


def test_a_swap_without_exchange_also_replaces_the_site(data_tree, monkeypatch) -> None:
    from generator import write

    layout = built(data_tree())
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    (layout.site_dir / "stale.html").write_text("old")
    built(layout)
    assert (layout.site_dir / "index.html").is_file() and not (layout.site_dir / "stale.html").exists()
    assert [p.name for p in layout.site_dir.parent.iterdir() if p.name.startswith(".site")] == []


def test_folders_left_by_killed_builds_are_removed_by_the_next(data_tree, caplog) -> None:
    layout = data_tree()
    leftover = layout.site_dir.with_name(".site.k1ll3d00")
    (leftover / "minerals").mkdir(parents=True)
    (leftover / "minerals" / "index.html").write_text("half")
    (leftover / "minerals").chmod(0o555)  # a reader's read-only copy does not stop the clean-up
    caplog.set_level("INFO", logger="atlas")
    built(layout)
    assert not leftover.exists()
    assert f"Removed {leftover}, left by an interrupted build." in caplog.text


def test_a_file_where_the_site_goes_is_an_error_naming_it(data_tree) -> None:
    from generator.build import build_site
    from generator.core.exceptions import BuildError

    layout = data_tree()
    layout.site_dir.write_text("not a folder")
    with pytest.raises(BuildError) as raised:
        build_site(layout, TODAY)
    assert raised.value.message == f"{layout.site_dir} is not a folder; move or delete it, then build again"
    assert layout.site_dir.read_text() == "not a folder"
    assert [p.name for p in layout.site_dir.parent.iterdir() if p.name.startswith(".site.")] == []


def test_a_file_where_the_build_folder_goes_is_an_error_naming_it(data_tree, tmp_path: Path) -> None:
    layout = data_tree()
    blocked = Layout.at(layout.root, layout.data_dir, layout.site_dir, tmp_path / "build" / "docs")
    (tmp_path / "build").write_text("not a folder")
    result = CliRunner().invoke(main, ["build", *cli_paths(blocked)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: cannot take the build lock in {tmp_path / 'build'}: File exists; "
        "a file stands where a folder should; move or delete it, then build again"
    )


def test_a_site_the_system_will_not_replace_is_an_error_and_stays(data_tree, monkeypatch) -> None:
    import errno

    from generator import write

    layout = built(data_tree())
    page = (layout.site_dir / "index.html").read_bytes()

    def refuse(_new: Path, target: Path) -> bool:  # what `chattr +i site` makes the kernel answer
        raise OSError(errno.EPERM, os.strerror(errno.EPERM), str(target))

    monkeypatch.setattr(write, "_exchange", refuse)
    result = CliRunner().invoke(main, ["build", *cli_paths(layout)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: cannot replace {layout.site_dir}: Operation not permitted; "
        "the system refuses; check its flags (lsattr; chattr -i) and owner, then build again"
    )
    assert (layout.site_dir / "index.html").read_bytes() == page
    assert [p.name for p in layout.site_dir.parent.iterdir() if p.name.startswith(".site.")] == []


def test_a_full_disk_while_writing_pages_is_an_error_naming_the_file(data_tree, monkeypatch) -> None:
    import errno

    layout = data_tree()
    real_write = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.suffix == ".md":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = CliRunner().invoke(main, ["build", *cli_paths(layout)])
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"Error: cannot write the generated pages into {layout.docs_dir}: No space left on device (")
    assert last.endswith(".md); the disk is full; free some space, then build again")
    assert "Traceback" not in result.output


def cli_paths(layout: Layout) -> list[str]:
    return [
        "--today",
        TODAY.isoformat(),
        "--data",
        str(layout.data_dir),
        "--site-dir",
        str(layout.site_dir),
        "--docs-dir",
        str(layout.docs_dir),
    ]


def test_a_verification_date_after_the_real_date_is_an_error(data_tree) -> None:
    import datetime as dt

    layout = data_tree(with_line("projects/mine.yaml", "last_verified: 2026-11-01", "last_verified: 2030-01-01"))
    with pytest.raises(DataError) as raised:
        check(layout, TODAY, calendar_day=dt.date(2026, 11, 25))
    assert [str(p) for p in raised.value.problems] == [
        "data/projects/mine.yaml:13:16: last_verified: '2030-01-01' is after today's date (2026-11-25); "
        "give the day the record was last checked"
    ]
    # The as-of date may be earlier than the day a record was checked: a build of the past is no error.
    check(data_tree(), dt.date(2025, 1, 1), calendar_day=dt.date(2026, 11, 25))
    check(
        data_tree(with_line("projects/mine.yaml", "last_verified: 2026-11-01", "last_verified: 2026-11-26")),
        TODAY,
        calendar_day=dt.date(2026, 11, 25),
    )  # a time zone ahead


# 11. Folders and links that cannot be read are problems with their path, not tracebacks.

UNFOLLOWABLE = "a link that cannot be followed (it loops, or leads nowhere readable); replace it with the file"


def test_links_that_loop_in_the_data_are_reported(data_tree) -> None:
    layout = data_tree()
    minerals = layout.data_dir / "minerals"
    (minerals / "loop-a.yaml").symlink_to("loop-b.yaml")
    (minerals / "loop-b.yaml").symlink_to("loop-a.yaml")
    assert problems_of(layout) == [
        f"data/minerals/loop-a.yaml: {UNFOLLOWABLE}",
        f"data/minerals/loop-b.yaml: {UNFOLLOWABLE}",
    ]


def test_a_collection_folder_that_cannot_be_listed_is_reported(data_tree, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    layout = data_tree()
    events = layout.data_dir / "events"
    real_iterdir = Path.iterdir

    def refused(self: Path):  # type: ignore[no-untyped-def]
        if self == events:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_iterdir(self)

    # Tests run as root, whom chmod does not stop: the kernel's answer is injected instead.
    monkeypatch.setattr(Path, "iterdir", refused)
    problems = problems_of(layout)
    assert "data/events: cannot list this folder: Permission denied; make it readable (chmod u+rx)" in problems


def test_an_event_that_ends_before_it_starts_is_reported_at_its_end_date(data_tree) -> None:
    changes = with_line("events/talks.yaml", "date: 2025-10-25\n", "date: 2025-10-25\n        end_date: 2025-10-20\n")
    assert problems_for(data_tree, changes) == [
        "data/events/talks.yaml:4:11: end_date: '2025-10-20' is before date (2025-10-25); "
        "the last day cannot precede the first"
    ]
