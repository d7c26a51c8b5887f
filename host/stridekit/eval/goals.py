"""The validation goals on real recordings, and walk balance with group effect sizes."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from stridefw import balance as fw_balance
from stridekit.eval.matching import EventStats, abs_ms
from stridekit.eval.results import (
    REFERENCE,
    SOURCE,
    FootResult,
    Goal,
    GroupEffect,
    WalkBalance,
    base_name,
    rate_label,
)


def pooled(results: Sequence[FootResult], what: str) -> EventStats:
    tot = EventStats()
    for r in results:
        s: EventStats | None = getattr(r, what)
        if s is not None:
            tot.add(s)
    return tot


def _ratio(a: int, b: int) -> float:
    return a / b if b else math.nan


def goals(results: dict[str, list[FootResult]]) -> list[Goal]:
    """The validation goals on real recordings, measured (targets set before any data was seen)."""
    g: list[Goal] = []
    for key in ("gaitndd", "gaitndd" + SOURCE):
        if key not in results:
            continue
        st = pooled(results[key], "stride")
        ref = f"{REFERENCE['gaitndd']}; {rate_label(key)}"
        med, p95 = abs_ms(st.errors_s, 50), abs_ms(st.errors_s, 95)
        g.append(Goal(key, "stride time |error| median", "<= 5 ms", med, med <= 5, ref, "ms"))
        g.append(Goal(key, "stride time |error| p95", "<= 20 ms", p95, p95 <= 20, ref, "ms"))
    for ds in ("gaitpdb", "gaitndd"):
        if ds not in results:
            continue
        c = pooled(results[ds], "contact")
        rec_ = _ratio(c.tp, c.n_ref)
        prec = _ratio(c.tp, c.n_found)
        g.append(Goal(ds, "step recall", ">= 99 %", 100 * rec_, rec_ >= 0.99, REFERENCE[ds], "%"))
        g.append(
            Goal(ds, "step precision", ">= 99 %", 100 * prec, prec >= 0.99, REFERENCE[ds], "%")
        )
        if ds == "gaitpdb":
            med = abs_ms(c.errors_s, 50)
            g.append(
                Goal(ds, "contact |error| median", "<= 10 ms", med, med <= 10, REFERENCE[ds], "ms")
            )
    for ds in ("ipol", "gaitmap", "gaitmap" + SOURCE):
        if ds not in results:
            continue
        c = pooled(results[ds], "contact")
        ref = REFERENCE[base_name(ds)]
        if ds.endswith(SOURCE):
            ref = f"{ref}; {rate_label(ds)}"
        if c.n_found == 0:
            g.append(
                Goal(
                    ds,
                    "IMU-only contact |error| median",
                    "<= 20 ms",
                    math.nan,
                    None,
                    ref,
                    "ms",
                )
            )
        else:
            med = abs_ms(c.errors_s, 50)
            g.append(
                Goal(
                    ds,
                    "IMU-only contact |error| median",
                    "<= 20 ms",
                    med,
                    med <= 20,
                    ref,
                    "ms",
                )
            )
    return g


SI_METRICS: dict[str, Callable[[FootResult], list[int]]] = {
    "impulse": lambda r: r.impulse_dnms,
    "peak force": lambda r: r.peak_dn,
    "loading rate": lambda r: r.loading_n_s,
    "stance": lambda r: r.stance_us,
}


def walk_balance(results: Sequence[FootResult]) -> list[WalkBalance]:
    """Left/right shares and symmetry indices per gaitpdb walk, from the kernel's steps.

    SI = (L - R) / ((L + R) / 2) in per mille (Robinson et al. 1987), from the walk's
    per-foot means, computed by the firmware's own stridefw.balance.symmetry_pm.
    """
    by: dict[str, dict[int, FootResult]] = {}
    for r in results:
        by.setdefault(r.record, {})[r.foot] = r
    out: list[WalkBalance] = []
    for name, feet in sorted(by.items()):
        if 0 not in feet or 1 not in feet or not feet[0].n_steps or not feet[1].n_steps:
            continue
        left, right = feet[0], feet[1]
        si = {
            k: fw_balance.symmetry_pm(int(np.mean(f(left))), int(np.mean(f(right))))
            for k, f in SI_METRICS.items()
        }
        li, ri = sum(left.impulse_dnms), sum(right.impulse_dnms)
        raw = left.raw_impulse_ns / (left.raw_impulse_ns + right.raw_impulse_ns)
        out.append(
            WalkBalance(
                name, left.group, name.endswith("_01"), 1000 * li / (li + ri), 1000 * raw, si
            )
        )
    return out


def hedges_g(a: Sequence[float], b: Sequence[float]) -> tuple[float, tuple[float, float]]:
    """Hedges' g of a - b with an approximate 95 % interval (Hedges & Olkin 1985)."""
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        return math.nan, (math.nan, math.nan)
    s = math.sqrt(((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / (n1 + n2 - 2))
    if s == 0:
        return math.nan, (math.nan, math.nan)
    d = (float(np.mean(a)) - float(np.mean(b))) / s
    g = d * (1 - 3 / (4 * (n1 + n2) - 9))
    se = math.sqrt((n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2)))
    return g, (g - 1.96 * se, g + 1.96 * se)


def group_effects(walks: Sequence[WalkBalance]) -> list[GroupEffect]:
    """PD vs control on the usual walks (one per subject): |SI| and |left share - 50 %|."""
    usual = [w for w in walks if w.usual]
    metrics: dict[str, Callable[[WalkBalance], float]] = {
        f"|SI {k}| %": (lambda w, k=k: abs(w.si_pm[k]) / 10) for k in SI_METRICS
    }
    metrics["|left share - 50| %"] = lambda w: abs(w.left_share_pm - 500) / 10
    out: list[GroupEffect] = []
    for name, f in metrics.items():
        pd = [f(w) for w in usual if w.group == "PD"]
        co = [f(w) for w in usual if w.group == "control"]
        g, ci = hedges_g(pd, co)
        out.append(
            GroupEffect(
                name,
                float(np.mean(pd)) if pd else math.nan,
                float(np.std(pd, ddof=1)) if len(pd) > 1 else math.nan,
                len(pd),
                float(np.mean(co)) if co else math.nan,
                float(np.std(co, ddof=1)) if len(co) > 1 else math.nan,
                len(co),
                g,
                ci,
            )
        )
    return out
