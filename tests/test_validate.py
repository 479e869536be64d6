"""Bad data is reported with file, line, field and a fix; good data passes."""

from __future__ import annotations

import pytest

from generator.build import check
from generator.core.exceptions import DataError

from .conftest import TODAY, VALID_TREE


def problems_for(data_tree, changes, strict: bool = False) -> list[str]:
    layout = data_tree(changes)
    with pytest.raises(DataError) as caught:
        check(layout, TODAY, strict=strict)
    return [str(p) for p in caught.value.problems]


def with_line(path: str, old: str, new: str) -> dict[str, str]:
    assert old in VALID_TREE[path], old
    return {path: VALID_TREE[path].replace(old, new, 1)}


def test_valid_tree_has_no_errors(data_tree):
    checked = check(data_tree(), TODAY)
    assert sorted(checked.dataset.records["policies"]) == ["ban", "pause"]
    assert checked.warnings == []


BAD_INPUTS = [
    pytest.param(
        with_line("minerals/gallium.yaml", "summary:", "sumary:"),
        "data/minerals/gallium.yaml:6:1: sumary: unknown field 'sumary' (did you mean 'summary'?)",
        id="unknown-field-with-suggestion",
    ),
    pytest.param(
        with_line("policies/pause.yaml", "policy: ban", "policy: bann"),
        "data/policies/pause.yaml:15:13: relations[0].policy: unknown policy 'bann' (did you mean 'ban'?)",
        id="broken-reference",
    ),
    pytest.param(
        with_line("minerals/gallium.yaml", "last_verified: 2026-11-01", "last_verified: 2025-02-30"),
        "data/minerals/gallium.yaml:16:16: last_verified: '2025-02-30' is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        with_line("policies/ban.yaml", "effective: 2024-12-03", "effective: 2024-12-01"),
        "data/policies/ban.yaml:9:1: dates: announced (2024-12-03) is after effective (2024-12-01); "
        "dates must run announced ≤ effective ≤ expires",
        id="dates-out-of-order",
    ),
    pytest.param(
        with_line("events/talks.yaml", "date: 2025-10-25", "date: 2205-10-25"),
        "data/events/talks.yaml:3:7: date: '2205-10-25' is more than 30 years after 2026-11-24; check the year",
        id="date-far-in-future",
    ),
    pytest.param(
        with_line("minerals/gallium.yaml", "            source: usgs-gallium\n", ""),
        "data/minerals/gallium.yaml:8:5: production[0].source: a figure or dated fact needs a source: "
        "add `source: <source id>`",
        id="figure-without-source",
    ),
    pytest.param(
        with_line("minerals/gallium.yaml", "share: 99", "share: 140"),
        "data/minerals/gallium.yaml:13:12: production[0].share: '140' is out of range: "
        "input should be less than or equal to 100",
        id="share-above-100",
    ),
    pytest.param(
        with_line("sources/usgs-gallium.yaml", "url: https://", "url: javascript://"),
        "data/sources/usgs-gallium.yaml:4:6: url: 'javascript://pubs.usgs.gov/periodicals/mcs2025/mcs2025-gallium.pdf' "
        "is not an http(s) URL; only addresses starting with https:// or http:// are allowed",
        id="url-not-http",
    ),
    pytest.param(
        with_line("minerals/gallium.yaml", "summary: A by-product metal used in chips. [@usgs-gallium]", "summary: on"),
        "data/minerals/gallium.yaml:6:10: summary: 'on' is read by YAML as a boolean, not text; put it in quotes: \"on\"",
        id="yaml11-boolean-on",
    ),
    pytest.param(
        with_line("policies/ban.yaml", "document_number: Announcement No. 1", "document_number: NO"),
        "data/policies/ban.yaml:2:18: document_number: 'NO' is read by YAML as a boolean, not text; "
        'put it in quotes: "NO"',
        id="yaml11-boolean-NO-in-text",
    ),
    pytest.param(
        with_line("policies/ban.yaml", "document_number: Announcement No. 1", "document_number: 0123"),
        "data/policies/ban.yaml:2:18: document_number: '0123' is read by YAML as a number, not text; "
        'put it in quotes: "0123"',
        id="yaml11-octal-0123",
    ),
    pytest.param(
        with_line("policies/ban.yaml", "document_number: Announcement No. 1", "document_number: 1e3"),
        "data/policies/ban.yaml:2:18: document_number: '1e3' is read by YAML as a number, not text; "
        'put it in quotes: "1e3"',
        id="yaml12-float-1e3",
    ),
    pytest.param(
        with_line("policies/ban.yaml", "instrument: export-prohibition", "instrument: export-prohibiton"),
        "data/policies/ban.yaml:6:13: instrument: 'export-prohibiton' is not one of: export-licensing, "
        "export-prohibition, end-user-ban, tariff, list-designation, funding-award, loan, law, suspension, "
        "export-quota, export-tax, state-trading, technology-export-ban, technology-export-restriction, "
        "ore-export-ban, trade-commitment, grant, loan-guarantee, equity-stake, price-floor, offtake-agreement, "
        "stockpile, tax-credit, strategic-project, framework, funding-programme, trade-remedy, investigation "
        "(did you mean 'export-prohibition'?)",
        id="enum-with-suggestion",
    ),
    pytest.param(
        with_line("policies/pause.yaml", 'clause: "2"', 'clause: "3"'),
        "data/policies/pause.yaml:16:13: relations[0].clause: unknown clause '3' of policy 'ban' (its clauses: 1, 2)",
        id="unknown-clause",
    ),
    pytest.param(
        with_line("policies/pause.yaml", "start: 2025-11-09", "start: 2023-01-01"),
        "data/policies/pause.yaml:17:5: relations[0].start: suspension 2023-01-01 to 2026-11-27 lies outside the life "
        "of 'ban' (2024-12-03 to open-ended)",
        id="suspension-outside-life",
    ),
    pytest.param(
        with_line("minerals/gallium.yaml", "name: Gallium", "id: germanium\n        name: Gallium"),
        "data/minerals/gallium.yaml:2:1: id: 'germanium' differs from the file name 'gallium'; "
        "the id is the file name, remove this field or rename the file",
        id="id-differs-from-file-name",
    ),
    pytest.param(
        with_line("projects/mine.yaml", "country: US", "country: XX"),
        "data/projects/mine.yaml:7:12: location.country: 'XX' is not an ISO 3166-1 alpha-2 country code "
        "(e.g. 'CN', 'US', 'NO')",
        id="unknown-country",
    ),
    pytest.param(
        with_line("projects/mine.yaml", "stage_source: mofcom-ban", "stage_source: mofcom-bann"),
        "data/projects/mine.yaml:11:15: stage_source: unknown source 'mofcom-bann' (did you mean 'mofcom-ban'?)",
        id="cited-source-is-not-a-record",
    ),
    pytest.param(
        {"projects/mine.yaml": VALID_TREE["projects/mine.yaml"].replace("        research_cutoff: 2026-10-05\n", "")},
        "data/projects/mine.yaml:1:1: research_cutoff: required field is missing",
        id="missing-field",
    ),
    pytest.param(
        {"projects/mine.yaml": VALID_TREE["projects/mine.yaml"].replace("        stage: exploration\n", "")},
        "data/projects/mine.yaml:1:1: stage and stage_source go together: give both, or leave both out",
        id="stage-without-its-source",
    ),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUTS)
