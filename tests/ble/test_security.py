"""BLE security as NimBLE enforces it, on the Bumble-based `bluetooth` shim.

The shim applies NimBLE's ble_att_svr_check_perms (READ/WRITE flags, encrypted vs
authenticated, write without response, CCCD security); these tests hold the
shim to that and the pod's GATT server to "0 bytes of the Stride service to a
central without a bond".
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from bumble import att
from bumble.device import Connection, Peer
from bumble.link import LocalLink
from bumble.pairing import PairingConfig, PairingDelegate

from stridefw import syncproto as P
from stridekit.sim.pod import BlePods
from stridekit.sim.podtime import PodTime
from stridekit.sim.shims import bluetooth as bt
from tests.ble.central import Control, central, char, connect
from tests.conftest import sim

E = att.ErrorCode


def test_check_perms_is_nimbles_table() -> None:
    # (flags, is_read, encrypted, authenticated, peer has key) -> ATT error
    cases = [
        (bt.FLAG_WRITE, True, True, True, True, E.READ_NOT_PERMITTED),
        (bt.FLAG_READ, False, True, True, True, E.WRITE_NOT_PERMITTED),
        (bt.FLAG_WRITE_NO_RESPONSE, False, False, False, False, 0),
        (bt.FLAG_READ, True, False, False, False, 0),
        (bt.FLAG_READ | bt.FLAG_READ_ENCRYPTED, True, False, False, False, E.INSUFFICIENT_AUTHENTICATION),
        (bt.FLAG_READ | bt.FLAG_READ_ENCRYPTED, True, False, False, True, E.INSUFFICIENT_ENCRYPTION),
        (bt.FLAG_READ | bt.FLAG_READ_ENCRYPTED, True, True, False, True, 0),
        (bt.FLAG_READ | bt.FLAG_READ_AUTHENTICATED, True, True, False, True, E.INSUFFICIENT_AUTHENTICATION),
        (bt.FLAG_READ | bt.FLAG_READ_AUTHENTICATED, True, True, True, True, 0),
        (bt.FLAG_WRITE | bt.FLAG_WRITE_ENCRYPTED, False, True, False, True, 0),
        (bt.FLAG_WRITE_NO_RESPONSE | bt.FLAG_WRITE_ENCRYPTED, False, False, False, False, E.INSUFFICIENT_AUTHENTICATION),
        (bt.FLAG_WRITE | bt.FLAG_WRITE_AUTHENTICATED, False, True, False, True, E.INSUFFICIENT_AUTHENTICATION),
        # read security does not guard writes and the reverse
        (bt.FLAG_READ | bt.FLAG_WRITE | bt.FLAG_READ_ENCRYPTED, False, False, False, False, 0),
    ]  # fmt: skip
    for flags, is_read, enc, auth, key, want in cases:
        assert bt.check_perms(flags, is_read, enc, auth, key) == want, (flags, is_read, enc, auth)
    assert bt.cccd_flags(bt.FLAG_NOTIFY) == bt.FLAG_READ | bt.FLAG_WRITE
    assert bt.cccd_flags(bt.FLAG_NOTIFY | bt.FLAG_READ | bt.FLAG_READ_ENCRYPTED) & (
        bt.FLAG_WRITE_ENCRYPTED
    )


class _TinyServer:
    """The least firmware a bond needs: a key store in RAM and a yes to comparisons."""

    def __init__(self, ble: bt.BLE) -> None:
        self.ble = ble
        self.secrets: dict[tuple[int, bytes], bytes] = {}
        self.auth: list[bool] = []

    def irq(self, event: int, data: tuple[Any, ...]) -> Any:
        if event == 29:  # GET_SECRET
            sec_type, index, key = data
            if key is None:
                vals = [v for (t, _k), v in self.secrets.items() if t == sec_type]
                return vals[index] if index < len(vals) else None
            return self.secrets.get((sec_type, bytes(key)))
        if event == 30:  # SET_SECRET
            sec_type, key, value = data
            if value is None:
                self.secrets.pop((sec_type, bytes(key)), None)
            else:
                self.secrets[(sec_type, bytes(key))] = bytes(value)
            return True
        if event == 31:  # PASSKEY_ACTION (numeric comparison): accept
            self.ble.gap_passkey(data[0], data[1], 1)
        if event == 28:  # ENCRYPTION_UPDATE
            self.auth.append(bool(data[2]))
        return None


def _pair_and_read(mitm: bool) -> tuple[dict[str, Any], list[bool]]:
    """Bond with Just Works (mitm False) or numeric comparison; read each kind of characteristic."""

    async def main() -> tuple[dict[str, Any], list[bool]]:
        link = LocalLink()
        dev = bt.new_device(link, "F0:00:00:00:00:01", "dut")
        await bt.power_on(dev)
        ble = bt.BLE(dev)
        srv = _TinyServer(ble)
        ble.irq(srv.irq)
        io = 1 if mitm else 3  # DisplayYesNo / NoInputNoOutput
        ble.config(bond=True, le_secure=True, mitm=mitm, io=io)
        kinds = {
            "open": bt.FLAG_READ,
            "encrypted": bt.FLAG_READ | bt.FLAG_READ_ENCRYPTED,
            "authenticated": bt.FLAG_READ | bt.FLAG_READ_AUTHENTICATED,
        }
        uuids = {k: f"5354524b-0000-4000-8000-00000000000{i}" for i, k in enumerate(kinds)}
        service = bt.UUID("5354524b-0000-4000-8000-0000000000ff")
        chars = tuple((bt.UUID(uuids[k]), f) for k, f in kinds.items())
        (handles,) = ble.gatts_register_services(((service, chars),))
        for h in handles:
            ble.gatts_write(h, b"secret")
        ble.gap_advertise(100_000, adv_data=b"\x02\x01\x06")
        host = await central(link)
        if mitm:
            delegate = PairingDelegate(
                io_capability=PairingDelegate.IoCapability.DISPLAY_OUTPUT_AND_YES_NO_INPUT
            )
            host.pairing_config_factory = lambda _c: PairingConfig(
                sc=True, mitm=True, bonding=True, delegate=delegate
            )
        conn, peer = await connect(host, "F0:00:00:00:00:01")
        await conn.pair()
        await asyncio.sleep(0.05)
        got: dict[str, Any] = {}
        for k in kinds:
            try:
                got[k] = bytes(await char(peer, uuids[k]).read_value())
            except att.ATT_Error as e:
                got[k] = e.error_code
        return got, srv.auth

    return asyncio.run(main())


def test_a_just_works_bond_is_encrypted_but_not_authenticated() -> None:
    got, auth = _pair_and_read(mitm=False)
    assert auth == [False]
    assert got == {
        "open": b"secret",
        "encrypted": b"secret",
        "authenticated": E.INSUFFICIENT_AUTHENTICATION,
    }


def test_a_numeric_comparison_bond_is_authenticated() -> None:
    got, auth = _pair_and_read(mitm=True)
    assert auth == [True]
    assert got == {"open": b"secret", "encrypted": b"secret", "authenticated": b"secret"}


def _stride_range(peer: Peer) -> tuple[int, int]:
    for s in peer.services:
        if s.uuid == bt.UUID(P.SERVICE_UUID).bumble:
            return s.handle, s.end_group_handle
    raise AssertionError("no Stride service")


def _count_bytes(conn: Connection, lo: int, hi: int) -> list[int]:
    """Bytes of Stride attribute values this central receives: reads, notifications, indications."""
    got = [0]
    client = conn.gatt_client
    orig = client.on_gatt_pdu

    def spy(pdu: att.ATT_PDU) -> None:
        h = getattr(pdu, "attribute_handle", None)
        if h is not None and lo <= h <= hi:
            got[0] += len(getattr(pdu, "attribute_value", b""))
        orig(pdu)

    client.on_gatt_pdu = spy  # type: ignore[method-assign]
    return got


async def _try(coro: Any) -> int:
    """0 when the operation went through, else the ATT error code."""
    try:
        await coro
    except att.ATT_Error as e:
        return int(e.error_code)
    return 0


async def _advance(pods: BlePods, pod_time: PodTime, seconds: float) -> None:
    """Let `seconds` of pod time pass, BLE running, then freeze it again."""
    pod_time.set_mode("fast")
    await pods.run_for(seconds)
    pod_time.set_mode("frozen")


def test_an_unbonded_central_gets_0_bytes_of_the_stride_service_a_bonded_one_everything() -> None:
    run = sim(duration_s=30.0, speed_m_s=3.0, cadence_spm=170.0)

    async def main() -> dict[str, Any]:
        link = LocalLink()
        # pod time frozen while the centrals connect (the firmware still answers), so a
        # slow machine cannot run the simulated run out before LIVE is on
        async with BlePods(link, [run.feet[0]]) as pods, PodTime(pods, "frozen") as pod_time:
            app = pods[0].app
            ble = app.ble
            assert ble is not None
            sid = app.rec_start()
            await _advance(pods, pod_time, 4.0)
            # the bonded host: a transfer and LIVE running while the stranger tries
            friend = await central(link, "C0:00:00:00:00:01")
            fconn, fpeer = await connect(friend, pods.addresses[0])
            app.pair_window()
            await fconn.pair()
            ctl = Control(fpeer)
            await ctl.start()
            friend_bytes = _count_bytes(fconn, *_stride_range(fpeer))
            assert (await ctl.request(P.OP_LIVE, 1))[2] == P.ST_OK
            status = bytes(await char(fpeer, P.STATUS_UUID).read_value())
            await char(fpeer, P.STATUS_UUID).subscribe(lambda _v: None)
            # the stranger: connected, never paired
            stranger = await central(link, "C0:00:00:00:00:02")
            sconn, speer = await connect(stranger, pods.addresses[0])
            stranger_bytes = _count_bytes(sconn, *_stride_range(speer))
            refusals: dict[str, int] = {}
            for name, u in (
                ("cp", P.CONTROL_UUID),
                ("data", P.DATA_UUID),
                ("status", P.STATUS_UUID),
            ):
                c = char(speer, u)
                refusals[name + " read"] = await _try(c.read_value())
                refusals[name + " write"] = await _try(
                    c.write_value(P.encode_request(P.OP_LIST, 9), with_response=True)
                )
                refusals[name + " notify"] = await _try(c.subscribe(lambda _v: None))
            shim_refused = pods.bles[0].refused_access
            for op in (P.OP_LIST, P.OP_REC, P.OP_LIVE):  # write without response: dropped
                await char(speer, P.CONTROL_UUID).write_value(
                    P.encode_request(op, 7, 0) if op != P.OP_LIST else P.encode_request(op, 7),
                    with_response=False,
                )
            await char(speer, P.STATUS_UUID).write_value(b"\x00" * 10, with_response=False)
            await asyncio.sleep(0.05)
            shim_refused = pods.bles[0].refused_access - shim_refused
            recording = app.recording  # the stranger's REC 0 did not stop it
            await _advance(pods, pod_time, 2.0)  # simulated steps while LIVE is on
            _op, _rid, st_list, _p = await ctl.request(P.OP_LIST)
            live_chunks = len(ctl.chunks)
            assert (await ctl.request(P.OP_LIVE, 0))[2] == P.ST_OK
            await asyncio.sleep(0.05)
            got = await ctl.read_session(sid)
            await _advance(pods, pod_time, 3.0)
            status_after = bytes(await char(fpeer, P.STATUS_UUID).read_value())
            app.rec_stop()
            await asyncio.sleep(0.05)
            return {
                "refusals": refusals,
                "stranger_bytes": stranger_bytes[0],
                "friend_bytes": friend_bytes[0],
                "status": status,
                "status_after": status_after,
                "list": st_list,
                "read": len(got),
                "recording": recording,
                "shim_refused": shim_refused,
                "live_chunks": live_chunks,
            }

    r = asyncio.run(main())
    assert r["stranger_bytes"] == 0
    refusals = r["refusals"]
    assert set(refusals) == {
        f"{c} {a}" for c in ("cp", "data", "status") for a in ("read", "write", "notify")
    }
    # cp has no READ, data/status no WRITE: the flag answers before security does
    assert refusals.pop("cp read") == E.READ_NOT_PERMITTED
    assert refusals.pop("data write") == E.WRITE_NOT_PERMITTED
    assert refusals.pop("status write") == E.WRITE_NOT_PERMITTED
    assert set(refusals.values()) == {E.INSUFFICIENT_AUTHENTICATION}, refusals
    # the stranger's writes without response were dropped by the stack, silently
    assert r["shim_refused"] == 4 and r["recording"]
    assert r["list"] == P.ST_OK and r["status"] and r["status_after"][:1] == r["status"][:1]
    assert r["read"] > 1000 and r["live_chunks"] > 0 and r["friend_bytes"] > r["read"]
    print(f"\nbonded host got {r['friend_bytes']} bytes of the Stride service; the stranger 0")


def test_pairing_outside_the_window_gets_no_bond_and_0_bytes() -> None:
    async def main() -> tuple[int, int, bool, int]:
        link = LocalLink()
        async with BlePods(link, [None]) as pods:
            ble = pods[0].app.ble
            assert ble is not None and not ble.window_open
            host = await central(link)
            conn, peer = await connect(host, pods.addresses[0])
            got = _count_bytes(conn, *_stride_range(peer))
            with contextlib.suppress(Exception, asyncio.CancelledError):  # the pod drops the link
                await conn.pair()
                await char(peer, P.STATUS_UUID).read_value()
            await asyncio.sleep(0.2)
            return got[0], len(ble.bonds.secrets), bool(ble.conns), ble.refused_bonds

    n, n_secrets, connected, refused = asyncio.run(main())
    assert (n, n_secrets, connected) == (0, 0, False) and refused >= 1


def test_current_time_only_from_a_bonded_central() -> None:
    from stridefw import records as R
    from stridefw.cts import epoch_to_current_time
    from stridekit.sim.pod import read_session_file

    async def main() -> tuple[int, int, list[int]]:
        link = LocalLink()
        async with BlePods(link, [None]) as pods:
            app = pods[0].app
            sid = app.rec_start()
            stranger = await central(link, "C0:00:00:00:00:02")
            _sc, speer = await connect(stranger, pods.addresses[0])
            err = await _try(
                char(speer, P.CURRENT_TIME).write_value(
                    epoch_to_current_time(1_600_000_000), with_response=True
                )
            )
            await char(speer, P.CURRENT_TIME).write_value(
                epoch_to_current_time(1_600_000_000), with_response=False
            )
            await pods.run_for(0.5)
            friend = await central(link, "C0:00:00:00:00:01")
            fconn, fpeer = await connect(friend, pods.addresses[0])
            app.pair_window()
            await fconn.pair()
            await char(fpeer, P.CURRENT_TIME).write_value(
                epoch_to_current_time(1_750_000_000), with_response=True
            )
            await pods.run_for(1.0)
            app.rec_stop()
            recs, _ = R.decode_all(read_session_file(pods[0], sid))
            syncs = [R.Sync.from_bytes(r.payload) for r in recs if r.rtype == R.REC_SYNC]
            return err, app.epoch_s, [s.host_unix_us // 1_000_000 for s in syncs]

    err, epoch, syncs = asyncio.run(main())
    assert err == E.INSUFFICIENT_AUTHENTICATION
    assert epoch // 10 == 175_000_000 and syncs and all(s // 10 == 175_000_000 for s in syncs)
