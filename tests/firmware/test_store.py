"""SessionStore on LittleFS: compression, torn tails, power cuts, a full flash."""

from __future__ import annotations

import array

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import sampleblock as SB
from stridefw import store as S
from stridefw.records import REC_SAMPLE_BLOCK
from stridekit.session import step_payloads
from stridekit.sim.shims.flash import FlashDevice, LfsFs, new_fs
from tests.conftest import sim
from tests.firmware.podkit import (
    N_CELLS,
    Script,
    all_frames,
    fresh_store,
    play,
    read_file,
    reboot,
    samples_of,
)

# ----------------------------------------------------------------- SampleBlock


@st.composite
def sample_runs(draw: st.DrawFn) -> tuple[int, list[tuple[int, list[int], list[int] | None]]]:
    n_cells = draw(st.sampled_from([1, 8, 16]))
    n = draw(st.integers(1, 64))
    period = draw(st.sampled_from([5000, 10000]))
    rows = []
    for _ in range(n):
        dt = draw(st.one_of(st.integers(0, 65535), st.just(period)))
        cells = draw(st.lists(st.integers(0, 4095), min_size=n_cells, max_size=n_cells))
        imu = draw(
            st.one_of(st.none(), st.lists(st.integers(-32768, 32767), min_size=6, max_size=6))
        )
        rows.append((dt, cells, imu))
    return period, rows


@settings(max_examples=200, deadline=None)
@given(sample_runs(), st.integers(0, (1 << 30) - 1), st.integers(0, 3))
def test_sample_block_round_trip(
    run: tuple[int, list[tuple[int, list[int], list[int] | None]]], t0: int, wraps: int
) -> None:
    period, rows = run
    n_cells = len(rows[0][1])
    enc = SB.SampleBlockEncoder(n_cells, period)
    enc.start(t0, wraps)
    t = (wraps << 30) + t0
    want_t = []
    for i, (dt, cells, imu) in enumerate(rows):
        if not enc.room():
            rows = rows[:i]  # the store starts a new block here
            break
        if i:
            t += dt
        want_t.append(t & 0xFFFFFFFF)
        enc.add(dt, array.array("H", cells), None if imu is None else array.array("h", imu))
    plen = enc.encode()
    assert plen <= len(enc.buf)
    ts, cs, ms = SB.decode_sample_block(bytes(enc.buf[:plen]), SB.SAMPLE_BLOCK_VERSION)
    assert ts == want_t
    assert cs == [tuple(r[1]) for r in rows]
    assert ms == [None if r[2] is None else tuple(r[2]) for r in rows]


def test_sample_block_rejects_truncation() -> None:
    enc = SB.SampleBlockEncoder(8, 10000)
    enc.start(0, 0)
    for i in range(5):
        enc.add(10000, array.array("H", [i * 100] * 8), array.array("h", [i] * 6))
    payload = bytes(enc.buf[: enc.encode()])
    with pytest.raises(ValueError):
        SB.decode_sample_block(payload[:-1], SB.SAMPLE_BLOCK_VERSION)
    with pytest.raises(ValueError):
        SB.decode_sample_block(payload + b"\x00", SB.SAMPLE_BLOCK_VERSION)


def test_compression_ratio_on_a_simulated_run() -> None:
    """Raw samples cost less than half of plain Sample records."""
    run = sim(seed=31, duration_s=20.0, jitter_us=0.0)
    foot = run.feet[0]
    _dev, store = fresh_store()
    store.begin(R.SessionHeader(n_cells=8).to_bytes(), 8, 10000)
    cells = array.array("H", bytes(16))
    imu = array.array("h", bytes(12))
    prev = 0
    for i, t in enumerate(foot.t_us.tolist()):
        cells[:] = array.array("H", foot.cells[i].tolist())
        imu[:] = array.array("h", foot.imu[i].tolist())  # type: ignore[index]
        store.add_sample(t, 0, t - prev if i else -1, cells, imu)
        prev = t
    store.end()
    recs, dec = all_frames(read_file(store, 1))
    blocks = [r for r in recs if r.rtype == REC_SAMPLE_BLOCK]
    block_bytes = sum(len(R.Encoder().encode(r.rtype, r.seq, r.payload)) for r in blocks)
    plain = len(foot.t_us) * len(R.Encoder().encode(R.REC_SAMPLE, 0, bytes(R.sample_len(8, True))))
    t, c = samples_of(recs)
    assert t == foot.t_us.tolist() and c == [tuple(r) for r in foot.cells.tolist()]
    assert dec.n_errors == 0
    assert plain / block_bytes > 2.0, plain / block_bytes