def test_bad_input_is_reported_with_file_line_and_field(data_tree, changes, message):
    assert message in problems_for(data_tree, changes)


def test_country_NO_means_norway(data_tree):
    layout = data_tree(with_line("projects/mine.yaml", "country: US", "country: NO"))
    checked = check(layout, TODAY)
    assert checked.dataset.records["projects"]["mine"].location.country == "NO"


def test_every_error_is_reported_in_one_run(data_tree):
    changes: dict[str, str] = {}
    broken = [
        ("minerals/gallium.yaml", "summary:", "sumary:"),
        ("minerals/gallium.yaml", "share: 99", "share: 140"),
        ("policies/ban.yaml", "instrument: export-prohibition", "instrument: ban"),
        ("policies/pause.yaml", "policy: ban", "policy: bann"),
        ("projects/mine.yaml", "country: US", "country: XX"),
        ("events/talks.yaml", "date: 2025-10-25", "date: 2025-02-30"),
        ("sources/usgs-gallium.yaml", "url: https://", "url: ftp://"),
        ("policies/ban.yaml", "effective: 2024-12-03", "effective: 2024-11-03"),
        ("projects/mine.yaml", "stage_source: mofcom-ban", "stage_source: mofcom"),
        ("sources/mofcom-pause.yaml", "kind: primary", "kind: tertiary"),
    ]
    for path, old, new in broken:
        changes[path] = changes.get(path, VALID_TREE[path]).replace(old, new, 1)
    layout = data_tree(changes)
    with pytest.raises(DataError) as caught:
        check(layout, TODAY)
    problems = caught.value.problems
    assert len(problems) == len(broken), [str(p) for p in problems]
    assert [(p.path, p.line) for p in problems] == sorted((p.path, p.line) for p in problems)
    assert str(caught.value) == "Aborted with 10 data errors."


