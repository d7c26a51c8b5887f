"""Run the firmware's StepKernel on raw samples, on CPython: the same code as the pod.

Used three ways: the simulator records sessions through it (as the pod would),
`stride replay` re-runs it on a stored session and checks the Step and Flag
records bit for bit, and the benchmarks time it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from stridefw import calib as fw_calib
from stridefw import kernel as fw_kernel
from stridefw import layouts as fw_layouts
from stridefw import records as R
from stridefw.config import TICKS_MASK
from stridekit.errors import BadSessionFile
from stridekit.session import ADC_MAX, Session
from stridekit.session_writer import SessionWriter


@dataclass
class KernelOutput:
    """What the kernel emitted, with the sample index at which it emitted it."""

    step_payloads: list[bytes] = field(default_factory=list)
    step_at: list[int] = field(default_factory=list)
    flag_payloads: list[bytes] = field(default_factory=list)
    flag_at: list[int] = field(default_factory=list)
    gaps: int = 0
    bad_ticks: int = 0
    rejected: int = 0


def kernel_for(header: R.SessionHeader, notes: Sequence[str] = ()) -> fw_kernel.StepKernel:
    """A StepKernel configured exactly as the header (and the session's notes) say the pod's was.

    notes: the session's Note texts; the pod writes the runner's UNSTABLE reference
    as one at the session start (`stridefw.kernel.UNSTABLE_REF_NOTE`) and judged the
    session against it, so a replay must too.

    BadSessionFile for a header no pod writes (unknown layout, a calibration that
    does not parse or is for another cell count, a body weight outside the kernel's
    range): the kernel is only ever given what a pod could have given it.
    """
    try:
        layout = fw_layouts.by_id(header.layout_id)
    except ValueError as e:
        raise BadSessionFile(f"SessionHeader: {e}") from e
    if layout.n_cells != header.n_cells:
        raise BadSessionFile(
            f"layout {header.layout_id} has {layout.n_cells} cells, header says {header.n_cells}"
        )
    try:
        cal = (
            fw_calib.Calibration.from_bytes(header.calib)
            if header.calib
            else fw_calib.nominal(header.n_cells)
        )
    except ValueError as e:
        raise BadSessionFile(f"SessionHeader: {e}") from e
    if cal.n_cells != header.n_cells:
        raise BadSessionFile(
            f"SessionHeader: calibration for {cal.n_cells} cells, header says {header.n_cells}"
        )
    k = fw_kernel.StepKernel(
        layout, cal, foot=header.foot, has_imu=bool(header.has_imu), bw_dn=header.bw_dn
    )
    for text in notes:
        if k.set_reference_note(text):
            break
    return k


def check_samples(cells: np.ndarray, imu: np.ndarray | None = None) -> None:
    """BadSessionFile unless every raw cell is a 12-bit ADC count and every IMU value an int16.

    The kernel keeps raw counts in 16-bit arrays and assumes 0..4095; a CRC-valid
    record with other values (a bad converter, a fuzzer) must stop here, not in it.
    """
    if cells.size and (int(cells.min()) < 0 or int(cells.max()) > ADC_MAX):
        bad = int(np.count_nonzero((cells < 0) | (cells > ADC_MAX)))
        raise BadSessionFile(f"{bad} raw cell values outside 0..{ADC_MAX} (the 12-bit ADC)")
    if imu is not None and imu.size and (int(imu.min()) < -32768 or int(imu.max()) > 32767):
        raise BadSessionFile("IMU values outside int16")


# Samples the kernel is fed per window: each window's rows become Python lists
# (~0.2 kB a sample) and are dropped before the next, so memory does not grow with
# the run. Any size gives the same records (one kernel runs on across windows).
WINDOW_SAMPLES = 4096


def _push_all(
    k: fw_kernel.StepKernel,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    imu_present: np.ndarray | None,
    out: KernelOutput,
    first_index: int,
) -> None:
    push = k.push
    ev_step = fw_kernel.EV_STEP
    ev_flag = fw_kernel.EV_FLAG
    steps, step_at = out.step_payloads, out.step_at
    flags, flag_at = out.flag_payloads, out.flag_at
    n = len(t_us)
    for a in range(0, n, WINDOW_SAMPLES):
        b = min(n, a + WINDOW_SAMPLES)
        # the kernel only indexes the cells and IMU values of the sample it is given
        # and keeps none of them, so each row's list is passed as it is: no copy
        ticks = (t_us[a:b].astype(np.int64) & TICKS_MASK).tolist()
        rows = cells[a:b].tolist()
        if imu is None:
            imu_rows: Iterable[list[int] | None] = repeat(None, b - a)
        else:
            imu_list: list[list[int] | None] = imu[a:b].tolist()
            if imu_present is not None:
                for j in np.flatnonzero(imu_present[a:b] == 0).tolist():
                    imu_list[j] = None
            imu_rows = imu_list
        # a plain loop: CPython 3.11 inlines a Python-to-Python call here, which
        # map() over the bound method cannot (measured slower)
        i = first_index + a
        for tick, row, m in zip(ticks, rows, imu_rows, strict=True):
            ev = push(tick, row, m)
            if ev:
                if ev & ev_step:
                    steps.append(bytes(k.step))
                    step_at.append(i)
                if ev & ev_flag:
                    flags.append(bytes(k.flag))
                    flag_at.append(i)
            i += 1


def run_kernel(
    k: fw_kernel.StepKernel,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    imu_present: np.ndarray | None = None,
    out: KernelOutput | None = None,
    first_index: int = 0,
) -> KernelOutput:
    """Push every sample; t_us are session microseconds (only differences matter).

    out and first_index continue an earlier call's output with later samples of the
    same run (stream_replay feeds a session window by window); the sample indices in
    step_at and flag_at then count from the run's first sample.
    BadSessionFile if a cell is outside 0..ADC_MAX or an IMU value outside int16.
    """
    check_samples(cells, imu)
    if out is None:
        out = KernelOutput()
    # The window's rows are ~2 lists a sample and nothing here makes a reference
    # cycle, so the cyclic collector, which those lists would set off dozens of
    # times a window (each pass also walking every older object), is paused while
    # they live; any earlier garbage is collected once it is back on.
    was_on = gc.isenabled()
    gc.disable()
    try:
        _push_all(k, t_us, cells, imu, imu_present, out, first_index)
    finally:
        if was_on:
            gc.enable()
    out.gaps, out.bad_ticks, out.rejected = k.gaps, k.bad_ticks, k.rejected
    return out


def learnt_reference(
    header: R.SessionHeader,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None = None,
    imu_present: np.ndarray | None = None,
) -> str | None:
    """The UNSTABLE reference Note a pod stores after recording these samples
    (StepKernel.learn_reference, as the app does at `rec stop`), or None."""
    k = kernel_for(header)
    run_kernel(k, t_us, cells, imu, imu_present)
    return k.reference_note() if k.learn_reference() else None


def write_recording(
    w: SessionWriter,
    t_us: np.ndarray,
    cells: np.ndarray,
    imu: np.ndarray | None,
    imu_present: np.ndarray | None,
    out: KernelOutput,
    raw: bool = True,
) -> None:
    """Samples as a pod stores them (SessionWriter's pod methods, stridefw.store's rules):
    each sample into a SampleBlock, then the Step (into a StepBlock) and Flag records
    its kernel emitted there.

    raw=False writes only the Step/Flag records, as a pod does with raw capture off.
    Blocks may still be open afterwards: the SessionEnd (w.add) or w.end() frames them.
    """
    steps = dict(zip(out.step_at, out.step_payloads, strict=True))
    flags: dict[int, list[bytes]] = {}
    for i, p in zip(out.flag_at, out.flag_payloads, strict=True):
        flags.setdefault(i, []).append(p)
    cell_rows = cells.tolist()
    imu_rows = imu.tolist() if imu is not None else None
    present = imu_present.tolist() if imu_present is not None else None
    for i, t in enumerate((t_us.astype(np.int64) & 0xFFFFFFFF).tolist()):
        if raw:
            m = None
            if imu_rows is not None and (present is None or present[i]):
                m = imu_rows[i]
            w.add_sample(t, cell_rows[i], m)
        if i in steps:
            w.add_step(steps[i])
        for p in flags.get(i, ()):
            w.add(R.REC_FLAG, p)


@dataclass
class ReplayResult:
    session: Session
    output: KernelOutput
    steps: list[R.Step]
    steps_identical: bool
    flags_identical: bool
    first_difference: str | None


def not_replayable(session: Session) -> str | None:
    """One line saying why the kernel cannot be re-run as the pod ran it, or None.

    A session whose SessionHeader was lost keeps its records under a stand-in header
    (stridekit.session): the pod's layout, calibration, foot and body weight are
    unknown, so a replay would run another kernel than the pod's and its difference
    would mean nothing. Such a session is shown as not replayed, with this reason.
    """
    if session.header_lost:
        return (
            f"not replayed: its SessionHeader was lost (layout, calibration and foot "
            f"unknown); {len(session.step_payloads)} stored steps and "
            f"{len(session.sample_t_us)} samples kept as recorded"
        )
    return None


def replay(session: Session) -> ReplayResult:
    """Re-run the kernel on the session's raw samples and compare with what the pod stored.

    BadSessionFile (with not_replayable's reason) for a session whose header was lost.
    """
    reason = not_replayable(session)
    if reason is not None:
        raise BadSessionFile(reason)
    k = kernel_for(session.header, [n.text for n in session.notes])
    out = run_kernel(k, session.sample_t_us, session.cells, session.imu, session.imu_present)
    return compare(session, out)


def compare(session: Session, out: KernelOutput) -> ReplayResult:
    """The replayed records against the Step and Flag records the pod stored."""
    steps = [R.Step.from_bytes(p) for p in out.step_payloads]
    diff = None
    for i, (a, b) in enumerate(zip(session.step_payloads, out.step_payloads, strict=False)):
        if a != b:
            diff = f"step {i}: stored {R.Step.from_bytes(a)} != replayed {R.Step.from_bytes(b)}"
            break
    if diff is None and len(session.step_payloads) != len(out.step_payloads):
        diff = f"stored {len(session.step_payloads)} steps, replay found {len(out.step_payloads)}"
    return ReplayResult(
        session=session,
        output=out,
        steps=steps,
        steps_identical=diff is None,
        flags_identical=session.flag_payloads == out.flag_payloads,
        first_difference=diff,
    )
