# SessionStore: the pod's sessions on the flash file system (LittleFS on the ESP32).
#
# One append-only file per session, holding whole framed records (stridefw.records
# Encoder: type, version, seq, payload, CRC-32, COBS, 0x00). Records collect in a
# RAM buffer and reach the file in whole records; commit() (file flush = LittleFS
# lfs_file_sync) is the durability point: LittleFS is copy-on-write, so after a
# power cut a file is exactly as of its last sync. A torn tail can still appear
# (ENOSPC in the middle of a write, a file system without that guarantee), so
# mount() scans each file's tail with records.FrameDecoder and cuts everything
# after the last frame whose CRC holds.
#
# Per session a synced-up-to marker (byte offset the host acknowledged with
# `ack`), written to a temp file and renamed over the old one (atomic on
# LittleFS), so after a power cut it is the old or the new value, never more than
# the host acknowledged.
#
# Rotation: when free space runs low the oldest fully synced, closed session is
# deleted; unsynced data is never deleted. When nothing can go, raw Sample capture
# stops first (RAW_FLOOR), Step/Flag records continue until STEP_FLOOR.
#
# Raw samples are stored as SampleBlock records (stridefw.sampleblock), closed at
# each commit. Steps are stored as StepBlock records (stridefw.stepblock) of up to
# STEP_BLOCK_MAX steps: the block is framed when full, before any other record
# (Flag, Note, Sync, Battery, SessionEnd) and at end(), not at commit. A power cut
# loses the open block (at most STEP_BLOCK_MAX - 1 steps, about 5 s of running) plus,
# as for every record, what was framed after the last commit (COMMIT_MS): a block
# framed just before the cut waits in the RAM buffer like any other record. That is
# what halves the bytes per step.
#
# Files: ROOT/NNNNNN.ses (session id, decimal), ROOT/NNNNNN.syn (marker, decimal
# text), ROOT/next (next session id). All I/O goes through an injected fs object
# (OsFs on the device; the virtual pod passes one over littlefs-python).
# Why ~570 lines in one module: durability (buffer, spill, commit, torn tails),
# rotation and the sync marker share the byte accounting above; the block codecs
# it writes live in sampleblock and stepblock.
import os

from stridefw import records
from stridefw.compat import const
from stridefw.sampleblock import (
    DT_MAX_US,
    SAMPLE_BLOCK_VERSION,
    SampleBlockEncoder,
)
from stridefw.stepblock import STEP_BLOCK_VERSION, StepBlockEncoder

# Free-space floors (bytes). Below RAW_FLOOR raw samples stop, below STEP_FLOOR
# everything stops. LittleFS needs a few free blocks to commit metadata
# (copy-on-write); a delete on a completely full LittleFS can itself fail.
RAW_FLOOR = const(64 * 1024)
STEP_FLOOR = const(16 * 1024)
# Raw capture can stop while steps go on (flash below RAW_FLOOR, or capture off);
# the session then says so in a Note starting with NOTE_RAW_PREFIX, which tells a
# host that the missing raw samples are on purpose, not damage.
NOTE_RAW_PREFIX = "raw capture"
NOTE_RAW_STOPPED = NOTE_RAW_PREFIX + " stopped: flash full"
COMMIT_MS = const(1000)  # at most this much recording is lost at a power cut
_FREE_RECHECK = const(16 * 1024)  # re-read statvfs after this many bytes written
_TAIL_WINDOW = 2 * records.MAX_ENCODED
_COPY_CHUNK = const(1024)
_MAX_SESSIONS = const(512)
_ENOSPC = const(28)


class OsFs:
    """The device's file system through MicroPython's os module (LittleFS VFS at /)."""

    def __init__(self, mount="/"):
        self.mount = mount

    def open(self, path, mode):
        return open(path, mode)

    def listdir(self, path):
        return os.listdir(path)

    def remove(self, path):
        os.remove(path)

    def rename(self, old, new):
        os.rename(old, new)

    def mkdir(self, path):
        try:
            os.mkdir(path)
        except OSError:
            pass  # exists

    def size(self, path):
        return os.stat(path)[6]

    def free_bytes(self):
        st = os.statvfs(self.mount)
        return st[0] * st[3]  # f_bsize * f_bfree


