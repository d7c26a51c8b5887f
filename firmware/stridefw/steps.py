# The per-step stages of StepKernel: StepSummary (one stance's accumulators and the
# Step payload written from them at toe-off) and StepStats (running statistics over
# the session's steps, which raise UNSTABLE and HARD_IMPACT).
#
# Integer arithmetic on preallocated arrays, no allocation per call, intermediates
# within +-2**30 (small ints on MicroPython's 32-bit ports); Q-formats are stated
# where used. Units: force dn (0.1 N), CoP dmm (0.1 mm), shares per mille, time us.
# One module for both: a module of its own costs heap on the pod.
import array

from stridefw import records as R
from stridefw.compat import const
from stridefw.config import (
    FLAG_HARD_IMPACT,
    FLAG_UNSTABLE,
    HARD_LR_BW_S,
    HARD_SHOCK_MG,
    IMPACT_WINDOW_US,
    STANCE_MAX_US,
    STAT_MIN_STEPS,
    STAT_N_MAX,
    STEP_TRACE_FULL,
    TRACE_LEN,
    UNSTABLE_CLAMP,
    UNSTABLE_MIN_STEPS,
    UNSTABLE_N_MAX,
    UNSTABLE_RISE_L2Q8,
    UNSTABLE_SD_DMM,
    UNSTABLE_WARM,
)

# 20 * 2**20: the impulse accumulator's carry. The impulse is a trapezoid sum in
# dn * 0.1 ms * 2 (<= 80000 * 500 per sample), carried into SUM_IMP_HI every
# _IMP_BASE so the sum never leaves small-int range; at rates not dividing 10 kHz a
# sample's part is s * (dt // 100) + s * (dt % 100) // 100, exact.
_IMP_BASE = const(20971520)
# The impact peak is a maximum over at least 10 ms (one sample at 100 Hz): at faster
# rates a one-sample bump of noise on the rising edge is not the impact peak.
_PEAK_HOLD_US = const(10000)

# Running statistics slots (exponentially weighted Welford, n capped at STAT_N_MAX)
_ST_COPX = const(0)  # per-step mean CoP x, mean Q4 and variance Q8 (dmm)
_ST_SHOCK = const(1)  # peak shock mg, mean Q4
_ST_LR = const(2)  # loading rate BW/s, mean Q4
_N_STATS = const(3)
# Robust scales for UNSTABLE (config UNSTABLE_*): EW mean and EW mean absolute
# deviation, both Q10, of the stance-mean CoP x (dmm), the stance time and the stride
# time (0.1 ms; stride <= 3 s is < 2**25 in Q10). Q10, with rounded division: over a
# 256-step window the floor of d // n would pull a Q4 mean down by ~1 unit per step.
_RS_COP = const(0)
_RS_STANCE = const(1)
_RS_STRIDE = const(2)
_N_RS = const(3)

# The runner's reference travels in the session as a Note (app.py writes it at the
# session start, stridekit.replay reads it back): UNSTABLE_REF_NOTE, a version, then
# the three log2 Q8 scales (CoP, stance, stride).
UNSTABLE_REF_NOTE = "unstable ref"
_REF_VERSION = const(1)


def put16(buf, off, v):
    buf[off] = v & 0xFF
    buf[off + 1] = (v >> 8) & 0xFF


def put32(buf, off, v):
    # v is a small non-negative int (< 2**30)
    buf[off] = v & 0xFF
    buf[off + 1] = (v >> 8) & 0xFF
    buf[off + 2] = (v >> 16) & 0xFF
    buf[off + 3] = (v >> 24) & 0xFF


def put_time(buf, off, t, wraps):
    """u32 microseconds = wraps * 2**30 + t, modulo 2**32, written without big ints."""
    buf[off] = t & 0xFF
    buf[off + 1] = (t >> 8) & 0xFF
    buf[off + 2] = (t >> 16) & 0xFF
    buf[off + 3] = ((t >> 24) & 0x3F) | ((wraps & 3) << 6)


def clamp16(v):
    if v < 0:
        return 0
    return 0xFFFF if v > 0xFFFF else v


