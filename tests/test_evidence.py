"""Three levels of evidence: confirmed by an official text, reported by secondary sources only, or scheduled."""

from __future__ import annotations

import datetime as dt

from generator.core.models import Policy, StatusCheck
from generator.records.status import Action, Basis, Evidence, Status, policy_timeline

D = dt.date
# A control suspended by another measure from 7 Nov 2025 to 10 Nov 2026, as No. 70 suspends No. 61.
SUSPENSION = Action("pause", Status.suspended, None, D(2025, 11, 7), D(2026, 11, 10))
OFFICIAL_NOTICE = {"pause": (D(2025, 11, 7),)}


def control() -> Policy:
    return Policy.model_validate(
        {
            "document_number": "Announcement No. 61",
            "title": "A control",
            "jurisdiction": "CN",
            "authorities": ["MOFCOM"],
            "instrument": "export-licensing",
            "summary": "Controls exports. [@notice]",
            "dates": {"announced": "2025-10-09", "effective": "2025-10-09"},
            "last_verified": "2026-11-01",
            "research_cutoff": "2026-10-08",
        }
    )


def check(status: str, source: str, through: str | None = None) -> StatusCheck:
    fields = {"date": "2026-09-28", "status": status, "source": source}
    return StatusCheck.model_validate(fields | ({"through": through} if through else {}))


def timeline(*checks: StatusCheck, published: dict[str, tuple[dt.date, ...]] | None = None):
    evidence = Evidence(published or {}, checks, {}, frozenset({"research-notes"}))
    return policy_timeline("control", control(), [SUSPENSION], evidence)


def test_a_check_from_secondary_reporting_is_reported_never_confirmed() -> None:
    status = timeline(check("suspended", "research-notes")).at(D(2026, 10, 1))
    assert (status.status, status.basis, status.checked_through) == (Status.suspended, Basis.reported, D(2026, 9, 28))


def test_an_official_notice_confirms_and_a_later_report_is_kept_apart() -> None:
    status = timeline(check("suspended", "research-notes"), published=OFFICIAL_NOTICE).at(D(2026, 10, 1))
    assert (status.basis, status.checked_through, status.reported_through) == (
        Basis.confirmed,
        D(2025, 11, 7),
        D(2026, 9, 28),
    )


def test_a_reported_extension_past_the_terms_leaves_the_day_unclear_with_both_statuses() -> None:
    reported = timeline(check("suspended", "research-notes", through="2027-01-10"), published=OFFICIAL_NOTICE)
    status = reported.at(D(2026, 12, 3))
    # The terms: in force again since 11 Nov 2026; the report: still suspended until 10 Jan 2027.
    assert (status.status, status.since, status.basis) == (Status.in_force, D(2026, 11, 11), Basis.unclear)
    assert status.reported is not None
    assert (status.reported.status, status.reported.until, status.reported.basis) == (
        Status.suspended,
        D(2027, 1, 10),
        Basis.reported,
    )
    # Before the terms ran out the two agree; after the reported day they agree again.
    assert reported.at(D(2026, 10, 1)).basis is Basis.confirmed
    after = reported.at(D(2027, 1, 11))
    assert (after.status, after.basis, after.reported) == (Status.in_force, Basis.scheduled, None)


def test_the_same_extension_from_an_official_notice_is_confirmed() -> None:
    status = timeline(check("suspended", "mofcom-notice", through="2027-01-10"), published=OFFICIAL_NOTICE).at(
        D(2026, 12, 3)
    )
    assert (status.status, status.until, status.basis, status.by, status.reported) == (
        Status.suspended,
        D(2027, 1, 10),
        Basis.confirmed,
        "pause",
        None,
    )


def test_a_status_check_cannot_end_before_its_day() -> None:
    try:
        check("suspended", "mofcom-notice", through="2026-09-01")
    except ValueError as error:
        assert "through (2026-09-01) is before date (2026-09-28); give the last day the status holds" in str(error)
    else:
        raise AssertionError("a check ending before its day was accepted")
