"""The firmware's BLE layer in virtual pods on Bumble's virtual link, against a plain Bumble central."""

from __future__ import annotations

import asyncio
import contextlib
import random
from typing import Any

from bluetooth_sig import BluetoothSIGTranslator
from bumble import att
from bumble.link import LocalLink
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridefw import records as R
from stridefw import rsc
from stridefw import syncproto as P
from stridekit.sim.pod import BlePods, read_session_file
from tests.ble.central import Control, central, char, connect
from tests.conftest import sim

SIG = BluetoothSIGTranslator()
INSUFFICIENT = {att.ErrorCode.INSUFFICIENT_AUTHENTICATION, att.ErrorCode.INSUFFICIENT_ENCRYPTION}


async def _bonded(pods: BlePods, link: LocalLink, i: int = 0) -> tuple[Any, Any, Control]:
    host = await central(link)
    conn, peer = await connect(host, pods.addresses[i])
    pods[i].app.pair_window()
    await conn.pair()
    ctl = Control(peer)
    await ctl.start()
    return conn, peer, ctl


def test_advertising_has_name_foot_appearance_and_services() -> None:
    async def main() -> dict[str, Any]:
        link = LocalLink()
        async with BlePods(link, [None, None]):
            host = await central(link)
            seen: dict[str, Any] = {}
            host.on("advertisement", lambda adv: seen.__setitem__(str(adv.address), adv.data))
            await host.start_scanning(active=True)
            await asyncio.sleep(0.3)
            await host.stop_scanning()
            return seen

    seen = asyncio.run(main())
    from bumble.core import AdvertisingData as AD

    feet = {}
    for data in seen.values():
        name = data.get(AD.COMPLETE_LOCAL_NAME)
        assert data.get(AD.APPEARANCE) is not None
        assert int(data.get(AD.APPEARANCE)) == P.APPEARANCE_RUNNING_IN_SHOE  # type: ignore[arg-type]
        uuids16 = [
            int.from_bytes(bytes(u), "little")
            for u in data.get(AD.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS)
        ]  # type: ignore[union-attr]
        assert P.RSC_SERVICE in uuids16
        feet[name] = P.foot_from_name(name)
    assert sorted(feet.values()) == [0, 1]


def test_rsc_and_standard_services_decode_with_bluetooth_sig_and_match_the_kernel() -> None:
    run = sim(duration_s=20.0, speed_m_s=3.0, cadence_spm=170.0)
    foot = run.feet[0]

    async def main() -> tuple[list[bytes], dict[int, bytes], list[bytes]]:
        link = LocalLink()
        async with BlePods(link, [foot]) as pods:
            pods.paused = True  # the run starts once the watch listens
            host = await central(link)
            _conn, peer = await connect(host, pods.addresses[0])
            got: list[bytes] = []
            await char(peer, P.RSC_MEASUREMENT).subscribe(lambda v: got.append(bytes(v)))
            values = {}
            for u in (
                P.RSC_FEATURE,
                P.SENSOR_LOCATION,
                P.BATTERY_LEVEL,
                P.MANUFACTURER_NAME,
                P.SERIAL_NUMBER,
            ):
                values[u] = bytes(await char(peer, u).read_value())
            steps: list[bytes] = []
            orig = pods[0].app.ble.on_step  # type: ignore[union-attr]

            def spy(step: Any) -> None:
                steps.append(bytes(step))
                orig(step)

            pods[0].app.ble.on_step = spy  # type: ignore[union-attr]
            pods.paused = False
            await pods.run_for(15.0)
            await asyncio.sleep(0.05)
            return got, values, steps

    got, values, steps = asyncio.run(main())
    feat = SIG.parse_characteristic("2A54", values[P.RSC_FEATURE])
    # an uncalibrated pod claims no stride length or distance (stridefw/rsc.py)
    assert not feat.instantaneous_stride_length_supported  # type: ignore[union-attr]
    assert not feat.total_distance_supported  # type: ignore[union-attr]
    assert int(SIG.parse_characteristic("2A5D", values[P.SENSOR_LOCATION])) == 2  # type: ignore[arg-type]
    assert 0 <= int(SIG.parse_characteristic("2A19", values[P.BATTERY_LEVEL])) <= 100  # type: ignore[arg-type]
    assert SIG.parse_characteristic("2A29", values[P.MANUFACTURER_NAME]) == "StrideKit"
    assert len(got) >= 10 and len(steps) >= len(got)
    # replay the kernel's Step records through rsc.Rsc: the notified values are exactly those
    ref = rsc.Rsc()
    expect = []
    for s in steps:
        st_ = R.Step.from_bytes(s)
        if ref.step(st_.stance_us, st_.swing_us):
            expect.append(bytes(ref.measurement()))
    assert got == expect[: len(got)]
    last = SIG.parse_characteristic("2A53", got[-1])
    assert last.is_running  # type: ignore[union-attr]
    cad = last.instantaneous_cadence  # type: ignore[union-attr]
    assert abs(cad - 170) <= 6  # steps/min of both feet, the watches' convention
    # uncalibrated: speed 0, no stride length or distance (nothing made up)
    assert last.instantaneous_speed == 0  # type: ignore[union-attr]
    assert last.instantaneous_stride_length is None  # type: ignore[union-attr]