# ----------------------------------------------------------------- torn tail, markers


def test_torn_tail_is_cut_at_mount() -> None:
    dev, store = fresh_store()
    play(store, Script(300))
    good = read_file(store, 1)
    f = store.fs.open(store.path(1), "ab")
    f.write(R.Encoder().encode(R.REC_STEP, 99, bytes(50))[:-7])  # a frame without its end
    f.close()
    again = reboot(dev)
    assert again.cut_bytes > 0
    assert read_file(again, 1) == good
    recs, dec = all_frames(good)
    assert dec.n_errors == 0 and recs[-1].rtype == R.REC_END


def test_torn_frame_in_the_middle_of_a_long_tail_window() -> None:
    """A damaged frame before intact ones is kept (readers drop it); only the tail goes."""
    dev, store = fresh_store()
    play(store, Script(300))
    good = read_file(store, 1)
    f = store.fs.open(store.path(1), "ab")
    f.write(b"\x05\x01\x02\x00")  # bad CRC, delimited
    f.write(R.Encoder().encode(R.REC_NOTE, 1, R.Note(0, "after").to_bytes()))
    f.write(b"\x07\x07\x07")  # torn tail
    f.close()
    again = reboot(dev)
    data = read_file(again, 1)
    assert data.startswith(good) and len(data) == again.sizes[1]
    recs, dec = all_frames(data)
    assert recs[-1].rtype == R.REC_NOTE and dec.n_errors == 1


