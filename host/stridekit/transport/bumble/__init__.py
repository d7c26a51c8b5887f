"""A bleak backend on a Bumble `Device`, so host code keeps using `BleakScanner` / `BleakClient`.

Why: our machines have no Bluetooth radio, yet tests and the demo must run a real BLE
stack (HCI, L2CAP, ATT, SMP) end to end. Bumble is that stack in Python. Its
`Device` sits either on Bumble's in-process virtual link (`bumble.link.LocalLink`
with one `bumble.controller.Controller` per device) or on an HCI transport such as
`usb:0` for a user with a USB dongle and no BlueZ.

Usage::

    host = await BumbleHost.open_virtual(link)          # or BumbleHost.open_hci("usb:0")
    async with BleakScanner(backend=host.scanner) as scanner: ...
    async with BleakClient(device, backend=host.client) as client: ...

`host.scanner` and `host.client` are backend classes bound to that one host (bleak
takes a class, not an instance), so two hosts in one process never share state.

Errors come back as bleak's `BleakError`; an ATT error response is a `BleakATTError`
whose `att_error_code` is the code from the Core specification (0x05 Insufficient
Authentication, 0x0F Insufficient Encryption, ...). Like BlueZ, a read or write that
fails for lack of encryption on a bonded peer encrypts the link and retries once.
"""

from stridekit.transport.bumble.adverts import (
    BumbleAdvertisement,
    appearance_of,
    bleak_uuid,
    parse_advertisement,
)
from stridekit.transport.bumble.client import (
    ATT_INSUFFICIENT_AUTHENTICATION,
    ATT_INSUFFICIENT_ENCRYPTION,
    BleakATTError,
    BleakDisconnectedError,
    BleakPairingError,
    BumbleClient,
)
from stridekit.transport.bumble.host import (
    HOST_ADDRESS,
    MTU_WANTED,
    BumbleHost,
    BumbleScanner,
    lean_logging,
    virtual_host,
)

__all__ = [
    "ATT_INSUFFICIENT_AUTHENTICATION",
    "ATT_INSUFFICIENT_ENCRYPTION",
    "HOST_ADDRESS",
    "MTU_WANTED",
    "BleakATTError",
    "BleakDisconnectedError",
    "BleakPairingError",
    "BumbleAdvertisement",
    "BumbleClient",
    "BumbleHost",
    "BumbleScanner",
    "appearance_of",
    "bleak_uuid",
    "lean_logging",
    "parse_advertisement",
    "virtual_host",
]
