"""A 2-hour run exports to FIT and both fitdecode and the Garmin SDK read every second of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fitdecode
import pytest

from stridekit.export.fit import export_fit
from stridekit.session import read_sessions
from stridekit.sim.record import write_run
from tests.conftest import sim


@pytest.mark.slow
def test_two_hour_run_reopens_whole_in_fitdecode_and_the_garmin_sdk(tmp_path: Path) -> None:
    from garmin_fit_sdk import Decoder, Stream

    path = tmp_path / "two_hours.strd"
    write_run(sim(seed=64, duration_s=7200.0), path)
    sessions = read_sessions(path)
    out = tmp_path / "two_hours.fit"
    res = export_fit(sessions, out)
    assert res.notes == []
    n_steps = sum(len(s.steps) for s in sessions)
    assert n_steps > 15_000

    recs = []
    with fitdecode.FitReader(str(out), check_crc=fitdecode.CrcCheck.ENABLED) as fr:
        for frame in fr:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                recs.append({f.name: f.value for f in frame.fields})
    # one record per second with steps: every second of the 2 hours
    assert len(recs) == res.n >= 7190
    raw, errors = Decoder(Stream.from_file(str(out))).read()
    assert errors == []
    msgs: dict[str, list[dict[str, Any]]] = dict(raw)  # type: ignore[arg-type]
    sdk = msgs["record_mesgs"]
    assert len(sdk) == len(recs)
    assert [r["distance"] for r in sdk] == pytest.approx([r["distance"] for r in recs], abs=0.01)
    d = [float(r["distance"]) for r in recs]
    assert d == sorted(d) and d[-1] > 0
