# A straightforward float implementation of the step kernel's outputs, kept only
# as the baseline for `stride bench` (never used for results). Same outputs as
# stridefw.kernel.StepKernel -- force via the FSR divider formula, swing auto-zero,
# CoP, per-step timing, peak, impulse, loading rate, CoP excursion and path,
# zone and medial shares, shock, body-weight estimate, per-cell fault checks and
# running statistics -- written the way one would first write it: floats, every
# check on every cell on every sample. Runs on MicroPython and CPython (the
# annotations are parsed and ignored by MicroPython).
import math

try:
    from typing import Sequence  # CPython only, for the annotations
except ImportError:
    pass


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
        self.stuck_ref = [-1.0] * n
        self.stuck_t = [0.0] * n
        self.sat_t = [-1.0] * n
        self.fault = [0] * n
        self.csum = [0.0] * n
        self.prev_t = None
        self.prev_f = 0.0
        self.in_stance = False
        self.since_toe = 0.0
        self.bw = 700.0
        self.prev_contact = None
        self.stat_n = 0
        self.cop_mean = 0.0
        self.cop_m2 = 0.0
        self.trace_f = []
        self.trace_t = []
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
        self.path = 0.0
        self.last = None
        self.shock = 0.0
        self.trace_f = []
        self.trace_t = []
        for i in range(self.n):
            self.csum[i] = 0.0

    def push(self, t_us: int, cells: "Sequence[int]", imu: "Sequence[int] | None") -> int:
        t = t_us / 1e6
        dt = 0.0 if self.prev_t is None else t - self.prev_t
        shock = 0.0
        gyro = 0.0
        if imu is not None:
            shock = math.sqrt(imu[0] ** 2 + imu[1] ** 2 + imu[2] ** 2) / 1000.0
            gyro = (abs(imu[3]) + abs(imu[4]) + abs(imu[5])) / 10.0
        zero = (not self.in_stance) and self.since_toe > 0.06 and self.prev_f < 40.0
        zero = zero and (imu is None or gyro > 50.0)
        total = 0.0
        sx = 0.0
        sy = 0.0
        forces = []
        for i in range(self.n):
            a = cells[i]
            f = self.half * a / (4095.0 - a) if a < 4095 else 1500.0
            f = min(f, 1500.0)
            if zero and self.fault[i] == 0:
                self.base[i] += (f - self.base[i]) / 8.0
            f = max(0.0, f - self.base[i])
            if a >= 4080:
                if self.sat_t[i] < 0:
                    self.sat_t[i] = t
                elif t - self.sat_t[i] > 0.5:
                    self.fault[i] = 2
            else:
                self.sat_t[i] = -1.0
            if abs(a - self.stuck_ref[i]) <= 2:
                if t - self.stuck_t[i] > 2.0 and a > 20:
                    self.fault[i] = 1
            else:
                self.stuck_ref[i] = a
                self.stuck_t[i] = t
            if self.fault[i] in (1, 2):
                f = 0.0
            forces.append(f)
            total += f
            sx += f * self.x[i]
            sy += f * self.y[i]
        cop_x = sx / total if total > 0 else 0.0
        cop_y = sy / total if total > 0 else 0.0
        ev = 0
        if self.prev_t is not None:
            if not self.in_stance:
                self.since_toe += dt
                if total > 20.0 >= self.prev_f:
                    c = self.prev_t + dt * (20.0 - self.prev_f) / (total - self.prev_f)
                    self._new_stance(c)
                    self.in_stance = True
            if self.in_stance:
                self.impulse += 0.5 * (total + self.prev_f) * dt
                self.trace_f.append(total)
                self.trace_t.append(t - self.contact)
                self.shock = max(self.shock, shock)
                for i in range(self.n):
                    self.csum[i] += forces[i]
                if total > self.peak:
                    self.peak = total
                    self.peak_t = t - self.contact
                if total > self.bw / 10.0:
                    self.cx_min = min(self.cx_min, cop_x)
                    self.cx_max = max(self.cx_max, cop_x)
                    self.cx_sum += cop_x
                    self.cx_n += 1
                    if self.last is not None:
                        self.path += math.sqrt(
                            (cop_x - self.last[0]) ** 2 + (cop_y - self.last[1]) ** 2
                        )
                    self.last = (cop_x, cop_y)
                if total <= 20.0:
                    toe = self.prev_t + dt * (self.prev_f - 20.0) / (self.prev_f - total)
                    self._finish(toe)
                    self.in_stance = False
                    self.since_toe = t - toe
                    ev = 1
        self.prev_t = t
        self.prev_f = total
        return ev

    def _finish(self, toe: float):
        stance = toe - self.contact
        if self.prev_contact is not None:
            stride = self.contact - self.prev_contact
            if 0.2 < stride < 3.0:
                self.bw += (2 * self.impulse / stride - self.bw) / 8.0
        self.prev_contact = self.contact
        ref = 0.0
        for i in range(1, len(self.trace_f) - 1):
            if self.trace_f[i] >= self.trace_f[i - 1] and self.trace_f[i] > self.trace_f[i + 1]:
                ref = self.trace_f[i]
                break
        lr = 0.0
        t20 = t80 = None
        for i in range(1, len(self.trace_f)):
            a, b = self.trace_f[i - 1], self.trace_f[i]
            if t20 is None and a < 0.2 * ref <= b:
                t20 = self.trace_t[i]
            if t80 is None and a < 0.8 * ref <= b:
                t80 = self.trace_t[i]
        if t20 is not None and t80 is not None and t80 > t20:
            lr = 0.6 * ref / (t80 - t20)
        zs = [0.0, 0.0, 0.0]
        med = 0.0
        for i in range(self.n):
            zs[self.zone[i]] += self.csum[i]
            if self.x[i] < 0:
                med += self.csum[i]
        tot = sum(zs) or 1.0
        cx_mean = self.cx_sum / self.cx_n if self.cx_n else 0.0
        self.stat_n = min(self.stat_n + 1, 64)
        d = cx_mean - self.cop_mean
        self.cop_mean += d / self.stat_n
        self.cop_m2 += (d * (cx_mean - self.cop_mean) - self.cop_m2) / self.stat_n
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
                self.bw,
                math.sqrt(self.cop_m2),
            )
        )
