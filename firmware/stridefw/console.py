# Serial console: a line protocol at 115200 baud on the pod's USB/UART port (reply
# formats and error codes: stridefw.consoleproto, which the host parses with).
#
# Requests are lines of printable ASCII ending in \n (\r ignored, at most
# MAX_LINE bytes). Every request gets exactly one reply line, `OK ...` or
# `ERR <code> <message>`; empty lines get none. `get` replies
# `OK get <session> <offset> <n>` and then exactly n bytes of the session file
# (whole framed records when offset is a record boundary: the same COBS frames
# as on flash). Asynchronous lines (live steps/flags) start with `EV `.
#
# Never blocks sampling: poll() runs once per scheduler turn and handles at most
# BYTES_PER_TURN input bytes, at most one request, and at most CHUNK output
# bytes; the port is non-blocking (a partial write is resumed next turn). While
# a reply or a `get` stream is going out, input waits in the port.
#
# Commands: help, status, health, ls, get <session> [offset], ack <session>
# <offset>, rec start|stop, cal zero, time <epoch>[.<fraction>], live on|off,
# pair, repl.
# Arguments are checked against what the records can hold (an epoch is a u32 in
# the SessionHeader). Should a command still raise something unforeseen, the
# request gets `ERR 9 internal ...` (counted in `internal`) and sampling goes on:
# nothing a host sends can stop the pod.
from stridefw import records as R
from stridefw.compat import const
from stridefw.consoleproto import (
    COMMANDS,
    E_ARG,
    E_BINARY,
    E_INTERNAL,
    E_SESSION,
    E_STATE,
    E_STORAGE,
    E_TOO_LONG,
    E_UNAVAILABLE,
    E_UNKNOWN,
    format_kv,
    ls_entry,
)
from stridefw.records import u16_at

MAX_LINE = const(96)
BYTES_PER_TURN = const(64)
CHUNK = const(256)
_MAX_EVENTS = const(4)

_EPOCH_MAX = 0xFFFFFFFF  # SessionHeader.epoch_s is a u32 (2106-02-07)


def _uint(s, max_digits=9):
    # strict decimal: digits only, no sign, underscore or spaces; small int range
    if not s or len(s) > max_digits:
        raise ValueError
    for ch in s:
        if ch < "0" or ch > "9":
            raise ValueError
    return int(s)