def test_stride_service_refuses_an_unencrypted_client_and_unbonded_pairing() -> None:
    async def main() -> tuple[set[int], int, int, bool]:
        link = LocalLink()
        async with BlePods(link, [None]) as pods:
            host = await central(link)
            conn, peer = await connect(host, pods.addresses[0])
            errors = set()
            for u in (P.STATUS_UUID, P.DATA_UUID):
                try:
                    v = await char(peer, u).read_value()
                    errors.add(-len(v))
                except att.ATT_Error as e:
                    errors.add(e.error_code)
            try:
                await char(peer, P.CONTROL_UUID).write_value(
                    P.encode_request(P.OP_LIST, 1), with_response=True
                )
            except att.ATT_Error as e:
                errors.add(e.error_code)
            # pairing outside the window: no bond stored, the link is dropped
            ble = pods[0].app.ble
            assert ble is not None and not ble.window_open
            with contextlib.suppress(Exception):  # the pod drops the link
                await conn.pair()
            await asyncio.sleep(0.2)
            return errors, len(ble.bonds.secrets), ble.refused_bonds, bool(ble.conns)

    errors, n_secrets, refused, still_connected = asyncio.run(main())
    assert errors and errors <= INSUFFICIENT
    assert n_secrets == 0 and refused >= 1 and not still_connected


def test_read_of_a_session_is_byte_identical_under_enomem_back_pressure() -> None:
    run = sim(duration_s=20.0, speed_m_s=3.0, cadence_spm=170.0)
    rng = random.Random(7)

    async def main() -> tuple[bytes, bytes, int, list[Any]]:
        link = LocalLink()
        async with BlePods(link, [run.feet[0]], enomem=lambda: rng.random() < 0.3) as pods:
            app = pods[0].app
            sid = app.rec_start()
            await pods.run_for(8.0)
            app.rec_stop()
            _c, _p, ctl = await _bonded(pods, link)
            _op, _rid, _status, payload = await ctl.request(P.OP_LIST)
            entries, _more = P.decode_list(payload)
            got = await ctl.read_session(sid)
            mark = await ctl.request(P.OP_MARK, sid, len(got))
            assert P.decode_ok(P.OP_MARK, mark[3]) == (len(got),)
            return got, read_session_file(pods[0], sid), pods.bles[0].enomem_raised, entries

    got, want, enomem, entries = asyncio.run(main())
    assert len(want) > 5000
    assert got == want
    assert enomem > 0
    assert entries and entries[0][1] == len(want)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=24), min_size=1, max_size=30))
def test_fuzzed_control_point_writes_never_crash_the_pod(writes: list[bytes]) -> None:
    async def main() -> tuple[int, int, bool]:
        link = LocalLink()
        async with BlePods(link, [None]) as pods:
            _c, peer, ctl = await _bonded(pods, link)
            for w in writes:
                await ctl.cp.write_value(w, with_response=True)
            for sc in writes[:5]:
                await char(peer, P.SC_CONTROL_POINT).write_value(sc[:8], with_response=True)
            await char(peer, P.CURRENT_TIME).write_value(writes[0][:10], with_response=True)
            await asyncio.sleep(0.05)
            await ctl.cp.write_value(P.encode_request(P.OP_LIST, 0xEE), with_response=True)
            while True:  # earlier answers (BAD_REQUEST ...) come first
                r = P.decode_response(await asyncio.wait_for(ctl.responses.get(), 30))
                if r[1] == 0xEE and r[0] == P.OP_LIST:
                    return r[0], r[2], pods[0].app.running

    op, status, running = asyncio.run(main())
    assert (op, status, running) == (P.OP_LIST, P.ST_OK, True)


def test_current_time_write_logs_a_sync_record() -> None:
    async def main() -> list[Any]:
        link = LocalLink()
        async with BlePods(link, [None]) as pods:
            app = pods[0].app
            sid = app.rec_start()
            _conn, peer, _ctl = await _bonded(pods, link)  # only a bond sets the clock
            from stridefw.cts import epoch_to_current_time

            await char(peer, P.CURRENT_TIME).write_value(
                epoch_to_current_time(1_750_000_000), with_response=True
            )
            await pods.run_for(1.5)
            app.rec_stop()
            data = read_session_file(pods[0], sid)
        recs, _ = R.decode_all(data)
        return [R.Sync.from_bytes(r.payload) for r in recs if r.rtype == R.REC_SYNC]

    syncs = asyncio.run(main())
    assert syncs and syncs[-1].host_unix_us // 1_000_000 in (1_750_000_000, 1_750_000_001)
