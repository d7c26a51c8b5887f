# Battery voltage through a resistor divider (board.BATTERY_R_TOP_OHM over
# BATTERY_R_BOTTOM_OHM) on an ADC1 pin. ADC.read_uv() returns the port's
# calibrated microvolts (ESP32: eFuse calibration), so no curve is needed here.
# State of charge: single-cell LiPo open-circuit voltage table (typical curve,
# e.g. Adafruit/Sparkfun LiPo notes; +-10 % under load).
from stridefw.board import BATTERY_R_BOTTOM_OHM, BATTERY_R_TOP_OHM

# (mV, %) points, descending
_SOC = (
    (4200, 100),
    (4100, 90),
    (4000, 78),
    (3900, 64),
    (3800, 50),
    (3750, 40),
    (3700, 28),
    (3650, 18),
    (3600, 10),
    (3500, 4),
    (3300, 0),
)


def soc_pct(mv):
    """Percent from an open-circuit cell voltage by linear interpolation."""
    if mv >= _SOC[0][0]:
        return 100
    for i in range(1, len(_SOC)):
        v1, p1 = _SOC[i]
        if mv >= v1:
            v0, p0 = _SOC[i - 1]
            return p1 + (p0 - p1) * (mv - v1) // (v0 - v1)
    return 0


class Battery:
    """Battery sense; read_mv() in millivolts at the cell."""

    def __init__(self, adc, r_top=BATTERY_R_TOP_OHM, r_bottom=BATTERY_R_BOTTOM_OHM):
        self._adc = adc
        self._num = r_top + r_bottom
        self._den = r_bottom

    def read_mv(self):
        uv = self._adc.read_uv()  # <= ~3.1e6 uV at 11 dB
        return (uv // 1000) * self._num // self._den


def make_battery(machine, board):
    return Battery(machine.ADC(machine.Pin(board.battery_adc), atten=machine.ADC.ATTN_11DB))
