# The pod application: sample timer -> drivers -> StepKernel -> SessionStore,
# plus the serial console, left/right pairing over ESP-NOW, auto start/stop and
# deep sleep. Hardware arrives injected (machine-like and time-like objects, a
# file system, a console port, a radio), so the same code runs on the ESP32 and
# in the virtual pod on CPython (stridekit.sim.pod).
#
# Sampling: a hardware Timer at the sample rate whose handler only timestamps
# (ticks_us) into a preallocated ring and bumps a counter; it is safe as a hard
# IRQ (no allocation, no I/O). The main loop takes at most one sample per turn:
# it reads the insole and the IMU FIFO right away and pushes the kernel.
# Why a timer and not a tight ticks-based loop:
# - the due time of every sample is recorded independently of what the main loop
#   was doing, so lateness (jitter) and missed samples are measured exactly,
#   not inferred from loop timing;
# - between samples the CPU can wait in machine.idle() instead of spinning (the
#   work per sample is a few ms of a 5-10 ms period); a busy loop burns the
#   battery and would also have to interleave console, flash and radio work by
#   hand without drifting;
# - the rate comes from a hardware divider, not from accumulated loop timing.
# The kernel runs in the main loop (never in the handler); it allocates nothing
# per sample anyway, so a GC pause cannot start inside sampling work.
# If the main loop falls behind (a flash erase can stall the ESP32 for tens of
# ms), the ring holds the newest due times; the samples in between are counted
# as missed, never read late twice. Ring policy: overwrite oldest and count.
#
# Session time of samples: (t, wraps) like the kernel (t < 2**30 us), so
# nothing per sample becomes a big int on the 32-bit port.
#
# Why ~800 lines in one module: the scheduler's state (sample ring, session,
# pairing, sleep) is read by every part of the turn; the console, the BLE server
# and the store already live apart, and each further module costs the pod several
# hundred bytes of heap (its globals, names and function objects).
import array

from stridefw import board as B
from stridefw import calib as C
from stridefw import layouts, records
from stridefw import store as S
from stridefw.balance import Balance
from stridefw.compat import const
from stridefw.config import (
    BW_DEFAULT_DN,
    EVENT_LEVEL_DN,
    FIRMWARE_VERSION,
    RATE_HZ_DEFAULT,
    RATE_HZ_MAX,
    TICKS_MASK,
)
from stridefw.console import Console
from stridefw.consoleproto import HEALTH_NOTE, format_kv
from stridefw.drivers import imu as imu_drv
from stridefw.drivers.battery import make_battery, soc_pct
from stridefw.drivers.insole import make_insole
from stridefw.kernel import EV_FLAG, EV_STEP, StepKernel

_RING = const(8)  # due times kept (power of two)
_RING_MASK = const(7)
_IMU_RETRY_MS = const(1000)  # re-probe a lost IMU this often
_BATTERY_MS = const(60000)
# ticks_diff on ticks_ms is exact only within 2**29 ms (6.2 days): the wall-clock
# anchor moves forward in whole seconds this often, long before that.
_EPOCH_ANCHOR_MS = const(3600000)
AUTO_START_STEPS = const(6)  # steps within AUTO_WINDOW_MS start a session
_AUTO_WINDOW_MS = const(8000)
AUTO_STOP_MS = const(60000)  # an auto-started session ends after a minute without steps
IDLE_SLEEP_MS = const(300000)  # deep sleep after 5 min without steps or console input
CAL_PATH = "/cal.bin"
# The runner's UNSTABLE reference (kernel.learn_reference), kept between sessions
REF_PATH = "/unstable_ref.txt"
# The runner's calibrated stride length in mm (`cal stride`, from `stride calibrate
# --distance`): without it the pod sends no speed or distance over RSC
STRIDE_PATH = "/rsc_stride.txt"


