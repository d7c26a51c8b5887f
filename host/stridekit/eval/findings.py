"""`stride eval --findings`: how often each finding fires where it should and where it should not.

Two kinds of people, never mixed:

* Real healthy walkers (PhysioNet gaitpdb control walks: ordinary shoes, no known
  leg-length difference). Their subjects are split in two halves by a fixed rule
  (alternate subjects in sorted order). The healthy baseline the analysis uses is
  fitted on the FIT half only (`--write-baseline` writes it); the false-positive
  figure that counts is the one on the HELD-OUT half. Every walk's subject stays in
  one half, so a person's second walk cannot leak into the figure.
* Simulated runners (`stride corpus`): controls with natural asymmetry from Girard et
  al. 2019, leg-length differences whose effects come from the lift studies in
  stridekit/sim/MODEL.md, and toning soles (Stöggl et al. 2010). The analysis shares
  no constant with the simulator (tests/analysis/test_lld.py checks the imports).

Every rate is printed with its Wilson 95 % interval and its n.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stridefw import config as fw_config
from stridekit.analysis import analyse
from stridekit.analysis import baseline as B
from stridekit.analysis.asymmetry import mode_steps, symmetry
from stridekit.analysis.gait_mode import gait_mode
from stridekit.analysis.steps import foot_steps
from stridekit.errors import StrideError
from stridekit.merge import MergedRun, merge_run
from stridekit.session import Session, read_sessions, sessions_from_bytes

Progress = Callable[[int, int], None]
_CONTROL = re.compile(r"^(Ga|Ju|Si)Co(\d+)_\d+$")

# Goals for the findings, printed beside the figures (never asserted as tests of chance).
GOAL_FP = 0.05
GOAL_JUDGED = 0.80
GOAL_SENS = 0.90
GOAL_SIDE = 0.95


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score 95 % interval of k successes in n (0..1); (nan, nan) for n = 0."""
    if n <= 0:
        return float("nan"), float("nan")
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(c - h, 0.0), min(c + h, 1.0)


@dataclass
class Rate:
    """k of n, with its Wilson interval."""

    k: int
    n: int

    @property
    def p(self) -> float:
        return self.k / self.n if self.n else float("nan")

    @property
    def ci(self) -> tuple[float, float]:
        return wilson(self.k, self.n)

    def text(self) -> str:
        if not self.n:
            return "n/a (n 0)"
        lo, hi = self.ci
        return f"{self.p:.0%} ({self.k}/{self.n}; 95 % CI {lo:.0%}-{hi:.0%})"


# --- real healthy walks -----------------------------------------------------------


@dataclass
class HealthyWalk:
    name: str
    subject: str
    run: MergedRun
    path: Path


def subject_of(name: str) -> str | None:
    """'GaCo05_02' -> 'GaCo05'; None for walks that are not of a control subject."""
    m = _CONTROL.match(name)
    return f"{m.group(1)}Co{int(m.group(2)):02d}" if m else None


def split_subjects(subjects: Iterable[str]) -> tuple[set[str], set[str]]:
    """(fit, held out): alternate subjects in sorted order, a rule fixed before any result."""
    s = sorted(set(subjects))
    return set(s[0::2]), set(s[1::2])


def _merged_of(data: bytes) -> MergedRun:
    ss = sessions_from_bytes(data)
    left = next(s for s in ss if s.header.foot == 0)
    right = next(s for s in ss if s.header.foot == 1)
    return merge_run(left, right)


def _import_walk(path: Path) -> HealthyWalk:
    from stridekit.importers import gaitpdb
    from stridekit.importers.common import record

    rec = gaitpdb.read(path)
    subject = subject_of(path.stem)
    assert subject is not None
    return HealthyWalk(path.stem, subject, _merged_of(record(rec).data), path)


def healthy_walks(
    data_root: Path, workers: int = 0, progress: Progress | None = None
) -> list[HealthyWalk]:
    """Every gaitpdb control walk under data_root, recorded through the kernel and merged."""
    from stridekit.importers import gaitpdb

    folder = data_root / "gaitpdb"
    if not folder.is_dir():
        raise StrideError(f"{folder} not found: give the shared data root (../shared/data)")
    paths = [p for p in gaitpdb.find(folder) if subject_of(p.stem)]
    if not paths:
        raise StrideError(f"{folder} holds no gaitpdb control walks (*Co*_NN.txt)")
    return list(_map(_import_walk, paths, workers, progress))


def _map(fn: Callable, items: Sequence, workers: int, progress: Progress | None) -> Iterable:  # type: ignore[type-arg]
    if workers == 1 or len(items) < 2:
        for i, x in enumerate(items):
            yield fn(x)
            if progress:
                progress(i + 1, len(items))
        return
    with ProcessPoolExecutor(max_workers=workers or None) as pool:
        for i, y in enumerate(pool.map(fn, items, chunksize=1)):
            yield y
            if progress:
                progress(i + 1, len(items))


