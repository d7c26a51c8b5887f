"""The report's first lines: date, run length, how the clocks were aligned, the gait mode."""

from __future__ import annotations

import dataclasses
import datetime as dt

from stridekit.analysis import analyse
from stridekit.merge import merge_run
from stridekit.report.html import render
from stridekit.sim.gait import RunnerParams
from tests.analysis.helpers import recorded, sessions_of

NOW = dt.datetime(2026, 12, 4, 19, tzinfo=dt.UTC)


def _head(html: str) -> str:
    return html[html.index("<h1>") : html.index('id="not-a-diagnosis"')]


def test_clocks_with_and_without_sync_records() -> None:
    ss = sessions_of(recorded(RunnerParams(duration_s=100, seed=21)))
    head = _head(render(analyse([merge_run(ss[0], ss[1])]), None, NOW))
    assert "left from 2 Sync records" in head and "right from 2 Sync records" in head
    assert "What we saw:</b> running" in head
    bare = [dataclasses.replace(s, syncs=[]) for s in ss]
    head = _head(render(analyse([merge_run(bare[0], bare[1])]), None, NOW))
    assert "Sync records (" not in head and "from 2 Sync" not in head
    assert head.count("not aligned: no Sync records") == 2


def test_a_run_without_a_wall_clock_has_no_1970_date() -> None:
    ss = sessions_of(recorded(RunnerParams(duration_s=100, seed=22)))
    run = dataclasses.replace(merge_run(ss[0], ss[1]), start_unix_s=4.0)
    html = render(analyse([run]), None, NOW)
    assert "1970" not in html
    assert "Run of unknown date" in _head(html)
    assert "the date of this run is unknown" in html
