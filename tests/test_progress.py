"""Long builds show a bar per stage on a terminal and one line per stage elsewhere."""

from __future__ import annotations

import io

from generator.progress import Bars, SummaryLines, for_stream


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_bars_and_logs_get_lines():
    assert type(for_stream(FakeTerminal())) is Bars
    assert type(for_stream(io.StringIO())) is SummaryLines


def test_bar_fills_then_gives_way_to_the_summary_line():
    stream = FakeTerminal()
    progress = Bars(stream, width=10)
    with progress.stage("render", 4):
        for _ in range(4):
            progress.step()
    output = stream.getvalue()
    assert "\rrender    [##########] 4/4" in output
    assert output.endswith("\r\x1b[Krender          4 items     0.00 s\n")


def test_summary_line_counts_steps():
    stream = io.StringIO()
    progress = SummaryLines(stream)
    with progress.stage("load", 3):
        progress.step()
        progress.step()
    assert stream.getvalue() == "load            2 items     0.00 s\n"
