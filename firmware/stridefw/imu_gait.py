# ImuGait: streaming gait events of one foot from its IMU alone (the insole's
# fallback). Integer arithmetic, no allocation per sample, intermediates within
# +-2**30 (MicroPython small ints), any sample rate from ~50 to 1000 Hz.
#
# Signal: the sagittal (pitch) rate of the foot, p = -gy in 0.1 deg/s on our axes
# (x to the toes, y left, z up: stridekit/importers/common.py), so the forward
# rotation of the foot in swing is positive.
#
# The events follow the foot-gyroscope literature:
# * swing: a positive lobe of p whose peak clears IMU_SWING_DDPS (the mid-swing
#   peak; Salarian et al. 2004, IEEE TBME 51:1434, detect mid-swing as the pitch
#   rate peak above 50 deg/s) and that has lasted IMU_SWING_CONFIRM_US (impact
#   ringing right after a heel strike also crosses zero, but for a few samples);
# * toe-off: the minimum of p in the negative lobe just before that swing lobe (the
#   push-off rotation; Aminian et al. 2002, J Biomech 35:689; Salarian 2004:
#   toe-off at the local minimum before mid-swing), refined to sub-sample time by
#   a parabola through the minimum and its two neighbours;
# * initial contact: the first sign change of p after the swing peak, where the foot
#   stops rotating toes-up and the heel rocker begins (the zero crossing that
#   gaitmap's RamppEventDetection uses to bound its initial-contact search, Rampp
#   et al. 2015, IEEE TBME 62:1089; Sabatini et al. 2005, IEEE TBME 52:486, segment
#   strides at the pitch-rate sign changes), timed by linear interpolation.
#   Measured against motion capture (gaitmap example data) this sits within a few
#   ms of the mocap heel strike; Salarian's "minimum after mid-swing" and Rampp's
#   acceleration refinement lag it by ~25-30 ms there (stride eval --real reports
#   what the chosen rule gives; nothing below is fitted per record).
#
# A step is IC -> next toe-off; it is reported when the following swing is
# confirmed (IMU_SWING_CONFIRM_US after the swing lobe starts), so events are
# emitted late by a bounded delay and the Step record carries their times.
# A missing IMU packet (None) is counted; a gap longer than IMU_GAP_MAX_US drops
# the events around it (a whole swing could hide inside), shorter gaps mark the
# step STEP_GAP. Nothing is ever filled in: no packet, no event.
from stridefw.compat import const
from stridefw.config import (
    IMU_FLAT_DDPS,
    IMU_GAP_MAX_US,
    IMU_SWING_CONFIRM_US,
    IMU_SWING_DDPS,
    IMU_TO_MAX_US,
    STANCE_MAX_US,
    STANCE_MIN_US,
    SWING_MAX_US,
    TICKS_MASK,
)

IG_STEP = const(1)

_STANCE = const(0)  # foot on the ground (or unknown): tracking negative lobes
_RISE = const(1)  # a positive lobe started, not yet a swing
_SWING = const(2)  # swing confirmed, waiting for the initial contact


def _scaled(dt, num, den):
    # dt * num / den for 0 <= num <= den (or |num| <= den), product kept < 2**30
    while den > 16384 or num > 16384 or num < -16384:
        num >>= 1
        den >>= 1
    if den <= 0:
        return 0
    return (dt * num) // den


