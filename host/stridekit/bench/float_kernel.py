# A float implementation of the step kernel's work, kept only as the baseline for
# `stride bench` (never used for results): what the kernel does, written the way one
# would first write it with floats and lists. It does the same work as
# stridefw.kernel.StepKernel per sample and per step:
#   * force per cell from the FSR divider formula (the kernel: a table lookup), minus
#     a swing auto-zero baseline (one cell per 10 ms of swing, as the kernel);
#   * total, CoP, per-cell stance sums; a swing floor (lowest total over 4 blocks of
#     1 s, raised only by windows that hold an unloaded foot) the events are relative to;
#   * contact and toe-off at 20 N with hysteresis (a contact counts once the force also
#     clears the arm level, max(40 N, BW / 12)), interpolated; stance limits;
#   * one cell's stuck / saturated check per 20 ms; the insole's silence timer and,
#     while it is silent, an IMU-only step detector (pitch-rate lobes, as imu_gait);
#   * per step: peak, impulse, loading rate (impact peak held 10 ms, else force at
#     13 % of stance), CoP excursion and path, zone and medial shares, dead-cell
#     coverage, shock in the impact window, body weight from impulse, Welford and
#     robust (EW mean absolute deviation) statistics for UNSTABLE and HARD_IMPACT.
# What differs: no record encoding (the kernel packs 50 bytes), no sub-sample refine
# of a contact from the edge's slope, no Flag records. Runs on MicroPython and CPython
# (the annotations are parsed and ignored by MicroPython).
import math

try:
    from typing import Sequence  # CPython only, for the annotations
except ImportError:
    pass

EVENT_N = 20.0
ARM_MIN_N = 40.0
STANCE_MIN_S = 0.06
STANCE_MAX_S = 2.5
BLOCK_S = 1.0
N_BLOCKS = 4
SILENT_S = 2.0


class FloatImuGait:
    """Pitch-rate lobes: a swing lobe above 100 deg/s for 100 ms, contact at the next
    sign change, toe-off at the minimum of the negative lobe before the swing."""

    def __init__(self):
        self.state = 0  # 0 stance, 1 rise, 2 swing
        self.prev = 0.0
        self.peak = 0.0
        self.up_t = 0.0
        self.lmin = 0.0
        self.lmin_t = 0.0
        self.ic_t = -1.0
        self.prev_t = 0.0
        self.steps = []

    def push(self, t: float, gyro_y: float) -> int:
        x = -gyro_y / 10.0
        prev = self.prev
        prev_t = self.prev_t
        self.prev = x
        self.prev_t = t
        if self.state == 2:
            if x < 0:
                self.ic_t = prev_t + (t - prev_t) * prev / (prev - x) if prev >= 0 else t
                self.state = 0
                self.lmin = 0.0
            return 0
        if self.state == 1:
            self.peak = max(self.peak, x)
            if x <= 0:
                self.state = 0
            elif self.peak >= 100.0 and t - self.up_t >= 0.1:
                self.state = 2
                if self.ic_t >= 0 and STANCE_MIN_S <= self.lmin_t - self.ic_t <= STANCE_MAX_S:
                    self.steps.append((self.ic_t, self.lmin_t - self.ic_t))
                    return 1
            return 0
        if x > 0 >= prev:
            self.up_t = t
            self.peak = x
            self.state = 1
            return 0
        if x < -30.0 and x < self.lmin:
            self.lmin = x
            self.lmin_t = t
        return 0