def walk_features(run: MergedRun) -> tuple[np.ndarray, np.ndarray] | None:
    """The baseline features of a walk's main-mode steps, or None when too few steps."""
    from stridekit.analysis.asymmetry import MIN_STEPS_PER_FOOT

    ls, rs = foot_steps(run, 0), foot_steps(run, 1)
    mode = gait_mode([ls, rs]).main
    ls, rs = mode_steps(ls, mode), mode_steps(rs, mode)
    if len(ls) < MIN_STEPS_PER_FOOT or len(rs) < MIN_STEPS_PER_FOOT:
        return None
    return B.features(ls, rs)


def fit_baseline(walks: Sequence[HealthyWalk], fit_subjects: set[str]) -> B.Baseline:
    rows = []
    for w in walks:
        if w.subject not in fit_subjects:
            continue
        f = walk_features(w.run)
        if f is not None:
            rows.append((w.name, f[0], f[1]))
    if len(rows) < 10:
        raise StrideError(f"only {len(rows)} usable healthy walks to fit the baseline (need 10)")
    src = (
        "PhysioNet gaitpdb control walks (Hausdorff et al.; Goldberger et al. 2000), fit half "
        "of the subjects (alternate subjects in sorted order), recorded through the StrideKit "
        "kernel; `stride eval --findings --real DATA --write-baseline`"
    )
    return B.fit(rows, len(fit_subjects & {w.subject for w in walks}), src)


@dataclass
class WalkResult:
    name: str
    subject: str
    held_out: bool
    mode: str
    judged: bool
    lld: str  # none / possible / likely / "" (not judged)
    uneven: bool
    shoes: bool  # the report's footwear finding
    pod_unstable: bool
    score: float


def _pod_flag(run: MergedRun, bit: int, ever: bool = False) -> bool:
    """The pods' flag at the end of the run (as their SessionEnd and the report state it),
    or, with ever, whether it was raised at any moment (what a live view showed)."""
    for s in (run.left, run.right):
        if s is None or not s.flags:
            continue
        if any(f.flags & bit for f in s.flags) if ever else s.flags[-1].flags & bit:
            return True
    return False


def judge_walk(w: HealthyWalk, base: B.Baseline, held_out: bool) -> WalkResult:
    a = analyse([w.run])  # footwear and the rest, as the report sees them
    mode = gait_mode(a.feet).main
    asym = symmetry(foot_steps(w.run, 0), foot_steps(w.run, 1), mode, base)
    shoes = next((c for c in a.causes if c.key == "shoes"), None)
    lld = asym.lld
    return WalkResult(
        w.name,
        w.subject,
        held_out,
        mode,
        asym.judged,
        lld.category if (asym.judged and lld is not None) else "",
        asym.uneven,
        bool(shoes is not None and shoes.seen),
        _pod_flag(w.run, fw_config.FLAG_UNSTABLE),
        lld.z if lld is not None else float("nan"),
    )


@dataclass
class PairResult:
    """A walk judged by pods that learnt their UNSTABLE reference from another walk of
    the same person (the footwear rule needs the runner's own reference)."""

    reference: str
    walk: str
    shoes: bool  # the report's footwear finding
    pod_unstable: bool


def _judge_pair(paths: tuple[Path, Path]) -> PairResult:
    from stridekit.importers import gaitpdb
    from stridekit.importers.common import learn_references, record

    ref_path, path = paths
    refs = learn_references(gaitpdb.read(ref_path))
    run = _merged_of(record(gaitpdb.read(path), references=refs).data)
    a = analyse([run])
    shoes = next((c for c in a.causes if c.key == "shoes"), None)
    return PairResult(
        ref_path.stem,
        path.stem,
        bool(shoes is not None and shoes.seen),
        _pod_flag(run, fw_config.FLAG_UNSTABLE),
    )


def reference_pairs(walks: Sequence[HealthyWalk]) -> list[tuple[Path, Path]]:
    """Every ordered pair of two walks of one subject (reference walk, judged walk)."""
    by: dict[str, list[Path]] = {}
    for w in walks:
        by.setdefault(w.subject, []).append(w.path)
    return [(a, b) for ps in by.values() for a in ps for b in ps if a != b]


