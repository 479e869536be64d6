"""Long builds show a bar per stage on a terminal and one line per stage elsewhere."""

from __future__ import annotations

import io

from generator.core.progress import Bars, SummaryLines, for_stream


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakeClock:
    """A clock that moves only when told: each reading returns the next of `readings`."""

    def __init__(self, *readings: float) -> None:
        self.readings = list(readings)

    def __call__(self) -> float:
        return self.readings.pop(0)


def test_terminal_gets_bars_and_logs_get_lines():
    assert type(for_stream(FakeTerminal())) is Bars
    assert type(for_stream(io.StringIO())) is SummaryLines


def test_bar_fills_then_gives_way_to_the_summary_line():
    stream = FakeTerminal()
    # Start, then one reading per step (the middle two too soon after the first to redraw), then the end.
    progress = Bars(stream, width=10, clock=FakeClock(100.0, 100.5, 100.52, 100.54, 100.56, 102.5))
    with progress.stage("render", 4):
        for _ in range(4):
            progress.step()
    output = stream.getvalue()
    assert output == (
        "\rrender    [##--------] 1/4\rrender    [##########] 4/4\r\x1b[Krender          4 items     2.50 s\n"
    )


def test_summary_line_counts_steps_and_gives_the_stage_its_time():
    stream = io.StringIO()
    progress = SummaryLines(stream, clock=FakeClock(7.0, 19.25))
    with progress.stage("load", 3):
        progress.step()
        progress.step()
    assert stream.getvalue() == "load            2 items    12.25 s\n"