class App:
    """One pod. turn() does at most one sample plus bounded console/radio work."""

    def __init__(
        self,
        machine,
        clock,
        fs,
        board,
        n_cells=8,
        rate_hz=RATE_HZ_DEFAULT,
        foot=0,
        port=None,
        radio=None,
        auto_start=True,
        sleep_fn=None,
        allow_repl=True,
        timer_id=0,
        store_kw=None,
        ble=None,
        bt=None,
    ):
        if rate_hz < 1 or rate_hz > RATE_HZ_MAX:
            raise ValueError("rate %d Hz outside 1..%d" % (rate_hz, RATE_HZ_MAX))
        self.m = machine
        self.clock = clock
        self.fs = fs
        self.board = board
        self.n_cells = n_cells
        self.rate_hz = rate_hz
        self.period_us = 1000000 // rate_hz
        self.foot = foot
        self.auto_start = auto_start
        self.sleep_fn = sleep_fn
        self.allow_repl = allow_repl
        self.timer_id = timer_id
        self.layout = layouts.INSOLE_16 if n_cells == 16 else layouts.INSOLE_8
        if self.layout.n_cells != n_cells:
            raise ValueError("no layout for %d cells" % n_cells)
        self.device_id = bytes(machine.unique_id()[:6])
        while len(self.device_id) < 6:
            self.device_id += b"\x00"
        self.wiring = B.config_for(board, n_cells)
        self.insole = make_insole(machine, board, self.wiring, n_cells, clock.sleep_us)
        self.i2c = machine.I2C(
            0, scl=machine.Pin(board.i2c_scl), sda=machine.Pin(board.i2c_sda), freq=B.I2C_FREQ_HZ
        )
        self.imu = self._probe_imu()
        self.has_imu = self.imu is not None
        self.battery = make_battery(machine, board)
        self.calib = self._load_calib()
        self.kernel = StepKernel(self.layout, self.calib, foot, self.has_imu, BW_DEFAULT_DN)
        self.store = S.SessionStore(fs, **(store_kw or {}))
        self.store.mount()
        self.balance = Balance()
        self.console = Console(self, port)
        self.pairing = None
        if radio is not None:
            from stridefw.pairing import Pairing

            self.pairing = Pairing(self, radio)
        self.ble = None  # stridefw.ble.BleServer when a `bluetooth.BLE` is given
        # buffers, allocated once
        self.cells = array.array("H", bytes(2 * n_cells))
        self.imu_buf = array.array("h", bytes(12))
        self._ring = array.array("i", bytes(4 * _RING))
        self._w = 0  # written by the timer handler only
        self._r = 0
        self._work_owed = False  # a sampling turn left the polls to the next turn
        self._ticks_us = clock.ticks_us
        self.timer = None
        self.running = False
        self.reset_stats()
        self.recording = False
        self.session = -1
        self.auto = False  # the current session was started by motion
        self.live = False
        self.epoch_s = 0  # host wall clock at epoch_tick_ms (`time` command), 0 unknown
        self.epoch_frac_us = 0
        self.epoch_tick_ms = 0
        self._t = 0  # session time of the last sample, us mod 2**30
        self._wraps = 0
        self._last_tick = 0
        self._have_tick = False
        now_ms = clock.ticks_ms()
        self._last_step_ms = now_ms
        self._last_input_ms = now_ms
        self._last_commit_ms = now_ms
        self._last_imu_try_ms = now_ms
        self._last_batt_ms = now_ms
        self._auto_ms = array.array("i", bytes(4 * AUTO_START_STEPS))
        self._auto_n = 0
        self.battery_mv = 0
        self._batt_rec = bytearray(records.BATTERY_LEN)  # the Battery record, packed in place
        if ble is not None:
            from stridefw.ble import BleServer

            self.ble = BleServer(self, ble, bt, fs)

    # ------------------------------------------------------------ setup
    def _probe_imu(self):
        try:
            return imu_drv.detect(self.i2c, self.rate_hz, self.clock.sleep_ms)
        except OSError:
            return None

    def _load_calib(self):
        try:
            f = self.fs.open(CAL_PATH, "rb")
            try:
                cal = C.Calibration.from_bytes(f.read())
            finally:
                f.close()
            if cal.n_cells == self.n_cells:
                return cal
        except (OSError, ValueError):
            pass
        return C.nominal(self.n_cells)

    def reset_stats(self):
        self.samples = 0
        self.missed = 0
        self.overwritten = 0
        self.jit_max_us = 0
        self.jit_sum_us = 0
        self.jit_n = 0
        self.dt_err_max_us = 0
        self.imu_errors = 0

    def start(self):
        """Start the sample timer (hard IRQ where the port supports it)."""
        m = self.m
        self.timer = m.Timer(self.timer_id)
        try:
            self.timer.init(mode=m.Timer.PERIODIC, freq=self.rate_hz, callback=self._isr, hard=True)
        except (TypeError, ValueError):
            # ports without hard timer callbacks schedule it (soft IRQ): still
            # allocation-free, just later
            self.timer.init(mode=m.Timer.PERIODIC, freq=self.rate_hz, callback=self._isr)
        self.running = True

    def stop(self):
        if self.timer is not None:
            self.timer.deinit()
            self.timer = None
        if self.recording:
            self.rec_stop()
        self.running = False

    def _isr(self, _timer):
        # Timer handler: timestamp into the ring, nothing else (no allocation).
        w = self._w
        self._ring[w & _RING_MASK] = self._ticks_us()
        self._w = (w + 1) & TICKS_MASK

    def run(self):
        """The device main loop."""
        self.start()
        while self.running:
            if not self.turn():
                self.m.idle()

    # ------------------------------------------------------------ scheduler
    def turn(self):
        """One turn: a due sample, or bounded console, radio and housekeeping work.

        A turn that samples leaves that work to the next turn, which comes at once
        (run() idles only after a turn that did nothing): so it runs once per sample,
        not twice, and a loop that falls behind (a sample due on every turn) still
        does it every other turn. Console bytes wait in the port, BLE events in
        the server's queues."""
        did = False
        w = self._w
        if w != self._r:
            pending = (w - self._r) & TICKS_MASK
            if pending > 1:
                self.missed += pending - 1
                if pending > _RING:
                    self.overwritten += pending - _RING
            due = self._ring[(w - 1) & _RING_MASK]
            self._r = w
            self._sample(due)
            if not self._work_owed:
                self._work_owed = True
                return True
            did = True
        self._work_owed = False
        if self.console.poll():
            did = True
            self._last_input_ms = self.clock.ticks_ms()
        if self.pairing is not None and self.pairing.poll():
            did = True
        if self.ble is not None and self.ble.poll():
            did = True
            # a central at work (a sync, LIVE) is input: no deep sleep under it
            self._last_input_ms = self.clock.ticks_ms()
        self._housekeeping()
        return did

    # The per-sample methods keep their frames at 11 words or less (locals plus
    # stack): a bytecode frame over that comes from the GC heap on every call
    # (MicroPython's fun_bc_call; the ESP32 port too), and in the heap the pod
    # runs in the allocator's search for room costs more than the whole sample.
    # Hence few locals, and the IMU read and the store's part in their own methods.
    def _sample(self, due):
        now = self.clock.ticks_us()
        d = self.clock.ticks_diff(now, due)  # lateness
        if d < 0:
            d = 0
        if d > self.jit_max_us:
            self.jit_max_us = d
        self.jit_sum_us += d
        self.jit_n += 1
        if self.jit_sum_us > 0x10000000:  # keep the running mean a small int
            self.jit_sum_us >>= 1
            self.jit_n >>= 1
        self.insole.read_into(self.cells)
        imu = None
        if self.imu is not None:
            imu = self._read_imu()
        self.samples += 1
        if self._have_tick:
            dt = self.clock.ticks_diff(now, self._last_tick)
            d = dt - self.period_us
            if d < 0:
                d = -d
            if d > self.dt_err_max_us:
                self.dt_err_max_us = d
        else:
            dt = -1
            self._have_tick = True
        self._last_tick = now
        d = self.kernel.push(now, self.cells, imu)  # the kernel's events
        if self.recording:
            self._record(dt, imu)
        if d:
            self._events(d)

    def _read_imu(self):
        # The IMU's newest sample, or None (no data yet, or lost: re-probed by housekeeping)
        imu = self.imu
        try:
            if imu is not None and imu.read_into(self.imu_buf):
                return self.imu_buf
        except OSError:
            self.imu_errors += 1
            self.imu = None
            self._last_imu_try_ms = self.clock.ticks_ms()
        return None

    def _record(self, dt, imu):
        # the raw sample into the store, at its session time
        if dt > 0:
            room = TICKS_MASK - self._t
            if dt > room:
                self._t = dt - room - 1
                self._wraps += 1
            else:
                self._t += dt
        self.store.add_sample(self._t, self._wraps, dt, self.cells, imu)

    def _events(self, ev):
        k = self.kernel
        if ev & EV_STEP:
            self._last_step_ms = self.clock.ticks_ms()
            if self.recording:
                self.store.add(records.REC_STEP, k.step)
            if self.pairing is not None:
                self.pairing.send_step(k.step)
            self.balance_step(self.foot, k.step)
            if self.live:
                self.console.event_step(k.step)
            if self.ble is not None:
                self.ble.on_step(k.step)
                self.ble.on_record(records.REC_STEP, k.step)
            if not self.recording and self.auto_start:
                self._auto_step()
        if ev & EV_FLAG:
            if self.recording:
                self.store.add(records.REC_FLAG, k.flag)
            if self.live:
                self.console.event_flag(k.flag)
            if self.ble is not None:
                self.ble.on_record(records.REC_FLAG, k.flag)

    def balance_step(self, foot, step):
        """A Step payload of either foot into the left/right comparison."""
        if self.balance.add_step(foot, step):
            self.kernel.set_uneven(self.balance.uneven)

    def _auto_step(self):
        now = self.clock.ticks_ms()
        n = self._auto_n
        if n < AUTO_START_STEPS:
            self._auto_ms[n] = now
            self._auto_n = n + 1
        else:
            for i in range(AUTO_START_STEPS - 1):
                self._auto_ms[i] = self._auto_ms[i + 1]
            self._auto_ms[AUTO_START_STEPS - 1] = now
        if (
            self._auto_n >= AUTO_START_STEPS
            and self.clock.ticks_diff(now, self._auto_ms[0]) <= _AUTO_WINDOW_MS
        ):
            self._auto_n = 0
            try:
                self.rec_start()
                self.auto = True
            except OSError:
                pass  # flash full: stay idle, the console reports it

    def _housekeeping(self):
        clock = self.clock
        now = clock.ticks_ms()
        if self.epoch_s:
            self._reanchor_epoch(now)
        if self.recording:
            if clock.ticks_diff(now, self._last_commit_ms) >= S.COMMIT_MS:
                self._last_commit_ms = now
                self.store.commit()
                if self.store.raw_note:
                    self.store.raw_note = False
                    self.note(S.NOTE_RAW_STOPPED)
            if self.auto and clock.ticks_diff(now, self._last_step_ms) >= AUTO_STOP_MS:
                self.rec_stop()
        if (
            self.imu is None
            and self.has_imu
            and clock.ticks_diff(now, self._last_imu_try_ms) >= _IMU_RETRY_MS
        ):
            self._last_imu_try_ms = now
            self.imu = self._probe_imu()
        if clock.ticks_diff(now, self._last_batt_ms) >= _BATTERY_MS or self.battery_mv == 0:
            self._last_batt_ms = now
            self._read_battery()
        if (
            not self.recording
            and self.running
            and self.sleep_fn is not None
            and clock.ticks_diff(now, self._last_step_ms) >= IDLE_SLEEP_MS
            and clock.ticks_diff(now, self._last_input_ms) >= IDLE_SLEEP_MS
        ):
            self.deep_sleep()

    def _reanchor_epoch(self, now):
        # whole seconds move from the tick difference into epoch_s: nothing is rounded
        elapsed_ms = self.clock.ticks_diff(now, self.epoch_tick_ms)
        if elapsed_ms >= _EPOCH_ANCHOR_MS:
            whole_s = elapsed_ms // 1000
            self.epoch_s += whole_s
            self.epoch_tick_ms = self.clock.ticks_add(self.epoch_tick_ms, whole_s * 1000)

    def _read_battery(self):
        try:
            mv = self.battery.read_mv()
        except OSError:
            return
        self.battery_mv = mv
        if self.ble is not None:
            self.ble.update_battery()
            self.ble.update_status()
        if self.recording:
            rec = self._batt_rec
            records.pack_battery_into(rec, self._t, self._wraps, mv, soc_pct(mv))
            self.store.add(records.REC_BATTERY, rec)

    def deep_sleep(self):
        """Idle for long: sensors to low power, arm the wake sources, deep sleep."""
        if self.timer is not None:
            self.timer.deinit()
            self.timer = None
        self.insole.off()
        if self.imu is not None:
            try:
                self.imu.arm_wake()
            except OSError:
                pass
        self.running = False
        if self.sleep_fn is not None:
            self.sleep_fn(self)

    # ------------------------------------------------------------ sessions
    def _t_u32(self):
        # session time as a u32 (only for non-hot-path records: may be a big int)
        return ((self._wraps & 3) << 30) | self._t

    def header(self, sid):
        epoch = 0
        if self.epoch_s:
            epoch = (
                self.epoch_s
                + self.clock.ticks_diff(self.clock.ticks_ms(), self.epoch_tick_ms) // 1000
            )
            if epoch < 0 or epoch > 0xFFFFFFFF:
                epoch = 0  # not a u32: unknown (a SessionHeader that packs, never a crash)
        return records.SessionHeader(
            session_id=sid,
            device_id=self.device_id,
            foot=self.foot,
            fw_version=FIRMWARE_VERSION,
            rate_hz=self.rate_hz,
            layout_id=self.layout.layout_id,
            n_cells=self.n_cells,
            has_imu=1 if self.has_imu else 0,
            epoch_s=epoch,
            bw_dn=BW_DEFAULT_DN,
            calib=self.calib.to_bytes(),
        )

    def rec_start(self):
        """Start a session (console `rec start`, BLE control, motion). Returns its id."""
        if self.recording:
            raise ValueError("already recording session %d" % self.session)
        sid = self.store.next_id
        hdr = self.header(sid).to_bytes()
        sid = self.store.begin(hdr, self.n_cells, self.period_us)
        self.session = sid
        self.recording = True
        self.auto = False
        self.kernel.reset()  # replay of the stored samples must start from the same state
        self.balance.reset()
        self._t = 0
        self._wraps = 0
        self._have_tick = False
        now = self.clock.ticks_ms()
        self._last_commit_ms = now
        self._last_step_ms = now
        self.reset_stats()
        if self.epoch_s:
            self._sync_record()
        if self.store.raw_note:
            self.store.raw_note = False
            self.note(S.NOTE_RAW_STOPPED)
        self._load_reference()
        return sid

    def stride_mm(self):
        """The calibrated stride length on flash (0: none, or a file that is not one)."""
        try:
            f = self.fs.open(STRIDE_PATH, "r")
            try:
                v = int(f.read().strip())
            finally:
                f.close()
        except (OSError, ValueError):
            return 0
        return v if 0 < v <= 4000 else 0

    def set_stride_mm(self, mm):
        """Keep a calibrated stride length (0 clears it) and use it for RSC at once.

        ValueError when absurd; OSError when flash refuses (the old value stays)."""
        if mm < 0 or mm > 4000:
            raise ValueError("stride must be 0..4000 mm")
        f = self.fs.open(STRIDE_PATH + ".tmp", "w")
        try:
            f.write("%d\n" % mm)
        finally:
            f.close()
        self.fs.rename(STRIDE_PATH + ".tmp", STRIDE_PATH)
        if self.ble is not None:
            self.ble.set_stride_mm(mm)

    def _load_reference(self):
        # The runner's UNSTABLE reference from earlier sessions, recorded as a Note so
        # that replay judges the session against the same one.
        k = self.kernel
        try:
            f = self.fs.open(REF_PATH, "r")
            try:
                k.set_reference_note(f.read())
            finally:
                f.close()
        except (OSError, ValueError):  # no file, or one that is not text: no reference
            pass
        if k.has_ref:
            self.note(k.reference_note())

    def _save_reference(self):
        # A long enough session without UNSTABLE updates the reference (kernel).
        if not self.kernel.learn_reference():
            return
        try:
            f = self.fs.open(REF_PATH + ".tmp", "w")
            try:
                f.write(self.kernel.reference_note())
            finally:
                f.close()
            self.fs.rename(REF_PATH + ".tmp", REF_PATH)
        except OSError:
            pass  # kept in RAM for this power cycle; steps matter more than this file

    def rec_stop(self):
        """End the session with a SessionEnd record. Returns its id."""
        if not self.recording:
            raise ValueError("not recording")
        k = self.kernel
        end = records.SessionEnd(self._t_u32(), k.steps, self.samples, self.missed, k.gaps, k.flags)
        self.note(HEALTH_NOTE + format_kv(self.health()))  # the session carries its own
        self._save_reference()
        sid = self.store.end(end.to_bytes())
        self.recording = False
        self.auto = False
        self.session = -1
        return sid

    def pair_window(self):
        """Console `pair` / the button: open the BLE bonding and ESP-NOW pairing windows.

        Returns the window length in seconds, -1 when the pod has neither radio.
        """
        secs = -1
        if self.ble is not None:
            secs = self.ble.open_window()
        if self.pairing is not None:
            secs = self.pairing.open_window()
        return secs

    def note(self, text):
        if self.recording:
            self.store.add(records.REC_NOTE, records.Note(self._t_u32(), text).to_bytes())

    def set_time(self, epoch_s, frac_us=0):
        """Host wall clock now (console `time`, BLE Current Time): logs a Sync record.

        ValueError for an epoch a SessionHeader cannot hold (u32) or a fraction of 1 s or more.
        """
        if epoch_s < 0 or epoch_s > 0xFFFFFFFF or frac_us < 0 or frac_us >= 1000000:
            raise ValueError("time out of range")
        self.epoch_s = epoch_s
        self.epoch_frac_us = frac_us
        self.epoch_tick_ms = self.clock.ticks_ms()
        if self.recording:
            self._sync_record()

    def _sync_record(self):
        host_us = self.epoch_s * 1000000 + self.epoch_frac_us
        host_us += self.clock.ticks_diff(self.clock.ticks_ms(), self.epoch_tick_ms) * 1000
        self.store.add(records.REC_SYNC, records.Sync(self._t_u32(), host_us, 1).to_bytes())

    def cal_zero(self):
        """Tare: shift each cell's table so the current (unloaded) reading is 0 N.

        Raw samples stay raw; the shifted tables travel in the next SessionHeader,
        so a replay uses exactly them.
        """
        if self.recording:
            raise ValueError("stop recording first")
        if self.kernel.total_dn > EVENT_LEVEL_DN:
            raise ValueError("foot loaded: lift it")
        old = self.calib
        new = C.Calibration(self.n_cells)
        for c in range(self.n_cells):
            z = old.force_dn(c, self.cells[c])
            base = c * C.TABLE_LEN
            for k in range(C.TABLE_LEN):
                v = old.table[base + k] - z
                new.table[base + k] = v if v > 0 else 0
        self._save_calib(new)
        return new

    def cal_points(self, cell, points):
        """Replace one cell's table with measured (raw, force_dn) points, raw ascending.

        The calibration procedure (hardware/README.md): a known mass on each cell.
        Other cells keep their tables; the next SessionHeader carries the result.
        """
        if self.recording:
            raise ValueError("stop recording first")
        if not 0 <= cell < self.n_cells:
            raise ValueError("no cell %d" % cell)
        one = C.from_points([points])  # ValueError on bad points
        new = C.Calibration(self.n_cells)
        for i in range(len(new.table)):
            new.table[i] = self.calib.table[i]
        base = cell * C.TABLE_LEN
        for k in range(C.TABLE_LEN):
            new.table[base + k] = one.table[k]
        self._save_calib(new)
        return new

    def _save_calib(self, new):
        f = self.fs.open(CAL_PATH + ".tmp", "wb")
        try:
            f.write(new.to_bytes())
        finally:
            f.close()
        self.fs.rename(CAL_PATH + ".tmp", CAL_PATH)
        self.calib = new
        self.kernel = StepKernel(self.layout, new, self.foot, self.has_imu, BW_DEFAULT_DN)

    def status(self):
        """(name, value) pairs for the console and BLE status."""
        st = self.store
        k = self.kernel
        mean = self.jit_sum_us // self.jit_n if self.jit_n else 0
        return (
            ("rec", 1 if self.recording else 0),
            ("session", self.session),
            ("rate", self.rate_hz),
            ("foot", self.foot),
            ("samples", self.samples),
            ("missed", self.missed),
            ("jit_max_us", self.jit_max_us),
            ("jit_mean_us", mean),
            ("dt_err_max_us", self.dt_err_max_us),
            ("steps", k.steps),
            ("flags", k.flags),
            ("imu", self.imu.name if self.imu is not None else "none"),
            ("raw", 1 if st.raw_on else 0),
            ("free", st.free_bytes()),
            ("sessions", len(st.ids)),
            ("dropped", st.dropped),
            ("batt_mv", self.battery_mv),
            ("paired", 1 if self.pairing is not None and self.pairing.peer is not None else 0),
            ("uneven", 1 if self.balance.uneven else 0),
        )  # fault counters: health()

    def health(self):
        """(name, value) of every fault, overflow and refusal counter, for the console
        `health` and a Note at `rec stop`: a counter nobody reads hides a fault.
        ble_* only on a pod with BLE, pair_* only with the ESP-NOW radio."""
        st = self.store
        con = self.console
        imu = self.imu
        out = [
            ("missed", self.missed),  # samples whose due time passed unread
            ("overwritten", self.overwritten),  # due times the ring lost (main loop stalled)
            ("imu_errors", self.imu_errors),
            ("imu_overruns", imu.overruns if imu is not None else 0),  # of the IMU now in use
            ("dropped", st.dropped),
            ("raw_dropped", st.raw_dropped),
            ("write_errors", st.write_errors),
            ("cut_bytes", st.cut_bytes),
            ("rotated", st.rotated),
            ("console_errors", con.errors),
            ("console_internal", con.internal),
            ("events_dropped", con.events_dropped),
        ]
        p = self.pairing
        if p is not None:
            out.append(("pair_send_errors", p.send_errors))
            out.append(("pair_rx_bad", p.rx_bad))
        b = self.ble
        if b is not None:
            x = b.pump
            out.append(("ble_refused_bonds", b.refused_bonds))
            out.append(("ble_refused", b.refused_access))
            out.append(("ble_bad", b.bad_requests))
            out.append(("ble_internal", b.internal_errors))
            out.append(("ble_busy", b.busy_requests))
            out.append(("ble_dropped", b.dropped_requests))
            out.append(("ble_enomem", b.enomem + x.enomem))
            out.append(("ble_live_dropped", x.live_dropped))
            out.append(("ble_bond_save_errors", b.bonds.save_errors))
        return out


