"""The steps CSV's session_key tells sessions of different pods and runs apart."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

from stridekit.export.csv import COLUMNS, read_steps, session_key, write_steps
from stridekit.library import started_at
from stridekit.session import read_sessions


def test_session_key_is_pod_and_start_and_survives_the_round_trip(run_file: Path) -> None:
    left, right = read_sessions(run_file)
    # a later run of the same pods: same session ids, other start
    later = []
    for s in (left, right):
        c = copy.deepcopy(s)
        c.syncs = []
        c.header.epoch_s = int(started_at(s) or 0) + 3600
        later.append(c)
    sessions = [left, right, *later]
    assert len({s.header.session_id for s in sessions}) < len(sessions)  # ids alone repeat
    keys = [session_key(s) for s in sessions]
    assert len(set(keys)) == 4
    for s, k in zip(sessions, keys, strict=True):
        assert re.fullmatch(r"[0-9a-f]{12}-\d{8}T\d{6}Z", k), k
        assert k.startswith(bytes(s.header.device_id).hex())
    buf = io.StringIO()
    write_steps(sessions, buf)
    assert buf.getvalue().splitlines()[0].split(",")[-1] == "session_key" == COLUMNS[-1]
    back = read_steps(io.StringIO(buf.getvalue()))
    assert [r.session_key for r in back] == [
        k for s, k in zip(sessions, keys, strict=True) for _ in s.steps
    ]


def test_without_a_clock_the_key_falls_back_to_the_session_id(run_file: Path) -> None:
    s = read_sessions(run_file)[0]
    s.syncs = []
    s.header.epoch_s = 0
    assert session_key(s) == f"{bytes(s.header.device_id).hex()}-s{s.header.session_id}"