@dataclass
class RealFindings:
    walks: list[WalkResult]
    baseline: B.Baseline
    baseline_matches_committed: bool
    pairs: list[PairResult] = field(default_factory=list)

    def rows(self, held_out: bool | None) -> list[WalkResult]:
        return [w for w in self.walks if held_out is None or w.held_out == held_out]

    def rate(self, what: str, held_out: bool | None) -> Rate:
        rows = self.rows(held_out)
        if what == "judged":
            return Rate(sum(w.judged for w in rows), len(rows))
        if what == "lld":
            j = [w for w in rows if w.judged]
            return Rate(sum(w.lld in ("possible", "likely") for w in j), len(j))
        if what == "leg":  # the report's leg-length cause: the pattern or unequal loading
            j = [w for w in rows if w.judged]
            return Rate(sum(w.lld in ("possible", "likely") or w.uneven for w in j), len(j))
        if what == "uneven":
            j = [w for w in rows if w.judged]
            return Rate(sum(w.uneven for w in j), len(j))
        if what == "shoes":
            return Rate(sum(w.shoes for w in rows), len(rows))
        if what == "pod_unstable":
            return Rate(sum(w.pod_unstable for w in rows), len(rows))
        if what == "shoes_ref":
            return Rate(sum(p.shoes or p.pod_unstable for p in self.pairs), len(self.pairs))
        raise ValueError(what)


def real_findings(
    data_root: Path, workers: int = 0, progress: Progress | None = None
) -> RealFindings:
    walks = healthy_walks(data_root, workers, progress)
    fit_s, _ = split_subjects(w.subject for w in walks)
    base = fit_baseline(walks, fit_s)
    try:
        committed = B.healthy()
        same = bool(np.allclose(committed.between, base.between, rtol=1e-3, atol=1e-4))
    except (OSError, ValueError, KeyError):
        same = False
    res = [judge_walk(w, base, w.subject not in fit_s) for w in walks]
    pairs = list(_map(_judge_pair, reference_pairs(walks), workers, progress))
    return RealFindings(res, base, same, pairs)


def write_baseline(base: B.Baseline, path: Path = B.BASELINE_FILE) -> None:
    path.write_text(json.dumps(base.to_json(), indent=1) + "\n")


# --- simulated corpus ---------------------------------------------------------------


@dataclass
class RunnerResult:
    id: str
    group: str
    gait: str
    lld_cm: float
    long_side: str
    mode: str
    judged: bool
    lld: str
    lld_side: str
    uneven: bool
    shoes: bool
    pod_unstable: bool
    pod_unstable_ever: bool = False
    error: str = ""


def _judge_runner(task: tuple[str, dict[str, object]]) -> RunnerResult:
    path, row = task
    cond: dict[str, object] = row["conditions"]  # type: ignore[assignment]
    traits: dict[str, object] = row["traits"]  # type: ignore[assignment]
    base = RunnerResult(
        str(row["id"]),
        str(row["group"]),
        str(traits["gait"]),
        float(cond["lld_cm"]),  # type: ignore[arg-type]
        str(cond["lld_long_side"]) if float(cond["lld_cm"]) > 0 else "",  # type: ignore[arg-type]
        "",
        False,
        "",
        "",
        False,
        False,
        False,
    )
    try:
        ss: list[Session] = read_sessions(path)
        left = next(s for s in ss if s.header.foot == 0)
        right = next(s for s in ss if s.header.foot == 1)
        run = merge_run(left, right)
        a = analyse([run])
    except (StrideError, StopIteration, OSError, ValueError) as e:
        base.error = str(e) or type(e).__name__
        return base
    asym = a.asymmetry
    shoes = next((c for c in a.causes if c.key == "shoes"), None)
    base.mode = asym.mode
    base.judged = asym.judged
    if asym.judged and asym.lld is not None:
        base.lld = asym.lld.category
        base.lld_side = asym.lld.longer_side
    base.uneven = asym.uneven
    base.shoes = bool(shoes is not None and shoes.seen)
    base.pod_unstable = _pod_flag(run, fw_config.FLAG_UNSTABLE)
    base.pod_unstable_ever = _pod_flag(run, fw_config.FLAG_UNSTABLE, ever=True)
    return base


@dataclass
class CorpusFindings:
    runners: list[RunnerResult] = field(default_factory=list)

    def group(self, g: str, gait: str | None = None) -> list[RunnerResult]:
        return [
            r
            for r in self.runners
            if r.group == g and not r.error and (gait is None or r.gait == gait)
        ]

    def lld_found(self, rows: list[RunnerResult]) -> Rate:
        return Rate(sum(r.lld in ("possible", "likely") for r in rows), len(rows))

    def side_right(self, rows: list[RunnerResult]) -> Rate:
        found = [r for r in rows if r.lld in ("possible", "likely")]
        return Rate(sum(r.lld_side == r.long_side for r in found), len(found))


def corpus_findings(
    corpus_dir: Path, workers: int = 0, progress: Progress | None = None
) -> CorpusFindings:
    meta = corpus_dir / "corpus.json"
    if not meta.is_file():
        raise StrideError(f"{meta} not found: make a corpus with `stride corpus --out DIR`")
    rows: list[dict[str, object]] = json.loads(meta.read_text())["runners"]
    tasks = [(str(corpus_dir / str(r["file"])), r) for r in rows]
    return CorpusFindings(list(_map(_judge_runner, tasks, workers, progress)))