class ImuGait:
    """Initial contact and toe-off of one foot from the pitch rate; push() per sample."""

    def __init__(self):
        self.dropped = 0  # samples without an IMU packet (whole session)
        self.rejected = 0  # IC/toe-off pairs outside the plausible stance range
        self.lost = 0  # gaps that dropped the events around them
        self.stance_us = 0  # of the step just reported
        self.swing_us = 0
        self.contact_back_us = 0  # its initial contact, us before the current sample
        self.step_gap = False
        self.reset()

    def reset(self):
        """Forget the gait state (not the counters): a new session or a mode switch."""
        self.t = 0  # own clock, us mod 2**30: only differences matter
        self._st = _STANCE
        self._prev = 0
        self._have_prev = False
        self._dt_acc = 0
        self._peak = 0
        self._up_t = 0
        self._ic_t = 0
        self._ic_ok = False
        self._ic_swing = 0
        self._gap = False  # packets missing since the initial contact
        self._to_t = 0
        self._to_ok = False
        self._new_lobe()

    def _new_lobe(self):
        self._in_lobe = False
        self._lmin = 0
        self._lmin_t = 0
        self._lmin_ok = False
        self._lm_y0 = 0
        self._lm_dt = 0
        self._lm_next = False
        self._lm_off = 0

    def drop_contact(self):
        """The insole found this stance: report no IMU step for it."""
        self._ic_ok = False

    def push(self, dt, imu):
        """One sample dt us after the previous one; imu as StepKernel.push, or None.

        Returns IG_STEP when a step (initial contact .. toe-off) is complete:
        contact_back_us, stance_us, swing_us and step_gap describe it.
        """
        self.t = (self.t + dt) & TICKS_MASK
        if imu is None:
            self.dropped += 1
            if self._dt_acc <= IMU_GAP_MAX_US:
                self._dt_acc += dt
            return 0
        dtv = self._dt_acc + dt
        self._dt_acc = 0
        x = -imu[4]
        prev = self._prev
        self._prev = x
        if not self._have_prev:
            self._have_prev = True
            return 0
        if dtv > IMU_GAP_MAX_US:
            # a gap long enough to hide an event: start over from the next swing
            self.lost += 1
            self._st = _STANCE
            self._ic_ok = False
            self._to_ok = False
            self._new_lobe()
            return 0
        if dtv > dt:
            self._gap = True  # a packet missed: interpolations span the gap
        t = self.t
        st = self._st
        if self._lm_next:
            # the sample after a lobe minimum: parabola vertex offset (Q: us)
            self._lm_next = False
            y0 = self._lm_y0
            y1 = self._lmin
            den = 2 * (y0 - 2 * y1 + x)
            dd = dtv - self._lm_dt  # equal spacing, give or take tick rounding
            if den > 0 and -(dtv >> 4) <= dd <= (dtv >> 4):
                self._lm_off = _scaled(dtv, y0 - x, den)
        if st == _SWING:
            if x < 0:
                # initial contact: the sign change after the swing peak
                back = _scaled(dtv, -x, prev - x) if prev >= 0 else 0
                self._ic_t = (t - back) & TICKS_MASK
                self._ic_ok = True
                sw = 0
                if self._to_ok:
                    sw = (self._ic_t - self._to_t) & TICKS_MASK
                    if sw > SWING_MAX_US:
                        sw = 0
                self._ic_swing = sw
                self._st = _STANCE
                self._new_lobe()
                self._track_min(x, prev, t, dtv)
            return 0
        if st == _RISE:
            if x > self._peak:
                self._peak = x
            if x <= 0:
                # a short positive blip (ringing after a heel strike, noise): stance
                self._st = _STANCE
                self._track_min(x, prev, t, dtv)
                return 0
            if (
                self._peak >= IMU_SWING_DDPS
                and ((t - self._up_t) & TICKS_MASK) >= IMU_SWING_CONFIRM_US
            ):
                return self._swing()
            return 0
        # _STANCE
        if x > 0 and prev <= 0:
            back = _scaled(dtv, x, x - prev)
            self._up_t = (t - back) & TICKS_MASK
            self._peak = x
            self._st = _RISE
            return 0
        self._track_min(x, prev, t, dtv)
        return 0

    def _track_min(self, x, prev, t, dtv):
        # Negative lobes are separated by foot-flat (|p| < IMU_FLAT_DDPS): the
        # heel-rocker lobe after contact is not the push-off lobe before swing.
        # A lobe's minimum is kept after it closes until the next lobe opens.
        if x >= -IMU_FLAT_DDPS:
            self._in_lobe = False
            return
        if not self._in_lobe:
            self._new_lobe()
            self._in_lobe = True
        if x < self._lmin:
            self._lmin = x
            self._lmin_t = t
            self._lmin_ok = True
            self._lm_y0 = prev
            self._lm_dt = dtv
            self._lm_next = True
            self._lm_off = 0

    def _swing(self):
        # swing confirmed: the lobe minimum before it was the toe-off
        self._st = _SWING
        to_ok = False
        if self._lmin_ok:
            to_t = (self._lmin_t + self._lm_off) & TICKS_MASK
            if ((self._up_t - to_t) & TICKS_MASK) <= IMU_TO_MAX_US:
                to_ok = True
        ev = 0
        if to_ok and self._ic_ok:
            stance = (to_t - self._ic_t) & TICKS_MASK
            if STANCE_MIN_US <= stance <= STANCE_MAX_US:
                self.stance_us = stance
                self.swing_us = self._ic_swing
                self.contact_back_us = (self.t - self._ic_t) & TICKS_MASK
                self.step_gap = self._gap
                ev = IG_STEP
            else:
                self.rejected += 1
        self._ic_ok = False
        self._gap = False  # the next step's gaps count from here (its IC lies ahead)
        self._to_ok = to_ok
        if to_ok:
            self._to_t = to_t
        self._new_lobe()
        return ev