def isqrt(n):
    """Integer square root, allocation-free for small ints."""
    if n <= 0:
        return 0
    x = n
    y = (x + 1) >> 1
    while y < x:
        x = y
        y = (x + n // x) >> 1
    return x


def frac_us(dt, num, den):
    """dt * num / den with num <= den, scaled so the product stays below 2**30."""
    while den > 16384:
        num >>= 2
        den >>= 2
    if den <= 0:
        return 0
    return (dt * num) // den


def log2_q8(x):
    """log2(x) in Q8 (256 per doubling) for x >= 1 (0 for x < 1), within 0.01.

    The mantissa f in [0, 1) uses log2(1 + f) ~ f + 0.3466 f (1 - f) (max error ~0.008).
    """
    if x < 1:
        return 0
    b = 0
    while (x >> b) > 1:
        b += 1
    if b >= 8:
        f = (x >> (b - 8)) - 256
    else:
        f = (x << (8 - b)) - 256
    return (b << 8) + f + ((f * (256 - f) * 89) >> 16)


# StepSummary.acc: one stance's running figures, updated per loaded sample by
# StepKernel.push (stridefw.kernel_vp in viper, stridefw.kernel_py in Python; both
# use these indices by number), the numbers push needs, then the stance's counts
SUM_IMP_LO = const(0)  # impulse below _IMP_BASE (see _IMP_BASE)
SUM_IMP_HI = const(1)  # carries of _IMP_BASE
SUM_SHOCK2 = const(2)  # largest (acceleration / 2 mg)^2
SUM_IMPACT2 = const(3)  # the same within IMPACT_WINDOW_US of the contact
SUM_N_TRACE = const(4)  # samples in trace_f / trace_t
SUM_FLAGS = const(5)  # STEP_* bits of this stance
SUM_PEAK = const(6)  # peak force (dn)
_PEAK_T = const(7)  # its time after the contact (us)
_CX_MIN = const(8)  # CoP x range (dmm)
_CX_MAX = const(9)
SUM_CX_SUM = const(10)  # CoP x sum and count, for the mean
SUM_CX_N = const(11)
SUM_CY_MAX = const(12)  # most forward CoP y (dmm)
_PATH = const(13)  # CoP path (dmm)
_LCX = const(14)  # the last CoP, if _HAVE_LC
_LCY = const(15)
_HAVE_LC = const(16)
# 17 TRACE_LEN, 18 STEP_TRACE_FULL, 19 IMPACT_WINDOW_US, 20 _IMP_BASE: constants
SUM_N_LOADED = const(21)  # samples with the foot loaded
SUM_SWING = const(22)  # the swing before this stance (us, 0: unknown)
SUM_STRIKE_Y = const(23)  # CoP y where the contact was confirmed (dmm, -1: none)
_N_ACC = const(24)


class StepSummary:
    """One stance, accumulated sample by sample, summarised as a Step payload."""

    def __init__(self, layout, xs, ys):
        # xs, ys: the cells' positions (dmm, array 'h'), shared with the kernel
        n = layout.n_cells
        self._x = xs
        self._y = ys
        self._zone = array.array("b", layout.zone)
        self._foot_len = layout.foot_length_dmm
        self.n_cells = n
        self.csum = array.array("i", bytes(4 * n))  # per-cell force sum this stance
        self.trace_f = array.array("i", bytes(4 * TRACE_LEN))
        self.trace_t = array.array("i", bytes(4 * TRACE_LEN))
        acc = array.array("i", bytes(4 * _N_ACC))
        acc[17] = TRACE_LEN
        acc[18] = STEP_TRACE_FULL
        acc[19] = IMPACT_WINDOW_US
        acc[20] = _IMP_BASE
        self.acc = acc
        self.start(0)

    def start(self, swing_us):
        """A new stance after swing_us of swing (0: unknown)."""
        acc = self.acc
        for i in range(_HAVE_LC + 1):
            acc[i] = 0
        acc[_CX_MIN] = 32767
        acc[_CX_MAX] = -32768
        acc[SUM_N_LOADED] = 0
        acc[SUM_SWING] = swing_us
        acc[SUM_STRIKE_Y] = -1
        for i in range(self.n_cells):
            self.csum[i] = 0

    def impulse_dnms(self):
        return self.acc[SUM_IMP_HI] * (_IMP_BASE // 20) + self.acc[SUM_IMP_LO] // 20

    def loading_rate(self, stance_us, bw):
        # Average loading rate 20-80 % of the impact peak (first local maximum in
        # the first 30 % of stance above BW/2), or of the force at 13 % of stance
        # when there is none (Ueda et al. 2016 practice). N/s, or -1 when the
        # stance shows no rise from 20 % to 80 % of that force to measure: the
        # trace begins at the unloaded sample before contact, so a force that was
        # already above 20 % there (a reference below ~5x the 20 N event level,
        # e.g. a heel that never loads) rose before the trace and is not measured.
        # The 20 % crossing may lie before contact (negative time): it is a time
        # like any other, not "none".
        n = self.acc[SUM_N_TRACE]
        if n < 3:
            return -1
        tf = self.trace_f
        tt = self.trace_t
        # the stance's span, also when a fast rate filled the trace before toe-off
        span = tt[n - 1] if n < TRACE_LEN else stance_us
        limit_t = span * 3 // 10
        ref = 0
        for i in range(1, n - 1):
            if tt[i] > limit_t:
                break
            fi = tf[i]
            if fi >= tf[i - 1] and fi > tf[i + 1] and fi >= bw // 2:
                j = i + 2
                while j < n and tt[j] - tt[i] < _PEAK_HOLD_US and tf[j] < fi:
                    j += 1
                if j >= n or tt[j] - tt[i] >= _PEAK_HOLD_US:
                    ref = fi
                    break
        if ref == 0:
            t13 = span * 13 // 100
            for i in range(1, n):
                if tt[i] >= t13:
                    ref = tf[i]
                    break
        lo = ref // 5
        hi = ref * 4 // 5
        if lo <= 0 or tf[0] >= lo:
            return -1
        t_lo = 0
        have_lo = False
        for i in range(1, n):
            a = tf[i - 1]
            b = tf[i]
            if not have_lo and a < lo <= b:
                t_lo = tt[i - 1] + frac_us(tt[i] - tt[i - 1], lo - a, b - a)
                have_lo = True
            if a < hi <= b:
                if not have_lo:
                    return -1
                t_hi = tt[i - 1] + frac_us(tt[i] - tt[i - 1], hi - a, b - a)
                dt100 = (t_hi - t_lo) // 100
                if dt100 < 1:
                    dt100 = 1
                return ((hi - lo) * 1000) // dt100  # dn * 1000 / (0.1 ms) = N/s
        return -1

    def write(self, buf, index, c_t, c_w, stance_us, lr, imp, cx_mean, shock, flags, bw):
        """The Step payload of this stance (contact at c_t, c_w: StepKernel.t, wraps)."""
        # zone and medial shares from the per-cell stance sums
        zh = 0
        zm = 0
        zf = 0
        zmed = 0
        zones = self._zone
        xs = self._x
        csum = self.csum
        for i in range(self.n_cells):
            f = csum[i]
            z = zones[i]
            if z == 0:
                zh += f
            elif z == 1:
                zm += f
            else:
                zf += f
            if xs[i] < 0:
                zmed += f
        zs = (zh + zm + zf) // 1000
        heel = mid = fore = med = 0
        if zs > 0:
            heel = zh // zs
            mid = zm // zs
            fore = zf // zs
            med = zmed // zs
        acc = self.acc
        strike = 0
        if acc[SUM_STRIKE_Y] >= 0:
            strike = (acc[SUM_STRIKE_Y] * 1000) // self._foot_len
        cx_range = 0
        if acc[SUM_CX_N] > 0:
            cx_range = acc[_CX_MAX] - acc[_CX_MIN]
        put32(buf, R.STEP_INDEX, index)
        put_time(buf, R.STEP_CONTACT_US, c_t, c_w)
        put32(buf, R.STEP_STANCE_US, stance_us)
        put32(buf, R.STEP_SWING_US, acc[SUM_SWING])
        put16(buf, R.STEP_PEAK_FORCE_DN, clamp16(acc[SUM_PEAK]))
        put16(buf, R.STEP_TIME_TO_PEAK_MS, clamp16(acc[_PEAK_T] // 1000))
        put32(buf, R.STEP_LOADING_RATE_N_S, lr)
        put32(buf, R.STEP_IMPULSE_DNMS, imp)
        put16(buf, R.STEP_STRIKE_PM, strike)
        put16(buf, R.STEP_COP_X_MEAN_DMM, cx_mean)
        put16(buf, R.STEP_COP_ML_RANGE_DMM, clamp16(cx_range))
        put16(buf, R.STEP_COP_PATH_DMM, clamp16(acc[_PATH]))
        put16(buf, R.STEP_HEEL_PM, heel)
        put16(buf, R.STEP_MID_PM, mid)
        put16(buf, R.STEP_FORE_PM, fore)
        put16(buf, R.STEP_MEDIAL_PM, med)
        put16(buf, R.STEP_SHOCK_MG, clamp16(shock))
        put16(buf, R.STEP_FLAGS, flags)
        put16(buf, R.STEP_BW_DN, clamp16(bw))


class StepStats:
    """Running statistics over the session's steps and the runner's UNSTABLE
    reference (which survives reset(): it belongs to the runner, not to a session)."""

    def __init__(self):
        self._st_n = array.array("i", bytes(4 * _N_STATS))
        self._st_mean = array.array("i", bytes(4 * _N_STATS))
        self._st_var = array.array("i", bytes(4 * _N_STATS))
        self._rs_n = array.array("i", bytes(4 * _N_RS))
        self._rs_m = array.array("i", bytes(4 * _N_RS))
        self._rs_a = array.array("i", bytes(4 * _N_RS))
        # the reference (log2 Q8 scales); has_ref False until set_reference()
        self._ref = array.array("i", bytes(4 * _N_RS))
        self.has_ref = False
        self.reset()

    def reset(self):
        """A new session: forget the statistics, keep the reference."""
        for s in range(_N_STATS):
            self._st_n[s] = 0
            self._st_mean[s] = 0
            self._st_var[s] = 0
        for s in range(_N_RS):
            self._rs_n[s] = 0
            self._rs_m[s] = 0
            self._rs_a[s] = 0

    def _stat(self, s, x, var):
        n = self._st_n[s]
        if n < STAT_N_MAX:
            n += 1
            self._st_n[s] = n
        xq = x << 4
        m = self._st_mean[s]
        d = xq - m
        m += d // n
        self._st_mean[s] = m
        if var:
            v = self._st_var[s]
            self._st_var[s] = v + (d * (xq - m) - v) // n

    def _rstat(self, s, xq, rel):
        # one robust-scale update (config UNSTABLE_*); xq Q10, |xq| < 2**25
        n = self._rs_n[s]
        if n == 0:
            self._rs_n[s] = 1
            self._rs_m[s] = xq
            self._rs_a[s] = 0
            return
        if n < UNSTABLE_N_MAX:
            n += 1
            self._rs_n[s] = n
        m = self._rs_m[s]
        a = self._rs_a[s]
        d = xq - m
        if n > UNSTABLE_WARM:
            lim = UNSTABLE_CLAMP * a + 1024  # + 1 unit: a steady value is not stuck
        elif rel:
            lim = m >> 1
        else:
            lim = 1024000  # 100 mm in Q10 dmm
        if d > lim:
            d = lim
        elif d < -lim:
            d = -lim
        h = n >> 1
        self._rs_m[s] = m + (d + h) // n
        if d < 0:
            d = -d
        self._rs_a[s] = a + (d - a + h) // n

    def _rscale_l2(self, s, rel):
        # log2 Q8 of a robust scale: CoP in Q10 dmm, times relative to their mean
        # (Q14: 16384 a / m; a <= the largest value < 2**25, so a << 4 < 2**29)
        a = self._rs_a[s]
        if rel:
            m = self._rs_m[s] >> 10
            a = (a << 4) // m if m > 0 else 0
        return log2_q8(a)

    def add_step(self, stride_us, cop_ok, cx_mean, stance_us, shock, lr, bw, steps, flags):
        """One step: its stride (0: none), CoP x mean (if cop_ok), stance, shock mg and
        loading rate N/s. Returns the session flags with UNSTABLE and HARD_IMPACT
        judged after `steps` steps."""
        if stride_us:
            self._rstat(_RS_STRIDE, (stride_us // 100) << 10, True)
        if cop_ok:
            self._stat(_ST_COPX, cx_mean, True)
            self._rstat(_RS_COP, cx_mean << 10, False)
        if stance_us <= STANCE_MAX_US:
            self._rstat(_RS_STANCE, (stance_us // 100) << 10, True)
        if shock > 0:
            self._stat(_ST_SHOCK, shock, False)
        if lr > 0 and bw > 0:
            self._stat(_ST_LR, (lr * 10) // bw, False)
        fl_s = flags & ~(FLAG_UNSTABLE | FLAG_HARD_IMPACT)
        if steps >= STAT_MIN_STEPS:
            sd_q4 = isqrt(self._st_var[_ST_COPX])  # sqrt(Q8) = Q4
            lim_q4 = UNSTABLE_SD_DMM << 4
            was = flags & FLAG_UNSTABLE
            if sd_q4 > lim_q4 or (was and 4 * sd_q4 > 3 * lim_q4) or self._unstable_rule(was):
                fl_s |= FLAG_UNSTABLE
            if (
                self._st_mean[_ST_SHOCK] > HARD_SHOCK_MG << 4
                or self._st_mean[_ST_LR] > HARD_LR_BW_S << 4
            ):
                fl_s |= FLAG_HARD_IMPACT
        return fl_s

    def set_reference(self, l_cop, l_stance, l_stride):
        """The runner's own UNSTABLE reference (log2 Q8 scales, see reference_note())."""
        self._ref[_RS_COP] = l_cop
        self._ref[_RS_STANCE] = l_stance
        self._ref[_RS_STRIDE] = l_stride
        self.has_ref = True

    def set_reference_note(self, text):
        """Set the reference from a Note's text (reference_note()); False if it is not one."""
        if not text.startswith(UNSTABLE_REF_NOTE):
            return False
        f = text[len(UNSTABLE_REF_NOTE) :].split()
        if len(f) != 4:
            return False
        try:
            v = int(f[0])
            l_cop = int(f[1])
            l_st = int(f[2])
            l_sr = int(f[3])
        except ValueError:
            return False
        if v != _REF_VERSION:
            return False
        # log2_q8 of a 32-bit scale lies in 0..8191: anything else is a damaged note
        # (and would overflow the reference array or the rule's small-int arithmetic)
        for x in (l_cop, l_st, l_sr):
            if x < 0 or x >= 8192:
                return False
        self.set_reference(l_cop, l_st, l_sr)
        return True

    def reference_note(self):
        """The reference in use as a Note text (the pod writes it at the session start)."""
        r = self._ref
        return "%s %d %d %d %d" % (UNSTABLE_REF_NOTE, _REF_VERSION, r[0], r[1], r[2])

    def judged_unstable(self):
        """True once this session has enough steps for the UNSTABLE scales."""
        return self._rs_n[_RS_STRIDE] >= UNSTABLE_MIN_STEPS and self._rs_n[_RS_COP] > 0

    def session_scale(self, i):
        """This session's robust scale i (0 CoP, 1 stance, 2 stride) as log2 Q8."""
        return self._rscale_l2(i, i != _RS_COP)

    def learn_reference(self, flags):
        """At a session's end: fold this session into the reference (the mean of the
        logs with the old reference, or the first reference) when it was long enough
        and not UNSTABLE (flags: the session flags). True if the reference changed."""
        if not self.judged_unstable() or flags & FLAG_UNSTABLE:
            return False
        for i in range(_N_RS):
            v = self.session_scale(i)
            self._ref[i] = (self._ref[i] + v) // 2 if self.has_ref else v
        self.has_ref = True
        return True

    def _unstable_rule(self, was):
        # UNSTABLE against the reference (config UNSTABLE_RISE_L2Q8); was: the flag
        # is up, and stays while both rises exceed 3/4 of the threshold
        if not self.has_ref or not self.judged_unstable():
            return False
        r = self._ref
        w2 = self._rscale_l2(_RS_COP, False) - r[_RS_COP]
        w2 += self._rscale_l2(_RS_STANCE, True) - r[_RS_STANCE]
        c2 = 2 * (self._rscale_l2(_RS_STRIDE, True) - r[_RS_STRIDE])
        lim2 = 2 * UNSTABLE_RISE_L2Q8
        if was:
            lim2 = lim2 * 3 // 4
        return w2 > lim2 and w2 - c2 > lim2
