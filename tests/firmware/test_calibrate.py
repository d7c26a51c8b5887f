"""Calibration: the pod's `cal raw` / `cal set` commands and the host procedure."""

from __future__ import annotations

from stridefw import calib
from stridekit.calibrate import G, calibrate, read_raw
from stridekit.transport.serial import _ok
from tests.firmware.test_console import _pod, talk


def test_cal_raw_and_cal_set_on_the_pod() -> None:
    pod = _pod()
    pod.run_for(0.5)
    reply = talk(pod, "cal raw").split()
    assert reply[:3] == ["OK", "cal", "raw"] and len(reply) == 3 + pod.app.n_cells
    before = bytes(pod.app.calib.to_bytes())
    assert talk(pod, "cal set 2 10:0,1500:4903,2500:9807") == "OK cal set 2"
    cal = pod.app.calib
    # the table has a node every 64 counts: breakpoints between nodes are blended
    assert abs(cal.force_dn(2, 1500) - 4903) <= 50 and abs(cal.force_dn(2, 2500) - 9807) <= 100
    assert abs(cal.force_dn(2, 1472) - (1472 - 10) * 4903 // 1490) <= 2  # exact on a node
    assert (
        cal.table[: 2 * calib.TABLE_LEN]
        == calib.Calibration.from_bytes(before).table[: 2 * calib.TABLE_LEN]
    )
    assert pod.app.header(1).calib == cal.to_bytes()  # the next session carries it
    for bad in ("cal set 99 10:0", "cal set 1 2000:5,1000:6", "cal set 1 abc", "cal set 1"):
        assert talk(pod, bad).startswith("ERR 4 "), bad
    assert pod.app.calib.to_bytes() == cal.to_bytes()  # refused requests change nothing


class ScriptedPod:
    """Stands in for PodConsole: replays `cal raw` readings and records requests."""

    def __init__(self, readings: list[list[int]]) -> None:
        self.readings = readings
        self.sent: list[str] = []
        self.phase = 0

    def command(self, line: str) -> str:
        self.sent.append(line)
        if line == "cal raw":
            return _ok("OK cal raw " + " ".join(str(v) for v in self.readings[self.phase]))
        return _ok("OK " + line)


def test_procedure_sends_points_per_cell_from_median_readings() -> None:
    unloaded = [3, 5]
    m5 = [[1200, 4], [1000, 1100]]  # 5 kg on cell 0, then on cell 1
    pod = ScriptedPod([unloaded, m5[0], m5[1]])

    def ask(text: str) -> None:
        if "cell 1" in text:
            pod.phase = 2
        elif "cell 0" in text:
            pod.phase = 1

    res = calibrate(pod, [5.0], ask, reads=3)
    sets = [s for s in pod.sent if s.startswith("cal set")]
    dn = round(5 * G * 10)
    assert sets == [f"cal set 0 3:0,1200:{dn}", f"cal set 1 5:0,1100:{dn}"]
    assert pod.sent[0] == "cal zero" and not res.warnings


def test_a_cell_that_does_not_respond_is_reported_not_invented() -> None:
    pod = ScriptedPod([[3, 5], [3, 5]])  # the mass changes nothing: dead cell or off the disc
    pod.phase = 0

    def ask(text: str) -> None:
        pod.phase = 1 if "cell" in text else 0

    res = calibrate(pod, [5.0], ask, reads=1)
    assert not [s for s in pod.sent if s.startswith("cal set")]
    assert len(res.warnings) == 4 and "not above" in res.warnings[0]
    assert read_raw(pod, 2) == [3, 5]