class FloatKernel:
    def __init__(
        self,
        x_mm: list[float],
        y_mm: list[float],
        zone: tuple[int, ...],
        half_force_n: float = 400.0,
    ):
        n = len(x_mm)
        self.n = n
        self.x = [float(v) for v in x_mm]
        self.y = [float(v) for v in y_mm]
        self.zone = list(zone)
        self.half = half_force_n
        self.base = [0.0] * n
        self.force = [0.0] * n
        self.stuck_ref = [-1.0] * n
        self.stuck_t = [0.0] * n
        self.sat_t = [-1.0] * n
        self.fault = [0] * n
        self.quiet_steps = [0] * n
        self.csum = [0.0] * n
        self.prev_t = None
        self.prev_f = 0.0
        self.state = 0  # 0 swing, 1 pending (below the arm level), 2 stance
        self.since_toe = 0.0
        self.bw = 700.0
        self.prev_contact = None
        self.zero_acc = 0.0
        self.zero_i = 0
        self.check_acc = 0.01
        self.check_i = 0
        self.blocks_lo = [1e9] * N_BLOCKS
        self.blocks_hi = [0.0] * N_BLOCKS
        self.block_i = 0
        self.block_t = 0.0
        self.block_lo = 1e9
        self.block_hi = 0.0
        self.floor = 0.0
        self.silent = SILENT_S
        self.imu = FloatImuGait()
        self.stats = {"cop": [0, 0.0, 0.0], "shock": [0, 0.0, 0.0], "lr": [0, 0.0, 0.0]}
        self.robust = {"cop": [0, 0.0, 0.0], "stance": [0, 0.0, 0.0], "stride": [0, 0.0, 0.0]}
        self.steps = []
        self._new_stance(0.0)

    def _new_stance(self, t: float):
        self.contact = t
        self.peak = 0.0
        self.peak_t = 0.0
        self.impulse = 0.0
        self.cx_min = 1e9
        self.cx_max = -1e9
        self.cx_sum = 0.0
        self.cx_n = 0
        self.cy_max = 0.0
        self.strike_y = -1.0
        self.path = 0.0
        self.last = None
        self.shock = 0.0
        self.impact = 0.0
        self.n_loaded = 0
        self.trace_f = []
        self.trace_t = []
        for i in range(self.n):
            self.csum[i] = 0.0

    def _cell_force(self, a: float) -> float:
        return min(self.half * a / (4095.0 - a), 1500.0) if a < 4095 else 1500.0

    def push(self, t_us: int, cells: "Sequence[int]", imu: "Sequence[int] | None") -> int:
        t = t_us / 1e6
        dt = 0.0 if self.prev_t is None else min(t - self.prev_t, 0.05)
        shock = 0.0
        gyro = 0.0
        if imu is not None:
            shock = math.sqrt(imu[0] ** 2 + imu[1] ** 2 + imu[2] ** 2) / 1000.0
            gyro = (abs(imu[3]) + abs(imu[4]) + abs(imu[5])) / 10.0
        zero = self.state == 0 and self.since_toe > 0.06 and self.prev_f < ARM_MIN_N
        zero = zero and (imu is None or gyro > 50.0)
        total = 0.0
        sx = 0.0
        sy = 0.0
        loud = False
        for i in range(self.n):
            a = cells[i]
            f = 0.0 if self.fault[i] in (1, 2) else self._cell_force(a)
            f = max(0.0, f - self.base[i])
            loud = loud or f > 1.0
            self.force[i] = f
            total += f
            sx += f * self.x[i]
            sy += f * self.y[i]
        if zero:
            self.zero_acc += dt
            while self.zero_acc >= 0.00875:
                self.zero_acc -= 0.01
                i = self.zero_i
                self.zero_i = (i + 1) % self.n
                if self.fault[i] == 0:
                    b = self.base[i] + (self._cell_force(cells[i]) - self.base[i]) / 8.0
                    self.base[i] = min(b, 150.0)
        else:
            self.zero_acc = 0.0
        self.silent = 0.0 if loud or self.state != 0 else min(self.silent + dt, SILENT_S)
        # swing floor
        self.block_lo = min(self.block_lo, total)
        self.block_hi = max(self.block_hi, total)
        self.floor = min(self.floor, total)
        self.block_t += dt
        if self.block_t >= BLOCK_S:
            self.blocks_lo[self.block_i] = self.block_lo
            self.blocks_hi[self.block_i] = self.block_hi
            self.block_i = (self.block_i + 1) % N_BLOCKS
            self.block_t = 0.0
            self.block_lo = 1e9
            self.block_hi = 0.0
            lo = min(self.blocks_lo)
            if lo * 4 <= max(self.blocks_hi) or lo < self.floor:
                self.floor = lo
        total = max(0.0, total - self.floor)
        # one cell's fault check per 20 ms
        self.check_acc += dt
        while self.check_acc >= 0.0175:
            self.check_acc -= 0.02
            self._check(self.check_i, cells[self.check_i], t)
            self.check_i = (self.check_i + 1) % self.n
        cop_x = sx / total if total > 0 else 0.0
        cop_y = sy / total if total > 0 else 0.0
        ev = self._events(t, dt, total, cop_x, cop_y, shock)
        if imu is not None and self.silent >= SILENT_S and self.imu.push(t, imu[4]):
            ev = 1
        self.prev_t = t
        self.prev_f = total
        return ev

    def _check(self, i: int, a: float, t: float):
        if a >= 4080:
            if self.sat_t[i] < 0:
                self.sat_t[i] = t
            elif t - self.sat_t[i] > 0.5:
                self.fault[i] = 2
        else:
            self.sat_t[i] = -1.0
        if abs(a - self.stuck_ref[i]) <= 2:
            if t - self.stuck_t[i] > 1.5 and a > 20 and self.force[i] > 2.0:
                self.fault[i] = 1
        else:
            self.stuck_ref[i] = a
            self.stuck_t[i] = t

    def _events(
        self, t: float, dt: float, total: float, cop_x: float, cop_y: float, shock: float
    ) -> int:
        if self.prev_t is None:
            return 0
        arm = max(ARM_MIN_N, self.bw / 12.0)
        if self.state == 0:
            self.since_toe += dt
            if total > EVENT_N >= self.prev_f:
                c = self.prev_t + dt * (EVENT_N - self.prev_f) / (total - self.prev_f)
                self._new_stance(c)
                self.trace_f.append(self.prev_f)
                self.trace_t.append(self.prev_t - c)
                self.state = 2 if total >= arm else 1
                if self.state == 2:
                    self.strike_y = cop_y
            else:
                return 0
        elif total <= EVENT_N:
            ev = 0
            if self.state == 2:
                toe = self.prev_t + dt * (self.prev_f - EVENT_N) / (self.prev_f - total)
                if STANCE_MIN_S <= toe - self.contact <= STANCE_MAX_S:
                    self._finish(toe)
                    ev = 1
                self.since_toe = t - toe
            self.state = 0
            return ev
        elif self.state == 1 and total >= arm:
            self.state = 2
            self.strike_y = cop_y
        self.impulse += 0.5 * (total + self.prev_f) * dt
        self.trace_f.append(total)
        self.trace_t.append(t - self.contact)
        self.shock = max(self.shock, shock)
        if t - self.contact <= 0.08:
            self.impact = max(self.impact, shock)
        self.n_loaded += 1
        for i in range(self.n):
            self.csum[i] += self.force[i]
        if total > self.peak:
            self.peak = total
            self.peak_t = t - self.contact
        if self.state == 2 and total > self.bw / 10.0:
            self.cx_min = min(self.cx_min, cop_x)
            self.cx_max = max(self.cx_max, cop_x)
            self.cx_sum += cop_x
            self.cx_n += 1
            self.cy_max = max(self.cy_max, cop_y)
            if self.last is not None:
                self.path += math.sqrt((cop_x - self.last[0]) ** 2 + (cop_y - self.last[1]) ** 2)
            self.last = (cop_x, cop_y)
        if t - self.contact > STANCE_MAX_S:
            self.state = 1
        return 0

    def _loading_rate(self, stance: float) -> float:
        tf = self.trace_f
        tt = self.trace_t
        ref = 0.0
        for i in range(1, len(tf) - 1):
            if tt[i] > 0.3 * stance:
                break
            if tf[i] >= tf[i - 1] and tf[i] > tf[i + 1] and tf[i] >= self.bw / 2:
                j = i + 2
                while j < len(tf) and tt[j] - tt[i] < 0.01 and tf[j] < tf[i]:
                    j += 1
                if j >= len(tf) or tt[j] - tt[i] >= 0.01:
                    ref = tf[i]
                    break
        if ref == 0.0:
            for i in range(1, len(tf)):
                if tt[i] >= 0.13 * stance:
                    ref = tf[i]
                    break
        t20 = t80 = None
        for i in range(1, len(tf)):
            a, b = tf[i - 1], tf[i]
            if t20 is None and a < 0.2 * ref <= b:
                t20 = tt[i - 1] + (tt[i] - tt[i - 1]) * (0.2 * ref - a) / (b - a)
            if t80 is None and a < 0.8 * ref <= b:
                t80 = tt[i - 1] + (tt[i] - tt[i - 1]) * (0.8 * ref - a) / (b - a)
                break
        if t20 is None or t80 is None or t80 <= t20:
            return 0.0
        return 0.6 * ref / (t80 - t20)

    def _stat(self, name: str, x: float):
        s = self.stats[name]
        s[0] = min(s[0] + 1, 64)
        d = x - s[1]
        s[1] += d / s[0]
        s[2] += (d * (x - s[1]) - s[2]) / s[0]

    def _robust(self, name: str, x: float):
        r = self.robust[name]
        if r[0] == 0:
            r[0], r[1], r[2] = 1, x, 0.0
            return
        r[0] = min(r[0] + 1, 256)
        d = x - r[1]
        lim = 4 * r[2] + 0.1 if r[0] > 8 else abs(r[1]) / 2 + 0.1
        d = max(-lim, min(lim, d))
        r[1] += d / r[0]
        r[2] += (abs(d) - r[2]) / r[0]

    def _finish(self, toe: float):
        stance = toe - self.contact
        if self.prev_contact is not None:
            stride = self.contact - self.prev_contact
            if 0.2 < stride < 3.0:
                self._robust("stride", stride)
                bw = 2 * self.impulse / stride
                if 200 <= bw <= 2000:
                    self.bw += (bw - self.bw) / 8.0
        self.prev_contact = self.contact
        lr = self._loading_rate(stance)
        zs = [0.0, 0.0, 0.0]
        med = 0.0
        cx_mean = self.cx_sum / self.cx_n if self.cx_n else 0.0
        for i in range(self.n):
            zs[self.zone[i]] += self.csum[i]
            if self.x[i] < 0:
                med += self.csum[i]
            near = self.strike_y - 60 <= self.y[i] <= self.cy_max + 60
            near = near and abs(self.x[i] - cx_mean) <= 60
            if self.csum[i] < 2.0 * self.n_loaded and near and self.strike_y >= 0:
                self.quiet_steps[i] += 1
                if self.quiet_steps[i] >= 2 and self.fault[i] == 0:
                    self.fault[i] = 3
            else:
                self.quiet_steps[i] = 0
        tot = sum(zs) or 1.0
        if self.cx_n:
            self._stat("cop", cx_mean)
            self._robust("cop", cx_mean)
        self._robust("stance", stance)
        if self.shock > 0:
            self._stat("shock", self.shock)
        if lr > 0:
            self._stat("lr", lr / self.bw)
        self.steps.append(
            (
                self.contact,
                stance,
                self.peak,
                self.peak_t,
                lr,
                self.impulse,
                cx_mean,
                self.cx_max - self.cx_min,
                self.path,
                zs[0] / tot,
                zs[1] / tot,
                zs[2] / tot,
                med / tot,
                self.shock,
                self.impact >= 1.5,
                self.bw,
                math.sqrt(max(0.0, self.stats["cop"][2])),
                self.robust["cop"][2],
            )
        )