class SessionStore:
    """Append-only sessions with commit points, rotation and sync markers."""

    def __init__(
        self, fs, root="/rec", wbuf_bytes=4096, raw_floor=RAW_FLOOR, step_floor=STEP_FLOOR
    ):
        self.fs = fs
        self.root = root
        self.raw_floor = raw_floor
        self.step_floor = step_floor
        self._enc = records.Encoder()
        self._wbuf = bytearray(wbuf_bytes)
        self._wmv = memoryview(self._wbuf)  # made once: one view slice per spill
        self._wlen = 0
        self._wpart = True  # the file takes write(buf, off, n) (see _write)
        self._block = SampleBlockEncoder(1, 10000)  # replaced by begin()
        self._steps = StepBlockEncoder()
        self._f = None
        self.ids = []  # session ids on flash, oldest first
        self.sizes = {}  # id -> committed bytes
        self.synced = {}  # id -> acknowledged bytes
        self.current = -1  # id being recorded, -1 when idle
        self.next_id = 1
        self.seq = 0
        self.n_committed = 0  # records of the current session safely on flash
        self.raw_on = True
        self.full = False
        self.dropped = 0  # records not stored for lack of space
        self.raw_dropped = 0  # samples not stored after raw capture stopped
        self.rotated = 0  # sessions deleted by rotation
        self.cut_bytes = 0  # torn-tail bytes cut at mount
        self.write_errors = 0
        self._free = 0
        self._since_free = 0
        self._in_buf = 0  # records framed into the RAM buffer
        self._buf_extra = 0  # steps in the buffer's StepBlocks beyond one per block
        self._in_file = 0  # records written to the file, not yet synced
        self._written = 0  # bytes of the current session handed to the file
        self.raw_note = False  # raw capture stopped: the app logs a Note once

    # ------------------------------------------------------------ paths, mount
    def path(self, sid):
        return "%s/%06d.ses" % (self.root, sid)

    def _syn_path(self, sid):
        return "%s/%06d.syn" % (self.root, sid)

    def mount(self):
        """Boot: find sessions, cut torn tails, read markers. Returns the session count."""
        fs = self.fs
        fs.mkdir(self.root)
        ids = []
        for name in fs.listdir(self.root):
            if name.endswith(".tmp") or name.endswith(".cut"):
                try:
                    fs.remove(self.root + "/" + name)
                except OSError:
                    pass
                continue
            if name.endswith(".ses") and len(name) == 10:
                try:
                    ids.append(int(name[:6]))
                except ValueError:
                    pass
        ids.sort()
        self.ids = []
        self.sizes = {}
        self.synced = {}
        for sid in ids:
            size = self._recover(sid)
            if size <= 0:
                self._delete(sid, False)
                continue
            self.ids.append(sid)
            self.sizes[sid] = size
            self.synced[sid] = self._read_marker(sid, size)
        nxt = 1
        if self.ids:
            nxt = self.ids[-1] + 1
        try:
            f = fs.open(self.root + "/next", "r")
            try:
                v = int(f.read())
            finally:
                f.close()
            if v > nxt:
                nxt = v
        except (OSError, ValueError):
            pass
        self.next_id = nxt
        self._free = fs.free_bytes()
        self._since_free = 0
        return len(self.ids)

    def _recover(self, sid):
        # Cut everything after the last intact frame; returns the resulting size.
        fs = self.fs
        p = self.path(sid)
        try:
            size = fs.size(p)
        except OSError:
            return 0
        if size == 0:
            return 0
        win = _TAIL_WINDOW
        while True:
            start = size - win if size > win else 0
            good = self._last_good_end(p, start, size)
            if good >= 0 or start == 0:
                break
            win *= 2
        if good < 0:
            good = 0
        if good < size:
            self.cut_bytes += size - good
            if good == 0:
                return 0
            self._cut(p, good)
        return good

    def _last_good_end(self, p, start, size):
        f = self.fs.open(p, "rb")
        try:
            f.seek(start)
            data = f.read(size - start)
        finally:
            f.close()
        good = -1
        pos = 0
        if start > 0:
            # a frame that began before the window ends at the first 0x00: its
            # start cannot be checked here, and it is older than the tail
            q = data.find(b"\x00")
            if q < 0:
                return -1
            good = start + q + 1
            pos = q + 1
        dec = records.FrameDecoder()
        while True:
            q = data.find(b"\x00", pos)
            if q < 0:
                break
            before = dec.n_records + dec.n_skipped
            dec.feed(data[pos : q + 1])
            if dec.n_records + dec.n_skipped > before:
                good = start + q + 1  # an intact frame (known or skipped type)
            pos = q + 1
        return good

    def _cut(self, p, good):
        # MicroPython files have no truncate(): copy the intact prefix and rename
        # it over the original (atomic on LittleFS). Without room for the copy,
        # close the torn frame with a delimiter instead: readers drop it by CRC.
        fs = self.fs
        tmp = p + ".cut"
        try:
            src = fs.open(p, "rb")
            dst = fs.open(tmp, "wb")
            try:
                left = good
                while left > 0:
                    chunk = src.read(_COPY_CHUNK if left > _COPY_CHUNK else left)
                    if not chunk:
                        break
                    dst.write(chunk)
                    left -= len(chunk)
            finally:
                dst.close()
                src.close()
            fs.rename(tmp, p)
        except OSError:
            try:
                fs.remove(tmp)
            except OSError:
                pass
            f = fs.open(p, "ab")
            try:
                f.write(b"\x00")
            finally:
                f.close()

    def _read_marker(self, sid, size):
        try:
            f = self.fs.open(self._syn_path(sid), "r")
            try:
                v = int(f.read())
            finally:
                f.close()
        except (OSError, ValueError):
            return 0
        if v < 0:
            return 0
        return size if v > size else v

    def _write_small(self, path, text):
        tmp = path + ".tmp"
        f = self.fs.open(tmp, "w")
        try:
            f.write(text)
        finally:
            f.close()
        self.fs.rename(tmp, path)

    def _delete(self, sid, count=True):
        for p in (self.path(sid), self._syn_path(sid)):
            try:
                self.fs.remove(p)
            except OSError:
                pass
        if sid in self.sizes:
            del self.sizes[sid]
        if sid in self.synced:
            del self.synced[sid]
        if sid in self.ids:
            self.ids.remove(sid)
        if count:
            self.rotated += 1

    # ------------------------------------------------------------ sessions
    def begin(self, header_payload, n_cells, period_us):
        """Open a new session; writes its SessionHeader. Returns the session id."""
        if self.current >= 0:
            raise ValueError("session %d still open" % self.current)
        self._rotate(0)
        if self._free < self.step_floor + len(header_payload) + 64:
            raise OSError(_ENOSPC)
        if len(self.ids) >= _MAX_SESSIONS:
            raise OSError(_ENOSPC)
        sid = self.next_id
        self.next_id = sid + 1
        self._write_small(self.root + "/next", str(self.next_id))
        self._f = self.fs.open(self.path(sid), "wb")
        self.current = sid
        self.ids.append(sid)
        self.sizes[sid] = 0
        self.synced[sid] = 0
        self.seq = 0
        self.n_committed = 0
        self._in_buf = 0
        self._buf_extra = 0
        self._in_file = 0
        self._wlen = 0
        self.raw_on = self._free >= self.raw_floor
        self.raw_note = not self.raw_on
        self.full = False
        self.dropped = 0
        self.raw_dropped = 0
        self._written = 0
        if self._block.n_cells != n_cells:
            self._block = SampleBlockEncoder(n_cells, period_us)
        self._block.set_period(period_us)
        self._block.n = 0
        self._steps.n = 0
        self._frame(records.REC_HEADER, header_payload, len(header_payload))
        self.commit()
        return sid

    def add(self, rtype, payload, plen=-1):
        """One record of the current session.

        A Step joins the open StepBlock; any other record frames the open StepBlock
        and sample block first, so records stay in the order they were added.
        """
        if self.current < 0:
            return False
        if plen < 0:
            plen = len(payload)
        if rtype == records.REC_STEP and plen == records.STEP_LEN:
            if self.full:
                self.dropped += 1
                return False
            if self._steps.add(payload):
                self._close_steps()
            return True
        if self._steps.n:
            self._close_steps()
        if self._block.n:
            self._close_block()
        return self._frame(rtype, payload, plen)

    def _close_steps(self):
        sb = self._steps
        n = sb.n
        if n:
            # the sample block's buffer is lent to the StepBlock (framed first if open)
            if self._block.n:
                self._close_block()
            m = sb.encode(self._block.buf)
            # dropped counts steps, not blocks: _frame counts the block once
            if self._frame(records.REC_STEP_BLOCK, sb.buf, m, STEP_BLOCK_VERSION):
                self._buf_extra += n - 1
            else:
                self.dropped += n - 1

    def add_sample(self, t, wraps, dt_us, cells, imu):
        """A raw sample at session time wraps * 2**30 + t, dt_us after the previous one."""
        if self.current < 0:
            return False
        if not self.raw_on or self.full:
            self.raw_dropped += 1
            return False
        # no local for the block: the frame stays at 11 words, off the GC heap (app._sample)
        if self._block.n and (dt_us < 0 or dt_us > DT_MAX_US or not self._block.room()):
            self._close_block()
        if self._block.n == 0:
            self._block.start(t, wraps)
        self._block.add(dt_us, cells, imu)
        if not self._block.room():
            self._close_block()
        return True

    def _close_block(self):
        blk = self._block
        if blk.n:
            self._frame(records.REC_SAMPLE_BLOCK, blk.buf, blk.encode(), SAMPLE_BLOCK_VERSION)
            blk.n = 0

    def _frame(self, rtype, payload, plen, version=0):
        if self.full:
            self.dropped += 1
            return False
        need = records.encoded_max(plen)
        if self._wlen + need > len(self._wbuf):
            self._spill()
            if self._wlen + need > len(self._wbuf):
                raise ValueError("record of %d bytes exceeds the write buffer" % plen)
        # the encoder reads payload[:plen] in place: no view slice, no copy
        self._wlen = self._enc.encode_into(
            self._wbuf, self._wlen, rtype, self.seq, payload, plen, version
        )
        self.seq += 1
        self._in_buf += 1
        return True

    def _spill(self):
        # RAM buffer -> file (not yet durable: commit() syncs)
        n = self._wlen
        f = self._f
        if n == 0 or f is None:
            return
        self._wlen = 0
        if self._free - n < self.step_floor:
            self._rotate(n)
        if self._free - n < self.step_floor:
            self.full = True
            self.raw_on = False
            self.dropped += self._in_buf + self._buf_extra
            self._in_buf = self._buf_extra = 0
            return
        try:
            w = self._write(f, n)
            if w is not None and w != n:
                raise OSError(_ENOSPC)
        except OSError:
            # whatever part reached the file ends in a torn frame; the next frame's
            # leading 0x00 (records.Encoder, _wlen is 0 now) terminates it. Count
            # the part that got in, or later records would lie beyond the size
            # this boot reports (mount recounts from the file anyway)
            self.write_errors += 1
            try:
                at = f.tell()
                if self._written <= at <= self._written + n:
                    self._free -= at - self._written
                    self._written = at
            except OSError:
                pass
            self.full = True
            self.raw_on = False
            self.dropped += self._in_buf + self._buf_extra
            self._in_buf = self._buf_extra = 0
            return
        self._in_file += self._in_buf
        self._in_buf = self._buf_extra = 0
        self._free -= n
        self._since_free += n
        self._written += n

    def _write(self, f, n):
        # MicroPython streams take write(buf, off, n): no view slice per spill. Other
        # file objects (CPython's, the virtual pod's LittleFS shim) take one argument;
        # the first TypeError says so and the view is sliced from then on.
        if self._wpart:
            try:
                return f.write(self._wbuf, 0, n)
            except TypeError:
                self._wpart = False
        return f.write(self._wmv[:n])

    def commit(self):
        """Make everything added so far durable (file sync). Returns records committed."""
        f = self._f
        if self.current < 0 or f is None:
            return 0
        if self._block.n:
            self._close_block()
        self._spill()
        pend = self._in_file
        try:
            f.flush()
        except OSError:
            self.write_errors += 1
            return 0
        self.n_committed += pend
        self._in_file = 0
        self.sizes[self.current] = self._written
        if self._since_free >= _FREE_RECHECK:
            self._free = self.fs.free_bytes()
            self._since_free = 0
        if self._free < self.raw_floor:
            self._rotate(0)
            if self._free < self.raw_floor and self.raw_on:
                self.raw_on = False
                self.raw_note = True
            if self.full and self._free >= 2 * self.step_floor:
                self.full = False  # the host freed room: steps go on (raw stays off)
        return pend

    def end(self, end_payload=None):
        """Close the current session (SessionEnd record if given)."""
        if self.current < 0:
            return -1
        if end_payload is not None:
            self.add(records.REC_END, end_payload)
        elif self._steps.n:
            self._close_steps()
        self.commit()
        f = self._f
        self._f = None
        try:
            if f is not None:
                f.close()
        except OSError:
            self.write_errors += 1
        sid = self.current
        self.current = -1
        return sid

    def _rotate(self, need):
        # Delete oldest fully synced, closed sessions until need bytes fit above
        # the raw floor (or nothing more may go).
        fs = self.fs
        self._free = fs.free_bytes()
        self._since_free = 0
        i = 0
        while self._free - need < self.raw_floor and i < len(self.ids):
            sid = self.ids[i]
            if sid != self.current and self.synced.get(sid, 0) >= self.sizes.get(sid, 0):
                self._delete(sid)
                self._free = fs.free_bytes()
            else:
                i += 1

    # ------------------------------------------------------------ host side
    def ack(self, sid, offset):
        """The host holds bytes [0, offset) of session sid. Returns the new marker."""
        if sid not in self.sizes:
            raise KeyError(sid)
        size = self.sizes[sid]
        if offset > size:
            offset = size
        if offset <= self.synced[sid]:
            return self.synced[sid]
        self._write_small(self._syn_path(sid), str(offset))
        self.synced[sid] = offset
        return offset

    def open_read(self, sid):
        """A readable file of session sid, and its committed size."""
        if sid not in self.sizes:
            raise KeyError(sid)
        return self.fs.open(self.path(sid), "rb"), self.sizes[sid]

    def free_bytes(self):
        return self._free
