# Insole cells: force-sensing resistors in dividers read by the ESP32's ADC1,
# either one ADC pin per cell ("direct", 8 cells on the ESP32-S3) or through a
# CD74HC4067 16:1 analog multiplexer ("mux"). Pin map: stridefw.board only.
#
# ADC: 12-bit, 11 dB attenuation (machine.ADC.ATTN_11DB, full scale ~3.1 V).
# read_u16() scales the 12-bit reading to 16 bits by bit replication on the
# ESP32 port, so >> 4 gives the raw 12-bit count back exactly (0..4095).
# Mux: select lines S0..S3 (channel k = cell k), E active low (TI CD74HC4067
# datasheet, function table). After switching, wait MUX_SETTLE_US before reading:
# the 10 kOhm divider charges the mux and wiring capacitance (board.py).
from stridefw.board import ADC_ATTEN_DB, CONFIG_DIRECT, MUX_SETTLE_US, cell_route


class Insole:
    """Reads n cells into an array('H') of raw 12-bit counts; allocation-free."""

    def __init__(
        self,
        n_cells,
        adcs=None,
        sig=None,
        select=None,
        enable=None,
        sleep_us=None,
        settle_us=MUX_SETTLE_US,
    ):
        self.n_cells = n_cells
        self._adcs = adcs  # direct: one ADC per cell
        self._sig = sig  # mux: the ADC on SIG
        self._sel = select  # mux: Pin S0..S3
        self._en = enable  # mux: Pin E (active low), may be None
        self._wait = sleep_us if sleep_us is not None else id  # id: a no-op C call
        self._settle = settle_us
        self._chan = -1
        if adcs is None and (sig is None or select is None):
            raise ValueError("insole needs per-cell ADCs or a mux (sig + select pins)")
        if adcs is not None and len(adcs) < n_cells:
            raise ValueError("%d ADCs for %d cells" % (len(adcs), n_cells))
        # The mux is read in Gray-code order: one select line changes per cell, and
        # the last channel is one line away from the first, so every read is n steps
        # of (select pin, level, cell), run without a method call per cell.
        self._plan = ()
        self._last = (n_cells - 1) ^ ((n_cells - 1) >> 1)  # the last channel read
        if adcs is None and select is not None:
            if n_cells not in (2, 4, 8, 16):
                raise ValueError("the mux reads 2, 4, 8 or 16 cells, not %d" % n_cells)
            steps = []
            prev = self._last
            for i in range(n_cells):
                ch = i ^ (i >> 1)
                b = 0
                while not (ch ^ prev) & (1 << b):
                    b += 1
                steps.append((select[b], (ch >> b) & 1, ch))
                prev = ch
            self._plan = tuple(steps)
        self.on()

    def on(self):
        if self._en is not None:
            self._en(0)

    def off(self):
        """Mux disabled (E high) before sleep: no current through the dividers' switch."""
        if self._en is not None:
            self._en(1)
        self._chan = -1

    def read_into(self, cells):
        # few locals: a bytecode frame over 11 words comes from the GC heap on every
        # call (stridefw.app, _sample); one name for the cell index and the mux step
        if self._adcs is not None:
            for c in range(self.n_cells):
                cells[c] = self._adcs[c].read_u16() >> 4
            return
        if self._sig is None or self._sel is None:
            return
        for c in self._mux_steps():  # (select pin, level, cell)
            c[0](c[1])
            self._wait(self._settle)
            cells[c[2]] = self._sig.read_u16() >> 4
        self._chan = self._last

    def _mux_steps(self):
        # the plan starts where the previous read ended; on the first read and after
        # off() the lines are unknown: all four set to that channel
        if self._chan != self._last and self._sel is not None:
            for b in range(4):
                self._sel[b]((self._last >> b) & 1)
        return self._plan


def make_insole(machine, board, config, n_cells, sleep_us=None):
    """Build the insole driver for a board and wiring configuration from machine's classes."""
    atten = machine.ADC.ATTN_11DB if ADC_ATTEN_DB == 11 else machine.ADC.ATTN_0DB
    if config == CONFIG_DIRECT:
        adcs = []
        for c in range(n_cells):
            gpio, _ = cell_route(board, config, c)
            adcs.append(machine.ADC(machine.Pin(gpio), atten=atten))
        return Insole(n_cells, adcs=adcs)
    sig = machine.ADC(machine.Pin(board.mux_sig), atten=atten)
    sel = [machine.Pin(g, machine.Pin.OUT, value=0) for g in board.mux_select]
    en = machine.Pin(board.mux_en, machine.Pin.OUT, value=1)
    return Insole(n_cells, sig=sig, select=sel, enable=en, sleep_us=sleep_us)
