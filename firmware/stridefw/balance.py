# Left/right symmetry from Step summaries, and the UNEVEN_LOAD rule.
#
# The same code runs on a paired pod (steps of the other foot arrive over
# ESP-NOW) and on the host after clock alignment. Symmetry index after Robinson
# et al. 1987: SI = (L - R) / ((L + R) / 2), here in per mille (positive: the left
# foot carries more). Per-foot means are exponentially weighted (n capped at
# BAL_N_MAX) so a pod keeps a bounded, allocation-free state for a whole run.
# Integer only; every product stays below 2**30.
import array

from stridefw.compat import const
from stridefw.config import (
    BAL_LIMIT_SD,
    BAL_MIN_STEPS,
    BAL_N_MAX,
    BAL_PERSIST_STEPS,
    HEALTHY_SD_IMPULSE_PM,
    HEALTHY_SD_LOADING_PM,
    HEALTHY_SD_PEAK_PM,
    HEALTHY_SD_STANCE_PM,
    LLD_SUM_SD_Q8,
)

# Metrics (index into the per-foot arrays) and their Step payload offsets (u32/u16)
M_IMPULSE = const(0)
M_PEAK = const(1)
M_LOADING = const(2)
M_STANCE = const(3)
M_STRIKE = const(4)  # strike point, per mille of foot length (a position: compared as L - R)
N_METRICS = const(5)


def _u32(buf, o):
    # Step fields used here are < 2**30, so this stays a small int
    return buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16) | (buf[o + 3] << 24)


def _u16(buf, o):
    return buf[o] | (buf[o + 1] << 8)


def _i16(buf, o):
    v = buf[o] | (buf[o + 1] << 8)
    return v - 65536 if v >= 32768 else v


def symmetry_pm(left, right):
    """(L - R) / ((L + R) / 2) in per mille, for non-negative integers."""
    d = left - right
    s = left + right
    if s <= 0:
        return 0
    neg = d < 0
    if neg:
        d = -d
    while s > 262144:  # 2**18: 2000 * d stays below 2**30
        s >>= 1
        d >>= 1
    if s == 0:
        return 0
    v = (2000 * d) // s
    return -v if neg else v


class Balance:
    """Running left/right comparison; add_step() per Step payload of either foot."""

    def __init__(self):
        self._n = array.array("i", bytes(8))  # steps per foot (capped)
        self._n_lr = array.array("i", bytes(8))  # of them with a measured loading rate
        self._mean = array.array("i", bytes(4 * 2 * N_METRICS))  # Q4
        self.si_pm = array.array("i", bytes(4 * N_METRICS))
        self.reset()

    def reset(self):
        for i in range(2):
            self._n[i] = 0
            self._n_lr[i] = 0
        for i in range(2 * N_METRICS):
            self._mean[i] = 0
        for i in range(N_METRICS):
            self.si_pm[i] = 0
        self.steps = 0  # steps seen from both feet together
        self._beyond = 0  # consecutive steps with SI beyond threshold
        self._long = 0  # the longer side the pattern pointed at on the previous step
        self._pattern = 0  # consecutive steps showing the leg-length pattern
        self.uneven = False
        self.side = 0  # +1: left loaded more, -1: right, 0: none
        self.strike_diff_pm = 0  # strike point L - R, per mille of foot length (reported, no rule)
        self.lld_long = 0  # leg-length pattern: +1 left limb longer, -1 right, 0 none

    def add_step(self, foot, step):
        """Fold one Step payload (bytes, kernel layout) of foot 0 (left) or 1 (right)."""
        n = self._n[foot]
        if n < BAL_N_MAX:
            n += 1
            self._n[foot] = n
        b = foot * N_METRICS
        self._ew(b + M_IMPULSE, _u32(step, 24) >> 4, n)  # dn*ms / 16
        self._ew(b + M_PEAK, _u16(step, 16), n)
        lr = _u32(step, 20)
        if lr > 0:  # 0: the kernel found no rise to measure; it is not a soft landing
            m = self._n_lr[foot]
            if m < BAL_N_MAX:
                m += 1
                self._n_lr[foot] = m
            self._ew(b + M_LOADING, lr >> 4, m)  # N/s / 16, over the measured steps
        self._ew(b + M_STANCE, _u32(step, 8) >> 4, n)  # us / 16
        self._ew(b + M_STRIKE, _i16(step, 28), n)
        self.steps += 1
        return self._update()

    def _ew(self, i, x, n):
        m = self._mean[i]
        self._mean[i] = m + ((x << 4) - m) // n

    def _update(self):
        for k in range(N_METRICS):
            self.si_pm[k] = symmetry_pm(self._mean[k], self._mean[N_METRICS + k])
        if self._n[0] < BAL_MIN_STEPS or self._n[1] < BAL_MIN_STEPS:
            return False
        si_i = self.si_pm[M_IMPULSE]
        si_p = self.si_pm[M_PEAK]
        lim_i = BAL_LIMIT_SD * HEALTHY_SD_IMPULSE_PM
        lim_p = BAL_LIMIT_SD * HEALTHY_SD_PEAK_PM
        beyond = si_i >= lim_i or si_i <= -lim_i or si_p >= lim_p or si_p <= -lim_p
        if beyond:
            if self._beyond < BAL_PERSIST_STEPS:
                self._beyond += 1
        else:
            self._beyond = 0
        # leg-length pattern: the signed sum of the stance, peak and loading-rate SIs in
        # healthy SDs (Q12; |SI| <= 2000 pm, so every term stays below 2**24)
        score = (
            (self.si_pm[M_STANCE] << 12) // HEALTHY_SD_STANCE_PM
            - (si_p << 12) // HEALTHY_SD_PEAK_PM
            - (self.si_pm[M_LOADING] << 12) // HEALTHY_SD_LOADING_PM
        )
        lim = (BAL_LIMIT_SD * LLD_SUM_SD_Q8) << 4  # Q8 -> Q12
        self.strike_diff_pm = (self._mean[M_STRIKE] - self._mean[N_METRICS + M_STRIKE]) >> 4
        long = 1 if score >= lim else -1 if score <= -lim else 0
        if long != 0 and long == self._long:
            if self._pattern < BAL_PERSIST_STEPS:
                self._pattern += 1
        else:
            self._pattern = 1 if long != 0 else 0
        self._long = long
        was = self.uneven
        # raise after the asymmetry persisted; clear as soon as it is gone
        by_force = self._beyond >= BAL_PERSIST_STEPS
        by_pattern = self._pattern >= BAL_PERSIST_STEPS
        self.uneven = by_force or by_pattern
        self.lld_long = long if by_pattern else 0
        if by_force:
            lead = si_p if si_p >= 0 else -si_p
            lead_i = si_i if si_i >= 0 else -si_i
            s = si_p if lead >= lead_i else si_i
            self.side = 1 if s > 0 else -1
        elif by_pattern:
            self.side = -long  # the shorter limb takes the harder landing
        else:
            self.side = 0
        return self.uneven != was