class _TornOnce:
    """A session file whose next write stores half its bytes and then fails (ENOSPC, a
    flash error): the file ends in a torn frame and recording goes on after it."""

    def __init__(self, f: object) -> None:
        self.f = f
        self.armed = True

    def write(self, data: memoryview) -> int:
        if self.armed:
            self.armed = False
            self.f.write(bytes(data[: len(data) // 2]))  # type: ignore[attr-defined]
            raise OSError(28)
        return self.f.write(data)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.f, name)


def test_a_failed_write_tears_one_spill_and_the_next_frame_starts_clean() -> None:
    """After a torn write the next frame's leading 0x00 ends the torn one: only the
    records of the failed write are lost, every later record decodes."""
    dev, store = fresh_store()
    store.begin(Script(10).header(store.next_id), N_CELLS, 10_000)
    for i in range(3):
        store.add(R.REC_FLAG, R.Flag(t_us=70 * i).to_bytes())
    store.commit()
    store._f = _TornOnce(store._f)
    for i in range(3, 6):
        store.add(R.REC_FLAG, R.Flag(t_us=70 * i).to_bytes())
    assert store.commit() == 0 and store.write_errors == 1 and store.full
    assert store.dropped == 3
    store.full = False  # what commit() does once the host has freed room
    for i in range(6, 9):
        store.add(R.REC_FLAG, R.Flag(t_us=70 * i).to_bytes())
    store.end(R.SessionEnd(steps=9).to_bytes())
    data = read_file(store, 1)
    recs, dec = all_frames(data)
    assert dec.n_errors == 1  # the torn frame, and nothing after it
    seqs = [r.seq for r in recs]
    assert seqs[:4] == [0, 1, 2, 3] and seqs[-4:] == [7, 8, 9, 10]  # 4..6 were in the write
    assert [r.rtype for r in recs[-4:]] == [R.REC_FLAG] * 3 + [R.REC_END]
    assert read_file(reboot(dev), 1) == data  # the size this boot reports is the file's


def test_sync_marker_survives_reboot_and_never_moves_back() -> None:
    dev, store = fresh_store()
    play(store, Script(200))
    size = store.sizes[1]
    assert store.ack(1, 100) == 100
    assert store.ack(1, 50) == 100  # never backwards
    assert store.ack(1, size + 999) == size  # never beyond the data
    with pytest.raises(KeyError):
        store.ack(7, 1)
    again = reboot(dev)
    assert again.synced[1] == size and again.next_id == 2


# ----------------------------------------------------------------- power cuts


def test_power_cut_at_every_block_write() -> None:
    """Cut power at each flash write of a session; after reboot everything durable is there.

    Before the session the flash holds a synced session and a partly synced one;
    during it the host acknowledges more of the second. After each cut: the FS
    mounts, the older sessions are byte-identical (0 synced records lost), their
    markers are the old or the acknowledged value, and the new session is an
    intact prefix (by seq and content) of the uncut recording, holding at least
    every record commit() had reported durable.
    """
    dev, store = fresh_store(blocks=48)
    play(store, Script(150, seed=1))
    play(store, Script(150, seed=2))
    store.ack(1, store.sizes[1])
    store.ack(2, 400)
    before = {sid: read_file(store, sid) for sid in (1, 2)}
    image = bytes(dev.buffer)

    def session(cut_after: int | None) -> tuple[FlashDevice, int, bool]:
        d = FlashDevice(48, cut_after=cut_after, seed=cut_after or 0)
        d.buffer[:] = image
        s = S.SessionStore(LfsFs(new_fs(d)), raw_floor=32 * 1024, step_floor=12 * 1024)
        s.mount()
        acked = []

        def ack() -> None:
            s.ack(2, 900)
            acked.append(not d.dead)

        durable = play(s, Script(400, seed=3), d, at_half=ack)
        return d, durable, bool(acked and acked[0])

    ref_dev, _, _ = session(None)
    ref = all_frames(read_file(reboot(ref_dev), 3))[0]
    total = ref_dev.writes
    assert total > 50
    for k in range(total):
        d, durable, acked = session(k)
        assert d.dead
        s = reboot(d)  # mounts, or raises
        for sid in (1, 2):
            assert read_file(s, sid) == before[sid], (k, sid)
        assert s.synced[1] == len(before[1])
        assert s.synced[2] in (400, 900) and (s.synced[2] == 900 or not acked), k
        if 3 not in s.sizes:
            assert durable == 0, k
            continue
        recs, dec = all_frames(read_file(s, 3))
        assert dec.n_errors == 0, (k, dec.errors)
        assert len(recs) >= durable, (k, len(recs), durable)
        assert [r.seq for r in recs] == list(range(len(recs))), k
        assert [bytes(r.payload) for r in recs] == [bytes(r.payload) for r in ref[: len(recs)]], k


# ----------------------------------------------------------------- a full flash


def test_flash_full_rotates_synced_keeps_unsynced_and_keeps_steps() -> None:
    raw_floor, step_floor = 48 * 1024, 16 * 1024
    dev, store = fresh_store(blocks=48, raw_floor=raw_floor, step_floor=step_floor)
    for seed in (1, 2, 3):
        play(store, Script(1500, seed=seed))
    store.ack(1, store.sizes[1])
    store.ack(2, store.sizes[2])
    unsynced = read_file(store, 3)
    assert store.ids == [1, 2, 3]

    seen_ids: list[list[int]] = []
    steps_after_raw_off = 0
    raw_off_at = -1
    sc = Script(20000, seed=4)
    store.begin(sc.header(4), N_CELLS, 10_000)
    seen_ids.append(list(store.ids))
    cells = array.array("H", bytes(2 * N_CELLS))
    imu = array.array("h", bytes(12))
    for i in range(sc.n_samples):
        cells[:] = array.array("H", sc.cells[i].tolist())
        imu[:] = array.array("h", sc.imu[i].tolist())
        store.add_sample(i * 10000, 0, 10000 if i else -1, cells, imu)
        if i % 70 == 69:
            ok = store.add(R.REC_STEP, sc.step_payload(i))
            if raw_off_at >= 0 and ok:
                steps_after_raw_off += 1
        if i % 100 == 99:
            store.commit()
            if not seen_ids or seen_ids[-1] != store.ids:
                seen_ids.append(list(store.ids))
            if not store.raw_on and raw_off_at < 0:
                raw_off_at = i
        if store.full:
            break
    store.end()
    # oldest synced first, the unsynced session never
    assert seen_ids[0] == [1, 2, 3, 4]
    assert [2, 3, 4] in seen_ids and [3, 4] in seen_ids
    assert seen_ids.index([2, 3, 4]) < seen_ids.index([3, 4])
    assert 3 in store.ids and read_file(store, 3) == unsynced
    # raw capture stopped before steps did, and steps went on after it
    assert raw_off_at > 0 and store.raw_dropped > 0
    assert steps_after_raw_off >= 10
    again = reboot(dev, raw_floor, step_floor)
    recs, dec = all_frames(read_file(again, 4))
    assert dec.n_errors == 0
    kinds = [r.rtype for r in recs]
    last_block = max(i for i, k in enumerate(kinds) if k == REC_SAMPLE_BLOCK)
    steps_after = [
        p for r in recs[last_block + 1 :] if r.rtype == R.REC_STEP_BLOCK for p in step_payloads(r)
    ]
    assert len(steps_after) >= 10
    assert np.all(np.diff([r.seq for r in recs]) >= 1)


def test_a_power_cut_loses_at_most_the_open_step_block() -> None:
    """Steps wait in RAM until STEP_BLOCK_MAX of them (or another record) frame them:
    a cut after commits keeps every full block and the records framed before it."""
    from stridefw.stepblock import STEP_BLOCK_MAX

    dev, store = fresh_store()
    sc = Script(10)
    store.begin(sc.header(store.next_id), N_CELLS, 10_000)
    n = 2 * STEP_BLOCK_MAX + 3
    payloads = [sc.step_payload(70 * i) for i in range(n)]
    for i, p in enumerate(payloads):
        store.add(R.REC_STEP, p)
        if i == 4:
            store.add(R.REC_FLAG, R.Flag(t_us=i).to_bytes())  # frames the 5 steps before it
        store.commit()
    # the power goes: no end(); the flash holds what the commits made durable
    recs, dec = all_frames(read_file(reboot(dev), 1))
    assert dec.n_errors == 0
    kept = [p for r in recs if r.rtype == R.REC_STEP_BLOCK for p in step_payloads(r)]
    assert kept == payloads[: len(kept)]
    assert n - len(kept) < STEP_BLOCK_MAX  # only the open block is lost
    assert [r.rtype for r in recs].count(R.REC_FLAG) == 1


def test_a_failed_write_counts_each_lost_step_not_each_block() -> None:
    """A StepBlock lost in a failed write is STEP_BLOCK_MAX steps in `dropped`."""
    from stridefw.stepblock import STEP_BLOCK_MAX

    _, store = fresh_store()
    sc = Script(10)
    store.begin(sc.header(store.next_id), N_CELLS, 10_000)
    store._f = _TornOnce(store._f)
    for i in range(2 * STEP_BLOCK_MAX):  # two full blocks framed into the RAM buffer
        store.add(R.REC_STEP, sc.step_payload(70 * i))
    store.add(R.REC_FLAG, R.Flag(t_us=1).to_bytes())
    assert store.commit() == 0 and store.write_errors == 1
    assert store.dropped == 2 * STEP_BLOCK_MAX + 1  # 16 steps and the Flag


def test_a_cut_between_commits_loses_the_open_block_and_what_came_after_the_commit() -> None:
    """The worst case the docs state: a block framed after the last commit waits in the
    RAM buffer like any record, and the open block after it is lost too."""
    from stridefw.stepblock import STEP_BLOCK_MAX

    dev, store = fresh_store()
    sc = Script(10)
    store.begin(sc.header(store.next_id), N_CELLS, 10_000)
    payloads = [sc.step_payload(70 * i) for i in range(3 * STEP_BLOCK_MAX)]
    for p in payloads[:STEP_BLOCK_MAX]:
        store.add(R.REC_STEP, p)
    store.commit()  # the first block is durable
    for p in payloads[STEP_BLOCK_MAX : 2 * STEP_BLOCK_MAX + 3]:
        store.add(R.REC_STEP, p)  # a second block framed, 3 steps open; no commit
    recs, dec = all_frames(read_file(reboot(dev), 1))
    assert dec.n_errors == 0
    kept = [p for r in recs if r.rtype == R.REC_STEP_BLOCK for p in step_payloads(r)]
    assert kept == payloads[:STEP_BLOCK_MAX]


def test_the_host_writer_orders_blocks_as_the_store_does() -> None:
    """stridekit.session_writer.SessionWriter (stride sim, stride import) frames the same
    record types in the same order as the pod's store, for samples and steps mixed."""
    from stridefw.stepblock import STEP_BLOCK_MAX
    from stridekit.session_writer import SessionWriter

    dev, store = fresh_store()
    sc = Script(10)
    header = sc.header(store.next_id)
    store.begin(header, N_CELLS, 10_000)
    w = SessionWriter(10_000, step_blocks=True)
    w.add(R.REC_HEADER, header)
    t = last_commit = 0
    cells = [100] * N_CELLS
    for i in range(3 * STEP_BLOCK_MAX):
        for _ in range(7):  # samples between steps, the block still open at each step
            if t - last_commit >= S.COMMIT_MS * 1000:  # the app's commit period
                store.commit()
                last_commit = t
            store.add_sample(t, 0, -1 if t == 0 else 10_000, cells, None)
            w.add_sample(t, cells, None)
            t += 10_000
        step = sc.step_payload(70 * i)
        store.add(R.REC_STEP, step)
        w.add_step(step)
    store.end()
    w.end()
    pod = [r.rtype for r in all_frames(read_file(reboot(dev), 1))[0]]
    host = [r.rtype for r in R.decode_all(bytes(w.out))[0]]
    assert R.REC_STEP_BLOCK in pod and R.REC_SAMPLE_BLOCK in pod
    assert host == pod
