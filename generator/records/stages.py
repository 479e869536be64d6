"""A project's stage on a day, from its dated milestones, known as well as their sources know it.

A milestone that happened puts the project into its stage from the last day its date may mean; a target date
(`expected`) is scheduled, and past its date it stays scheduled, not confirmed, until a later milestone confirms it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.models import Milestone, PartialDate, Project, ProjectStage
from .wording import Basis


@dataclass(frozen=True)
class MilestoneSeen:
    """A milestone as a reader sees it on a day: how it is known, and whether a target date has passed unconfirmed."""

    milestone: Milestone
    basis: Basis
    overdue: bool = False  # a target date that has passed with no source confirming it

    @property
    def words(self) -> str:
        if self.overdue:
            return "target date passed, not confirmed"
        if self.basis is Basis.scheduled:
            return "target"
        return "reported" if self.basis is Basis.reported else "confirmed"


@dataclass(frozen=True)
class StageAt:
    """The stage a project is in on a day, the day its milestone dates it from, and how that is known."""

    stage: ProjectStage | None
    since: PartialDate | None = None
    basis: Basis = Basis.scheduled
    source: str | None = None


def seen_milestones(project: Project, day: dt.date, secondary: Iterable[str]) -> list[MilestoneSeen]:
    """Each milestone dated by `day`, oldest first, with its basis; targets are scheduled whatever their date."""
    reported = frozenset(secondary)
    seen = []
    for milestone in sorted(project.milestones, key=lambda m: PartialDate(m.date).sort_key):
        if milestone.expected:
            seen.append(MilestoneSeen(milestone, Basis.scheduled, PartialDate(milestone.date).last_day < day))
        else:
            seen.append(MilestoneSeen(milestone, Basis.reported if milestone.source in reported else Basis.confirmed))
    return seen


def project_stage(project: Project, day: dt.date, secondary: Iterable[str]) -> StageAt:
    """The stage of the newest milestone that happened by `day` and names one; a target never sets the stage."""
    happened = [
        s
        for s in seen_milestones(project, day, secondary)
        if s.milestone.stage is not None
        and s.basis is not Basis.scheduled
        and PartialDate(s.milestone.date).last_day <= day
    ]
    if happened:
        newest = happened[-1]
        return StageAt(
            newest.milestone.stage, PartialDate(newest.milestone.date), newest.basis, newest.milestone.source
        )
    if project.stage is not None:
        return StageAt(project.stage, None, Basis.confirmed, project.stage_source)
    return StageAt(None)