def test_warnings_do_not_fail_unless_strict(data_tree):
    changes = {"sources/unused.yaml": VALID_TREE["sources/mofcom-ban.yaml"]}
    checked = check(data_tree(changes), TODAY)
    assert [str(w) for w in checked.warnings] == [
        "data/sources/unused.yaml:1:1: warning: source 'unused' is not cited by any record"
    ]
    assert problems_for(data_tree, changes, strict=True) == [
        "data/sources/unused.yaml:1:1: warning: source 'unused' is not cited by any record"
    ]


def test_record_past_its_review_interval_is_due_for_review_and_fails_strict(data_tree):
    changes = with_line("events/talks.yaml", "last_verified: 2026-11-01", "last_verified: 2025-01-01")
    warning = (
        "data/events/talks.yaml:6:1: warning: last_verified: due for review: not verified for 692 days "
        "(review interval 180); check the facts against the sources and update last_verified"
    )
    assert [str(w) for w in check(data_tree(changes), TODAY).warnings] == [warning]
    assert problems_for(data_tree, changes, strict=True) == [warning]


def test_record_whose_research_cutoff_is_past_its_interval_may_be_out_of_date_but_passes_strict(data_tree):
    layout = data_tree(with_line("events/talks.yaml", "research_cutoff: 2026-10-05", "research_cutoff: 2025-01-01"))
    warning = (
        "data/events/talks.yaml:7:1: warning: research_cutoff: may be out of date: research cut-off 692 days ago "
        "(review interval 180); check the facts against newer material and update research_cutoff"
    )
    assert [str(w) for w in check(layout, TODAY).warnings] == [warning]
    # The fix waits for newer material, which may not be published yet: --strict does not make it an error.
    assert [str(w) for w in check(layout, TODAY, strict=True).warnings] == [warning]


SCOPE_CASES = {
    "unknown-form": (
        '          - id: "1"\n            summary: Military',
        '          - id: "1"\n            forms: [ingot]\n            summary: Military',
        "data/policies/ban.yaml:14:13: clauses[0].forms[0]: 'ingot' is not one of: ore, concentrate, metal, alloy, "
        "oxide, compound, material, magnet, product, technology, equipment",
    ),
    "malformed-hs-code": (
        "        minerals: [gallium]\n",
        '        minerals: [gallium]\n        hs_codes: ["25041"]\n',
        "data/policies/ban.yaml:8:12: hs_codes[0]: '25041' is not an HS code: write its 4 to 10 digits, without dots "
        'or spaces, in quotes ("2504101000")',
    ),
    "malformed-control-code": (
        "        minerals: [gallium]\n",
        '        minerals: [gallium]\n        control_codes: ["1X902"]\n',
        "data/policies/ban.yaml:8:17: control_codes[0]: '1X902' is not a control-list code: a digit, a letter A to E "
        'and three digits, then any sub-items after dots ("1C902", "2B902.a")',
    ),
    "destination-not-a-country": (
        "        minerals: [gallium]\n",
        '        minerals: [gallium]\n        destinations: ["XX"]\n',
        "data/policies/ban.yaml:8:16: destinations[0]: 'XX' is neither an ISO 3166-1 alpha-2 country code "
        "(e.g. 'CN', 'US') nor 'all'",
    ),
    "destination-in-lowercase": (
        "        minerals: [gallium]\n",
        '        minerals: [gallium]\n        destinations: ["us"]\n',
        "data/policies/ban.yaml:8:16: destinations[0]: 'us' is not a destination: write an ISO 3166-1 alpha-2 "
        "country code in capitals ('US'), or 'all'",
    ),
    "status-check-ending-before-its-day": (
        "        last_verified: 2026-11-01\n",
        "        status_checks:\n          - date: 2026-10-05\n            through: 2026-10-01\n"
        "            status: in-force\n            source: mofcom-ban\n        last_verified: 2026-11-01\n",
        "data/policies/ban.yaml:20:5: status_checks[0]: through (2026-10-01) is before date (2026-10-05); give the "
        "last day the status holds",
    ),
}


@pytest.mark.parametrize(("old", "new", "expected"), SCOPE_CASES.values(), ids=SCOPE_CASES.keys())
def test_what_a_measure_covers_is_checked(data_tree, old: str, new: str, expected: str) -> None:
    assert old in VALID_TREE["policies/ban.yaml"], old
    changed = VALID_TREE["policies/ban.yaml"].replace(old, new, 1)
    assert problems_for(data_tree, {"policies/ban.yaml": changed}) == [expected]
