"""The pod's bond store (stridefw.blesec) on LittleFS, and who writes it: the main loop.

The BLE IRQ only changes the store in RAM and marks it dirty; BleServer.poll saves.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bumble.link import LocalLink
from hypothesis import given, settings
from hypothesis import strategies as st

from stridefw.blesec import BondStore
from stridekit.sim.pod import BlePods
from stridekit.sim.shims.flash import FlashDevice, LfsFs, new_fs

_PATH = "/ble.sec"
_SECRETS = st.dictionaries(
    st.tuples(st.integers(0, 255), st.binary(min_size=1, max_size=40)),
    st.binary(min_size=1, max_size=300),
    max_size=6,
)


def _fs() -> LfsFs:
    return LfsFs(new_fs(FlashDevice(64), format_=True))


def _exists(fs: Any, path: str) -> bool:
    try:
        fs.open(path, "rb").close()
    except OSError:
        return False
    return True


@settings(max_examples=40)
@given(_SECRETS)
def test_what_is_saved_loads_again(secrets: dict[tuple[int, bytes], bytes]) -> None:
    fs = _fs()
    store = BondStore(fs)
    for (t, k), v in secrets.items():
        store.put(t, k, v)
    assert not _exists(fs, _PATH)  # nothing on flash until save()
    assert store.save() == bool(secrets)
    assert BondStore(fs).secrets == (secrets if secrets else {})


@settings(max_examples=40)
@given(_SECRETS, st.data())
def test_a_torn_file_keeps_the_complete_entries_before_the_tear(
    secrets: dict[tuple[int, bytes], bytes], data: st.DataObject
) -> None:
    fs = _fs()
    store = BondStore(fs)
    for (t, k), v in secrets.items():
        store.put(t, k, v)
    store.save()
    if not secrets:
        return
    f = fs.open(_PATH, "rb")
    blob = f.read()
    f.close()
    cut = data.draw(st.integers(0, len(blob)))
    f = fs.open(_PATH, "wb")
    f.write(blob[:cut])
    f.close()
    got = BondStore(fs).secrets
    # the entries written whole before the cut, in file order
    o, want = 0, {}
    for (t, k), v in secrets.items():
        o += 4 + len(k) + len(v)
        if o > cut:
            break
        want[(t, k)] = v
    assert got == want


@given(st.binary(max_size=200))
def test_any_file_content_loads_without_a_crash(blob: bytes) -> None:
    fs = _fs()
    f = fs.open(_PATH, "wb")
    f.write(blob)
    f.close()
    store = BondStore(fs)
    for (t, k), v in store.secrets.items():
        assert 0 <= t <= 255 and isinstance(k, bytes) and isinstance(v, bytes)


def test_a_refused_save_is_counted_and_the_bond_stays_in_ram() -> None:
    class FullFs:
        def open(self, path: str, mode: str) -> Any:
            raise OSError(28, "no space")

    store = BondStore(FullFs())
    store.put(2, b"peer", b"key")
    assert store.save() and store.save_errors == 1
    assert store.get(2, 0, b"peer") == b"key" and store.get(2, 0, None) == b"key"


def test_the_irq_marks_the_store_dirty_and_the_main_loop_saves_it() -> None:
    async def main() -> tuple[bool, bool, bool, bool]:
        link = LocalLink()
        async with BlePods(link, [None]) as pods:
            pods.paused = True
            srv = pods[0].app.ble
            assert srv is not None
            fs = pods[0].fs
            refused = srv._irq(30, (2, b"peer", b"key"))  # outside the pairing window
            srv.open_window()
            taken = srv._irq(30, (2, b"peer", b"key"))
            on_flash_after_irq = _exists(fs, _PATH)
            pods[0].step()  # one main-loop turn
            on_flash_after_poll = _exists(fs, _PATH)
            return refused, taken, on_flash_after_irq, on_flash_after_poll

    refused, taken, after_irq, after_poll = asyncio.run(main())
    assert refused is False and taken is True
    assert not after_irq and after_poll
