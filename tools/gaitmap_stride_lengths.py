"""Derive per-stride stride lengths from gaitmap's example motion capture.

gaitmap's example walk (subject 5047, normal_20; ../shared/data/gaitmap-example)
has motion-capture event times but no stride lengths. Its repository also holds
the heel-marker trajectories of the same recording (example_data/mocap_sample.csv,
100 Hz, mm) and per-stride heel positions (position_sample.csv). This script turns
them into the one small table `stride eval --stride-length` scores against:
per stride, the horizontal displacement of the heel marker (FCC) from one
mid-stance (min_vel) to the next, the borders of stride_events_sample.csv.

    python tools/gaitmap_stride_lengths.py GAITMAP_EXAMPLE_DATA_DIR > OUT.csv

GAITMAP_EXAMPLE_DATA_DIR holds mocap_sample.csv, position_sample.csv and
stride_events_sample.csv from a checkout of mad-lab-fau/gaitmap (MIT). Nothing
is downloaded; the raw files are not kept in this repository.

Borders: stride_events_sample.csv gives them in 204.8 Hz IMU samples, made from
the 100 Hz motion-capture frames by round(frame * 2.048); round(sample / 2.048)
recovers each frame exactly. position_sample.csv ends each stride one frame
early (its slices exclude the end frame), so it serves as a cross-check only:
its last horizontal position must agree within CHECK_M.
"""

from __future__ import annotations

import csv
import hashlib
import math
import sys
from pathlib import Path

MOCAP_HZ = 100.0
IMU_HZ = 204.8
CHECK_M = 0.02  # one frame of heel motion at mid-stance is well under 2 cm
MIT_TEXT = """Copyright (c) 2020 MaD-Lab Erlangen

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE."""
MIT_NOTICE = "".join(f"#   {line}\n".replace("   \n", "\n") for line in MIT_TEXT.splitlines())
SOURCES = ("mocap_sample.csv", "position_sample.csv", "stride_events_sample.csv")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def heel_tracks(path: Path) -> dict[str, list[tuple[float, float, float]]]:
    """Heel marker (FCC) per foot, metres, one row per 100 Hz frame."""
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    markers, axes = rows[0], rows[1]
    out: dict[str, list[tuple[float, float, float]]] = {}
    for foot, name in (("left", "L_FCC"), ("right", "R_FCC")):
        cols = [i for i, m in enumerate(markers) if m == name]
        if [axes[i] for i in cols] != ["x", "y", "z"]:
            raise SystemExit(f"{path}: no x, y, z columns for {name}")
        track = []
        for r in rows[2:]:
            x, y, z = (float(r[i]) / 1000.0 for i in cols)
            track.append((x, y, z))
        out[foot] = track
    return out


def last_positions(path: Path) -> dict[tuple[str, int], tuple[float, float]]:
    """position_sample.csv: the last (x, y) of each stride, relative to its start."""
    last: dict[tuple[str, int], tuple[float, float]] = {}
    with path.open(newline="") as f:
        for r in csv.DictReader(f):
            foot = r[""].split("_")[0]
            last[(foot, int(r["s_id"]))] = (float(r["pos_x"]), float(r["pos_y"]))
    return last


def frame(imu_sample: float) -> int:
    f = round(imu_sample * MOCAP_HZ / IMU_HZ)
    if round(f * IMU_HZ / MOCAP_HZ) != round(imu_sample):
        raise SystemExit(f"border {imu_sample} is not a converted motion-capture frame")
    return f


def main(src: Path) -> None:
    tracks = heel_tracks(src / "mocap_sample.csv")
    check = last_positions(src / "position_sample.csv")
    with (src / "stride_events_sample.csv").open(newline="") as f:
        events = list(csv.DictReader(f))
    w = sys.stdout
    w.write(
        "# Per-stride stride length of gaitmap's example walk (subject 5047, normal_20),\n"
        "# from its optical motion capture: horizontal displacement of the heel marker\n"
        "# (FCC) from one mid-stance (min_vel) to the next, per foot.\n"
        "# Source: https://github.com/mad-lab-fau/gaitmap commit "
        "05ad9716161cdfeb4ba9fcb28eb796df0420e48d\n"
    )
    for name in SOURCES:
        w.write(f"#   example_data/{name} sha256 {sha256(src / name)}\n")
    w.write(
        "# Derived by tools/gaitmap_stride_lengths.py. start, end: the stride's borders\n"
        "# in 204.8 Hz IMU samples, as in stride_events_sample.csv.\n"
        "# gaitmap's example_data is under the MIT License:\n"
        + MIT_NOTICE
        + "s_id,foot,start,end,stride_length_m\n"
    )
    worst = 0.0
    for e in events:
        foot, s_id = e["foot"], int(e["s_id"])
        a, b = frame(float(e["start"])), frame(float(e["end"]))
        track = tracks[foot]
        (x0, y0, _), (x1, y1, _) = track[a], track[b]
        length = math.hypot(x1 - x0, y1 - y0)
        cx, cy = check[(foot, s_id)]
        worst = max(worst, abs(math.hypot(cx, cy) - length))
        w.write(f"{s_id},{foot},{round(float(e['start']))},{round(float(e['end']))},{length:.4f}\n")
    if worst > CHECK_M:
        raise SystemExit(f"position_sample.csv disagrees by {worst:.3f} m (> {CHECK_M} m)")
    print(
        f"{len(events)} strides; position_sample.csv agrees within {worst:.4f} m", file=sys.stderr
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