class Console:
    """Line console over a non-blocking port with readinto(buf) and write(buf)."""

    def __init__(self, app, port):
        self.app = app
        self.port = port
        self._line = bytearray(MAX_LINE)
        self._n = 0
        self._overlong = False
        self._binary = False
        self._in = bytearray(BYTES_PER_TURN)
        self._in_mv = memoryview(self._in)
        self._in_pos = 0
        self._in_len = 0
        self._out = None  # bytes of a reply still to send
        self._out_pos = 0
        self._events = []
        self._get_f = None  # file of a `get` in progress
        self._get_left = 0
        self._chunk = bytearray(CHUNK)
        self._chunk_mv = memoryview(self._chunk)
        self._chunk_pos = 0
        self._chunk_len = 0
        self.requests = 0
        self.errors = 0
        self.internal = 0  # commands that raised something unforeseen (ERR 9)
        self.events_dropped = 0

    # ------------------------------------------------------------ I/O
    def poll(self):
        """One bounded slice of console work; True if anything happened."""
        if self.port is None:
            return False
        # _send() only with output pending: its frame (over 11 words) comes from the
        # GC heap on every call, and poll runs on every App turn
        if (
            self._out is not None
            or self._chunk_pos < self._chunk_len
            or self._get_f is not None
            or self._events
        ) and self._send():
            return True
        if self._in_pos >= self._in_len:
            n = self.port.readinto(self._in_mv)
            if not n:
                return False
            self._in_pos = 0
            self._in_len = n
        self._consume()
        self._send()
        return True

    def _busy(self):
        return self._out is not None or self._get_f is not None or self._chunk_pos < self._chunk_len

    def _send(self):
        # continue pending output; True while output is (still) pending
        port = self.port
        if self._out is not None:
            n = port.write(self._out[self._out_pos :] if self._out_pos else self._out)
            self._out_pos += n or 0
            if self._out_pos >= len(self._out):
                self._out = None
                self._out_pos = 0
            return True
        if self._chunk_pos < self._chunk_len:
            n = port.write(self._chunk_mv[self._chunk_pos : self._chunk_len])
            self._chunk_pos += n or 0
            return True
        f = self._get_f
        if f is not None:
            if self._get_left <= 0:
                self._end_get()
                return True
            want = CHUNK if self._get_left > CHUNK else self._get_left
            try:
                n = f.readinto(self._chunk_mv[:want])
            except OSError:
                n = 0
            if not n:
                # the file ended early (cannot happen for committed bytes): pad
                # so the host still receives exactly the announced length
                for i in range(want):
                    self._chunk[i] = 0
                n = want
            self._get_left -= n
            self._chunk_pos = 0
            self._chunk_len = n
            return True
        if self._events:
            self._out = self._events.pop(0)
            self._out_pos = 0
            return True
        return False

    def _end_get(self):
        f = self._get_f
        self._get_f = None
        if f is not None:
            try:
                f.close()
            except OSError:
                pass

    def _reply(self, text):
        self._out = text.encode() + b"\n"
        self._out_pos = 0

    def _event(self, text):
        if len(self._events) >= _MAX_EVENTS or self._get_f is not None:
            self.events_dropped += 1
            return
        self._events.append(text.encode() + b"\n")

    # ------------------------------------------------------------ parsing
    def _consume(self):
        # feed buffered input bytes until one request is complete
        buf = self._in
        while self._in_pos < self._in_len:
            b = buf[self._in_pos]
            self._in_pos += 1
            if b == 10:  # \n
                self._end_line()
                if self._busy():
                    return
                continue
            if b == 13:  # \r
                continue
            if b < 32 or b > 126:
                if b != 9:
                    self._binary = True
                    continue
            if self._n < MAX_LINE:
                self._line[self._n] = b
                self._n += 1
            else:
                self._overlong = True

    def _end_line(self):
        n = self._n
        overlong = self._overlong
        binary = self._binary
        self._n = 0
        self._overlong = False
        self._binary = False
        if overlong:
            self._err(E_TOO_LONG, "line longer than %d bytes" % MAX_LINE)
            return
        if binary:
            self._err(E_BINARY, "non-text bytes in line")
            return
        if n == 0:
            return
        text = bytes(self._line[:n]).decode()
        args = text.split()
        if not args:
            return
        self.requests += 1
        try:
            self._command(args)
        except ValueError as e:
            self._err(E_ARG, "bad argument: %s" % (e.args[0] if e.args else text.strip()))
        except Exception as e:  # the console must never stop the pod
            self.internal += 1
            self._err(E_INTERNAL, "internal: %s %s" % (type(e).__name__, e))

    def _err(self, code, msg):
        self.errors += 1
        self._reply("ERR %d %s" % (code, msg))

    # ------------------------------------------------------------ commands
    def _command(self, args):
        cmd = args[0]
        n = len(args)
        app = self.app
        if cmd == "help":
            if n != 1:
                raise ValueError("help takes no argument")
            self._reply("OK help " + " ".join(COMMANDS))
        elif cmd == "status" or cmd == "health":
            if n != 1:
                raise ValueError("%s takes no argument" % cmd)
            pairs = app.status() if cmd == "status" else app.health()
            self._reply("OK %s %s" % (cmd, format_kv(pairs)))
        elif cmd == "ls":
            if n != 1:
                raise ValueError("ls takes no argument")
            st = app.store
            parts = ["OK ls %d" % len(st.ids)]
            for sid in st.ids:
                parts.append(ls_entry(sid, st.sizes[sid], st.synced[sid], sid == st.current))
            self._reply(" ".join(parts))
        elif cmd == "get":
            self._cmd_get(args)
        elif cmd == "ack":
            if n != 3:
                raise ValueError("usage: ack <session> <offset>")
            sid = _uint(args[1])
            off = _uint(args[2])
            try:
                v = app.store.ack(sid, off)
            except KeyError:
                self._err(E_SESSION, "no session %d" % sid)
                return
            except OSError as e:
                self._err(E_STORAGE, "marker not written: %s" % e)
                return
            self._reply("OK ack %d %d" % (sid, v))
        elif cmd == "rec":
            if n != 2 or args[1] not in ("start", "stop"):
                raise ValueError("usage: rec start|stop")
            try:
                if args[1] == "start":
                    sid = app.rec_start()
                else:
                    sid = app.rec_stop()
            except ValueError as e:
                self._err(E_STATE, e.args[0] if e.args else "wrong state")
                return
            except OSError as e:
                self._err(E_STORAGE, "flash: %s" % e)
                return
            self._reply("OK rec %s %d" % (args[1], sid))
        elif cmd == "cal":
            self._cmd_cal(args)
        elif cmd == "time":
            if n != 2:
                raise ValueError("usage: time <epoch seconds>[.<fraction>]")
            s = args[1]
            frac_us = 0
            dot = s.find(".")
            if dot >= 0:
                fr = s[dot + 1 :]
                s = s[:dot]
                if not fr or len(fr) > 6:
                    raise ValueError("fraction of 1 to 6 digits")
                frac_us = _uint(fr) * (10 ** (6 - len(fr)))
            epoch = _uint(s, 10)
            if epoch < 1000000000:
                raise ValueError("epoch before 2001")
            if epoch > _EPOCH_MAX:
                raise ValueError("epoch after 2106 (a u32 in the session header)")
            try:
                app.set_time(epoch, frac_us)
            except OSError as e:
                self._err(E_STORAGE, "flash: %s" % e)
                return
            self._reply("OK time %d" % epoch)
        elif cmd == "live":
            if n != 2 or args[1] not in ("on", "off"):
                raise ValueError("usage: live on|off")
            app.live = args[1] == "on"
            self._reply("OK live %s" % args[1])
        elif cmd == "pair":
            if n != 1:
                raise ValueError("pair takes no argument")
            secs = app.pair_window()
            if secs < 0:
                self._err(E_UNAVAILABLE, "no radio")
                return
            self._reply("OK pair %d" % secs)
        elif cmd == "repl":
            if n != 1:
                raise ValueError("repl takes no argument")
            if not app.allow_repl:
                self._err(E_UNAVAILABLE, "repl disabled")
                return
            self._reply("OK repl")
            app.stop()
        else:
            self._err(E_UNKNOWN, "unknown command (try help)")

    def _cmd_cal(self, args):
        # cal zero | cal raw | cal set <cell> <raw>:<dn>[,...] | cal stride <mm>
        n = len(args)
        app = self.app
        sub = args[1] if n > 1 else ""
        if sub == "raw" and n == 2:
            self._reply("OK cal raw " + " ".join("%d" % v for v in app.cells))
            return
        if sub == "stride" and n == 3:
            mm = _uint(args[2], 4)
            try:
                app.set_stride_mm(mm)
            except ValueError as e:
                self._err(E_ARG, e.args[0] if e.args else "bad stride")
                return
            except OSError as e:
                self._err(E_STORAGE, "stride not saved: %s" % e)
                return
            self._reply("OK cal stride %d" % mm)
            return
        if sub == "zero" and n == 2:
            what = "zero"
        elif sub == "set" and n == 4:
            what = "set"
            cell = _uint(args[2], 2)
            points = []
            for item in args[3].split(","):
                c = item.find(":")
                if c <= 0:
                    raise ValueError("points are raw:dn[,raw:dn...]")
                points.append((_uint(item[:c], 4), _uint(item[c + 1 :], 5)))
        else:
            raise ValueError(
                "usage: cal zero | cal raw | cal set <cell> <raw>:<dn>[,...] | cal stride <mm>"
            )
        try:
            if what == "zero":
                app.cal_zero()
            else:
                app.cal_points(cell, points)
        except ValueError as e:
            self._err(E_STATE if what == "zero" else E_ARG, e.args[0] if e.args else "refused")
            return
        except OSError as e:
            self._err(E_STORAGE, "calibration not saved: %s" % e)
            return
        self._reply("OK cal " + (what if what == "zero" else "set %d" % cell))

    def _cmd_get(self, args):
        n = len(args)
        if n not in (2, 3):
            raise ValueError("usage: get <session> [offset]")
        sid = _uint(args[1])
        off = _uint(args[2]) if n == 3 else 0
        st = self.app.store
        if sid not in st.sizes:
            self._err(E_SESSION, "no session %d" % sid)
            return
        try:
            if sid == st.current:
                st.commit()  # serve everything recorded so far
        except OSError as e:
            self._err(E_STORAGE, "cannot commit session: %s" % e)
            return
        size = st.sizes[sid]
        if off > size:
            raise ValueError("offset %d beyond %d bytes" % (off, size))
        try:
            f, size = st.open_read(sid)
            f.seek(off)
        except OSError as e:
            self._err(E_STORAGE, "cannot read session: %s" % e)
            return
        self._get_f = f
        self._get_left = size - off
        self._reply("OK get %d %d %d" % (sid, off, size - off))

    # ------------------------------------------------------------ live events
    def event_step(self, step):
        # index, stance ms, peak force N, flags (from the kernel's Step layout)
        # 24 bits of index and stance (us) are plenty for an event line
        idx = u16_at(step, R.STEP_INDEX) | (step[R.STEP_INDEX + 2] << 16)
        stance = u16_at(step, R.STEP_STANCE_US) | (step[R.STEP_STANCE_US + 2] << 16)
        peak = u16_at(step, R.STEP_PEAK_FORCE_DN) // 10
        flags = u16_at(step, R.STEP_FLAGS)
        self._event("EV step %d %d %d %d" % (idx, stance // 1000, peak, flags))

    def event_flag(self, flag):
        self._event(
            "EV flag %d %d" % (u16_at(flag, R.FLAGREC_FLAGS), u16_at(flag, R.FLAGREC_FAULT_CELLS))
        )


class StdioPort:
    """The USB console (sys.stdin/stdout) as a non-blocking port, on the device.

    Ctrl-C is disabled while the app runs, so binary noise cannot raise
    KeyboardInterrupt and stop sampling; `repl` (or the boot button held at
    reset, see boot.py) gives the REPL back, e.g. for `stride deploy`.
    """

    def __init__(self):
        import select
        import sys

        import micropython

        micropython.kbd_intr(-1)
        self._mp = micropython
        self._in = sys.stdin.buffer
        self._out = sys.stdout.buffer
        self._poll = select.poll()
        self._poll.register(sys.stdin, select.POLLIN)
        self._b = bytearray(1)

    def readinto(self, buf):
        n = 0
        lim = len(buf)
        while n < lim:
            # ipoll(0) yields from the poll object itself (poll(0) would make a new
            # list on every console poll): no entry, nothing to read
            for _ in self._poll.ipoll(0):
                break
            else:
                break
            if not self._in.readinto(self._b):
                break
            buf[n] = self._b[0]
            n += 1
        return n

    def write(self, data):
        n = self._out.write(data)
        return len(data) if n is None else n

    def close(self):
        self._mp.kbd_intr(3)
