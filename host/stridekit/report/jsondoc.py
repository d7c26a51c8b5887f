"""The report as JSON (`stride report --json`): every cause with its status and numbers.

Keys are stable (SCHEMA names the version; a new key may be added, none renamed).
Numbers that are not finite are null. Per cause: key, name, status ("measured",
"could not judge", "not measurable"), risk_factor (counted on the scale), seen,
finding, evidence {values, lines}, uncertainty, would_show.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from stridekit.analysis import Analysis, num
from stridekit.analysis import causes as C
from stridekit.analysis.load import has_wall_clock

SCHEMA = "stridekit.report/1"


def report_dict(a: Analysis, runner: str | None = None) -> dict[str, Any]:
    """The analysis as plain JSON-ready data."""
    run = a.run
    dated = has_wall_clock(run.start_unix_s)
    gm = a.gait_mode
    return {
        "schema": SCHEMA,
        "runner": runner,
        "run": {
            "start_unix_s": num(run.start_unix_s),
            "start_utc": dt.datetime.fromtimestamp(run.start_unix_s, dt.UTC).isoformat()
            if dated
            else None,
            "date_known": dated,
            "duration_s": num(a.duration_s),
            "feet": [n for n, s in (("left", run.left), ("right", run.right)) if s is not None],
            "steps": len(run.steps),
            "shoe": run.shoe or None,
        },
        "gait_mode": None
        if gm is None
        else {
            "mode": gm.mode,
            "main": gm.main,
            "running_share": num(gm.running_share),
            "duty_factor": num(gm.duty_factor),
            "n_steps": gm.n_steps,
            "text": gm.text,
        },
        "risk_factors": {
            "scale": C.SCALE_NAME,
            "level": a.level,
            "seen": a.factors_seen,
            "judged": a.factors_judged,
            "measurable": a.factors_measurable,
            "seen_keys": [c.key for c in a.risk_factors if c.seen],
            "rules": dict(C.FACTOR_RULES),
        },
        "causes": [
            {
                "key": c.key,
                "name": c.name,
                "status": c.status,
                "risk_factor": c.risk_factor,
                "seen": bool(c.seen),
                "finding": c.finding,
                "evidence": {"values": c.values, "lines": list(c.evidence)},
                "uncertainty": c.uncertainty,
                "would_show": c.would_show or None,
            }
            for c in a.causes
        ],
        "not_judged": list(a.not_judged),
        "notes": list(a.notes),
        "not_a_diagnosis": f"{C.NOT_A_DIAGNOSIS} {C.CLINICIAN} {C.RED_FLAGS}",
    }


def to_json(a: Analysis, runner: str | None = None) -> str:
    """report_dict as indented JSON (NaN never appears: it is null)."""
    return json.dumps(report_dict(a, runner), indent=2, allow_nan=False) + "\n"
