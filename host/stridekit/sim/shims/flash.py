"""Stand-in for the ESP32's flash partition with LittleFS mounted on it.

On the device MicroPython mounts the `vfs` partition as `vfs.VfsLfs2` (LittleFS
v2) and firmware code uses plain `open()`/`os`. Here the same on-disk format
comes from PyPI `littlefs-python` over a RAM block device, with power-cut
injection: after a chosen number of block programs/erases the device "loses
power": the cut operation lands only partly (NOR flash can stop mid-page) and
every later write is silently lost, as if the CPU had stopped. A reboot is a new
`LfsFs` mounted over the same bytes.

Why not raise at the cut: littlefs-python calls the block device from C and
swallows exceptions raised in the callbacks, so a raised "power cut" would not
unwind the firmware. After the cut every write fails with LFS_ERR_IO instead
(littlefs then gives up the operation cleanly; silently dropped writes can trip
its internal asserts, which abort the process), and the test harness stops the
firmware as soon as `FlashDevice.dead` is set.
"""

from __future__ import annotations

import contextlib
import errno
import random
from collections.abc import Callable
from typing import Any

from littlefs import LittleFS, LittleFSError, UserContext, lfs

# MicroPython's VfsLfs2 defaults (extmod/vfs_lfs.c): readsize 32, progsize 32,
# lookahead 32, cache = min(block, 4 * max(read, prog)); ESP32 flash sectors 4 KiB.
BLOCK_SIZE = 4096
READ_SIZE = 32
PROG_SIZE = 32
CACHE_SIZE = 128
LOOKAHEAD = 32
LFS_ERR_IO = -5  # lfs.h: error during device operation


class FlashDevice(UserContext):
    """RAM NOR flash: erase sets 0xFF, program can only clear bits; optional power cut."""

    def __init__(self, block_count: int, cut_after: int | None = None, seed: int = 0) -> None:
        super().__init__(buffsize=block_count * BLOCK_SIZE)
        self.block_count = block_count
        self.cut_after = cut_after  # writes (prog or erase) allowed before the cut
        self.writes = 0
        self.progs = 0
        self.erases = 0
        self.dead = False
        self._rng = random.Random(seed)

    def _allow(self) -> int:
        # 1: perform; 0: power is gone (write lost); -1: the write the cut interrupts
        if self.dead:
            return 0
        self.writes += 1
        if self.cut_after is not None and self.writes > self.cut_after:
            self.dead = True
            return -1
        return 1

    def prog(self, cfg: Any, block: int, off: int, data: bytes) -> int:
        start = block * cfg.block_size + off
        ok = self._allow()
        if ok == -1:
            # the interrupted page: a random prefix made it to the flash
            self._program(start, data[: self._rng.randrange(len(data) + 1)])
        if ok != 1:
            return LFS_ERR_IO
        self.progs += 1
        self._program(start, data)
        return 0

    def _program(self, start: int, data: bytes) -> None:
        # NOR programming only clears bits: new = old AND data
        n = len(data)
        old = int.from_bytes(self.buffer[start : start + n], "little")
        self.buffer[start : start + n] = (old & int.from_bytes(data, "little")).to_bytes(
            n, "little"
        )

    def erase(self, cfg: Any, block: int) -> int:
        ok = self._allow()
        if ok == -1:
            # an interrupted erase leaves part of the sector erased
            start = block * cfg.block_size
            k = self._rng.randrange(cfg.block_size + 1)
            self.buffer[start : start + k] = b"\xff" * k
        if ok != 1:
            return LFS_ERR_IO
        self.erases += 1
        return super().erase(cfg, block)

    def snapshot(self) -> bytes:
        return bytes(self.buffer)


def new_fs(dev: FlashDevice, format_: bool = False) -> LittleFS:
    """Mount littlefs on dev (formatting first when asked or when it does not mount)."""
    fs = LittleFS(
        dev,
        mount=False,
        block_size=BLOCK_SIZE,
        block_count=dev.block_count,
        read_size=READ_SIZE,
        prog_size=PROG_SIZE,
        cache_size=CACHE_SIZE,
        lookahead_size=LOOKAHEAD,
    )
    if format_:
        fs.format()
    fs.mount()
    return fs


def _oserror(e: LittleFSError) -> OSError:
    # MicroPython's VFS raises OSError(errno) with a positive errno
    return OSError(-e.code if e.code < 0 else e.code, str(e))


class LfsFile:
    """A file as MicroPython's VFS gives it: bytes or str, errors are OSError(errno).

    Talks to littlefs-python's low-level `lfs` functions directly: its io-based
    FileHandle retries lfs_file_close after a failed close (a power cut), which
    trips a littlefs assert and aborts the process.
    """

    def __init__(self, fs: LittleFS, path: str, mode: str) -> None:
        self._fs = fs.fs
        self._text = "b" not in mode
        self._closed = False
        try:
            self._fh = lfs.file_open(fs.fs, path, mode.replace("b", "").replace("t", ""))
        except LittleFSError as e:
            raise _oserror(e) from e

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._closed:
            raise OSError(errno.EBADF, "file closed")
        try:
            return fn(self._fs, self._fh, *args)
        except LittleFSError as e:
            raise _oserror(e) from e

    def read(self, n: int = -1) -> Any:
        if n < 0:
            n = self._call(lfs.file_size) - self._call(lfs.file_tell)
        data = self._call(lfs.file_read, max(0, n))
        return data.decode() if self._text else data

    def readinto(self, buf: Any) -> int:
        data = self._call(lfs.file_read, len(buf))
        buf[: len(data)] = data
        return len(data)

    def write(self, data: Any) -> int:
        raw = data.encode() if isinstance(data, str) else bytes(data)
        return self._call(lfs.file_write, raw)

    def flush(self) -> None:
        self._call(lfs.file_sync)

    def seek(self, off: int, whence: int = 0) -> int:
        return self._call(lfs.file_seek, off, whence)

    def tell(self) -> int:
        return self._call(lfs.file_tell)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True  # before the call: a failed close must not be retried
        try:
            lfs.file_close(self._fs, self._fh)
        except LittleFSError as e:
            raise _oserror(e) from e


class LfsFs:
    """The file API stridefw.store uses (see store.OsFs), over littlefs-python."""

    def __init__(self, fs: LittleFS) -> None:
        self.lfs = fs

    def open(self, path: str, mode: str) -> LfsFile:
        return LfsFile(self.lfs, path, mode)

    def listdir(self, path: str) -> list[str]:
        try:
            return self.lfs.listdir(path)
        except LittleFSError as e:
            raise _oserror(e) from e

    def remove(self, path: str) -> None:
        try:
            self.lfs.remove(path)
        except LittleFSError as e:
            raise _oserror(e) from e

    def rename(self, old: str, new: str) -> None:
        try:
            self.lfs.rename(old, new)
        except LittleFSError as e:
            raise _oserror(e) from e

    def mkdir(self, path: str) -> None:
        with contextlib.suppress(FileExistsError, LittleFSError):
            self.lfs.mkdir(path)

    def size(self, path: str) -> int:
        try:
            return self.lfs.stat(path).size
        except LittleFSError as e:
            raise _oserror(e) from e

    def free_bytes(self) -> int:
        try:
            used = self.lfs.used_block_count
        except LittleFSError as e:
            raise _oserror(e) from e
        return (self.lfs.block_count - used) * BLOCK_SIZE