def _device_sleep(app):
    # ESP32 deep sleep with wake on the button (ext0, low) and the IMU INT1 (ext1).
    import esp32
    import machine

    board = app.board
    button = machine.Pin(board.button, machine.Pin.IN, machine.Pin.PULL_UP)
    esp32.wake_on_ext0(button, esp32.WAKEUP_ALL_LOW)
    esp32.wake_on_ext1((machine.Pin(board.imu_int, machine.Pin.IN),), esp32.WAKEUP_ANY_HIGH)
    machine.deepsleep()


def main(foot=None, n_cells=8, rate_hz=RATE_HZ_DEFAULT):
    """Device entry (main.py): real machine/time modules, LittleFS at /, USB console."""
    import sys
    import time

    import machine

    from stridefw.console import StdioPort

    key = B.key_for_machine(sys.implementation._machine)  # type: ignore[attr-defined]
    board = B.BOARDS[key]
    if foot is None:
        foot = _read_foot()
    radio = None
    try:
        from stridefw.pairing import open_radio

        radio = open_radio()
    except (ImportError, OSError):
        radio = None
    port = StdioPort()
    ble = None
    bt = None
    try:
        import bluetooth

        bt = bluetooth
        ble = bluetooth.BLE()
    except (ImportError, OSError):
        ble = None
    app = App(
        machine,
        time,
        S.OsFs(),
        board,
        n_cells,
        rate_hz,
        foot,
        port,
        radio,
        sleep_fn=_device_sleep,
        ble=ble,
        bt=bt,
    )
    try:
        app.run()
    finally:
        port.close()


def _read_foot():
    # /foot holds "0" (left) or "1" (right), written once at assembly
    try:
        f = open("/foot")
        try:
            return 1 if f.read().strip() == "1" else 0
        finally:
            f.close()
    except OSError:
        return 0
