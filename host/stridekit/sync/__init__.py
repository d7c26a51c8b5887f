"""Session sync from a pod into the host's store and library, over BLE or serial.

One transfer step (`common.transfer`: resume from disk, fsync, rename, library,
MARK only after the store) serves every link: `ble` (the Stride GATT service,
credit-pipelined) and `serial` (the USB console's `ls`/`get`/`ack`).
"""

from stridekit.sync.ble import StrideLink, open_link, sync_pod, sync_pods
from stridekit.sync.common import (
    Destination,
    LinkLost,
    PodSession,
    PodSource,
    Progress,
    StageHook,
    SyncError,
    SyncStats,
    check_frames,
    sync_sessions,
    transfer,
)
from stridekit.sync.serial import SerialSource, sync_serial
from stridekit.transport.ble import PodTarget

__all__ = [
    "Destination",
    "LinkLost",
    "PodSession",
    "PodSource",
    "PodTarget",
    "Progress",
    "SerialSource",
    "StageHook",
    "StrideLink",
    "SyncError",
    "SyncStats",
    "check_frames",
    "open_link",
    "sync_pod",
    "sync_pods",
    "sync_serial",
    "sync_sessions",
    "transfer",
]
