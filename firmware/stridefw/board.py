# Pin map of the StrideKit pod: the single source for the firmware drivers and for
# hardware/build.py, which generates the pin tables, wiring diagrams and BOM from it.
# Plain tuples and dicts so it runs unchanged on MicroPython and on CPython.
#
# Rules every assignment here follows (tests/hardware/test_hardware.py checks them):
# - Insole cells and the battery sense sit on ADC1 only. The Wi-Fi driver (which
#   ESP-NOW runs on) also uses ADC2 and has priority: on the ESP32 ADC2 reads fail
#   while Wi-Fi is started, on the ESP32-S3 a hardware arbiter gives Wi-Fi priority
#   and reads can fail (ESP-IDF Programming Guide, ADC oneshot driver, "Hardware
#   Limitations").
# - No strapping pins: they are sampled at reset and decide the boot mode.
#     ESP32-S3 Series Datasheet v2.2, section 3 "Boot Configurations",
#       Table 3-1 "Default Configuration of Strapping Pins": GPIO0, GPIO3, GPIO45, GPIO46.
#     ESP32 Series Datasheet, section "Strapping Pins" (Table "Strapping Pins"):
#       MTDI/GPIO12, GPIO0, GPIO2, MTDO/GPIO15, GPIO5.
# - No flash/PSRAM pins.
#     ESP32-S3 Series Datasheet v2.2, section 2.6 "Pin Mapping Between Chip and
#       Flash/PSRAM" and 2.3.5 "Peripheral Pin Assignment": GPIO26-32 (SPI0/1, P4);
#       GPIO33-37 are taken on modules with octal flash/PSRAM (e.g. WROOM-1-N8R8,
#       WROOM-2), so we never use them.
#     ESP32 Series Datasheet / ESP32-WROOM-32 Datasheet "Pin Definitions": GPIO6-11
#       carry the module's SPI flash; GPIO16/17 carry PSRAM on WROVER modules.
# - No pin used twice within one wiring configuration ("direct" or "mux").
#
# ADC1 channel tables:
#   ESP32-S3 Series Datasheet v2.2, 2.3.3 "Analog Functions", Table 2-8:
#     GPIO1..GPIO10 = ADC1_CH0..ADC1_CH9 (GPIO11..20 are ADC2).
#   ESP32 Series Datasheet, "Analog Functions" / RTC_MUX pin list:
#     GPIO36 CH0, GPIO37 CH1, GPIO38 CH2, GPIO39 CH3, GPIO32 CH4, GPIO33 CH5,
#     GPIO34 CH6, GPIO35 CH7. ESP32-WROOM-32 does not bring out GPIO37/38
#     (SENSOR_CAPP/CAPN), so a DevKitC has six ADC1 pins: 32-36 and 39.
#
# Why classic ESP32 always uses the multiplexer: six ADC1 pins cannot carry eight
# direct cells plus the battery sense, and ADC2 is unusable while ESP-NOW/Wi-Fi
# runs. So on classic ESP32 both insoles go through the CD74HC4067 (the 8-cell
# insole on channels 0-7); cells_direct is None there. The ESP32-S3 has ten ADC1
# pins, nine of them not strapping (GPIO3 is), which is exactly eight direct
# cells plus the battery; its 16-cell insole uses the mux with SIG on GPIO1, the
# pin (and the 10 kOhm divider resistor) of direct cell 0. The two configurations
# never coexist, so the pin serves one role in each.
#
# Cell divider: cell (force-sensing resistor) from 3V3 to the ADC pin, 10 kOhm from
# the ADC pin to GND (calib.py's nominal curve assumes exactly this). With the mux,
# every cell goes from 3V3 to a mux channel and the single 10 kOhm sits on SIG.
# Cell k is wired to mux channel k (identity). ADC: 12-bit, 11 dB attenuation
# (full scale about 3.1 V; config.ADC_SATURATED).
from stridefw.compat import const

CONFIG_DIRECT = "direct"
CONFIG_MUX = "mux"

CELL_DIVIDER_OHM = const(10000)
BATTERY_R_TOP_OHM = const(100000)
BATTERY_R_BOTTOM_OHM = const(100000)
# ADC attenuation in dB for cells and battery (machine.ADC.ATTN_11DB).
ADC_ATTEN_DB = const(11)

MUX_CHANNELS = const(16)
# After changing S0..S3, wait this long before reading SIG: the 10 kOhm divider
# with the mux and wiring capacitance (~100 pF) settles in ~1 us; 10 us is margin.
MUX_SETTLE_US = const(10)

I2C_FREQ_HZ = const(400000)
# IMU 7-bit I2C addresses. LSM6DSOX: 0x6A with SDO/SA0 low (0x6B high), datasheet
# section "I2C serial interface". MPU-6050: 0x68 with AD0 low (0x69 high), Product
# Specification section "I2C Interface". The driver probes both.
IMU_ADDR_LSM6DSOX = const(0x6A)
IMU_ADDR_LSM6DSOX_ALT = const(0x6B)
IMU_ADDR_MPU6050 = const(0x68)
IMU_ADDR_MPU6050_ALT = const(0x69)

# Roles a pin can play, in the order the pin tables list them.
ROLES = (
    "cell0",
    "cell1",
    "cell2",
    "cell3",
    "cell4",
    "cell5",
    "cell6",
    "cell7",
    "mux_sig",
    "mux_s0",
    "mux_s1",
    "mux_s2",
    "mux_s3",
    "mux_en",
    "battery_adc",
    "i2c_sda",
    "i2c_scl",
    "imu_int",
    "button",
    "led",
)
# Roles that read an analog voltage: must be ADC1 pins.
ANALOG_ROLES = (
    "cell0",
    "cell1",
    "cell2",
    "cell3",
    "cell4",
    "cell5",
    "cell6",
    "cell7",
    "mux_sig",
    "battery_adc",
)
# Roles the MCU drives (or pulls up): must not be input-only pins.
OUTPUT_ROLES = ("mux_s0", "mux_s1", "mux_s2", "mux_s3", "mux_en", "i2c_sda", "i2c_scl", "led")
# Roles that wake the chip from deep sleep: must be RTC GPIOs (ext0/ext1 wake-up).
WAKE_ROLES = ("button", "imu_int")
# Roles that need the internal pull-up (button to GND).
PULLUP_ROLES = ("button",)


class Board:
    """One supported MCU board: the legal pin sets of its chip and our assignment."""

    def __init__(
        self,
        key,
        name,
        chip,
        adc1_channel,
        strapping_pins,
        flash_pins,
        psram_pins,
        input_only_pins,
        rtc_pins,
        avoid_pins,
        cells_direct,
        mux_sig,
        mux_select,
        mux_en,
        battery_adc,
        i2c_sda,
        i2c_scl,
        imu_int,
        button,
        led,
    ):
        self.key = key
        self.name = name
        self.chip = chip
        self.adc1_channel = adc1_channel  # {gpio: ADC1 channel}, pins on the module
        self.adc1_pins = tuple(sorted(adc1_channel))
        self.strapping_pins = strapping_pins
        self.flash_pins = flash_pins
        self.psram_pins = psram_pins
        self.input_only_pins = input_only_pins
        self.rtc_pins = rtc_pins
        self.avoid_pins = avoid_pins  # {gpio: reason}: usable in principle, but not by us
        self.cells_direct = cells_direct  # 8 GPIOs, or None: insole always via the mux
        self.mux_sig = mux_sig
        self.mux_select = mux_select  # S0, S1, S2, S3
        self.mux_en = mux_en  # CD74HC4067 E (active low)
        self.battery_adc = battery_adc
        self.battery_divider = (BATTERY_R_TOP_OHM, BATTERY_R_BOTTOM_OHM)
        self.i2c_sda = i2c_sda
        self.i2c_scl = i2c_scl
        self.imu_int = imu_int  # IMU INT1 (LSM6DSOX) / INT (MPU-6050), push-pull high
        self.button = button  # to GND, internal pull-up; opens the pairing window
        self.led = led  # status LED to GND through 1 kOhm, active high

    def configs(self):
        """Wiring configurations this board supports."""
        if self.cells_direct is None:
            return (CONFIG_MUX,)
        return (CONFIG_DIRECT, CONFIG_MUX)


ESP32S3 = Board(
    key="esp32s3",
    name="ESP32-S3-DevKitC-1 (ESP32-S3-WROOM-1/-2)",
    chip="ESP32-S3",
    adc1_channel={1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7, 9: 8, 10: 9},
    strapping_pins=(0, 3, 45, 46),
    flash_pins=(26, 27, 28, 29, 30, 31, 32),
    psram_pins=(33, 34, 35, 36, 37),
    input_only_pins=(),
    rtc_pins=tuple(range(0, 22)),  # RTC_GPIO0..21 = GPIO0..21 (Table 2-6)
    avoid_pins={
        19: "USB D- (USB Serial/JTAG console)",
        20: "USB D+ (USB Serial/JTAG console)",
        38: "DevKitC-1 v1.1 RGB LED data",
        43: "UART0 TX (console)",
        44: "UART0 RX (console)",
        47: "1.8 V on modules with 1.8 V flash/PSRAM (R8V/R16V)",
        48: "DevKitC-1 v1.0 RGB LED data; 1.8 V on R8V/R16V modules",
    },
    # ADC1_CH0, CH1, CH3..CH7, CH8 (CH2 = GPIO3 is a strapping pin).
    cells_direct=(1, 2, 4, 5, 6, 7, 8, 9),
    mux_sig=1,  # only in the "mux" configuration; cell 0's pin and divider otherwise
    mux_select=(11, 12, 13, 14),
    mux_en=15,
    battery_adc=10,  # ADC1_CH9
    i2c_sda=17,
    i2c_scl=18,
    imu_int=16,  # RTC_GPIO16: wakes from deep sleep on motion (ext1)
    button=21,  # RTC_GPIO21: wakes from deep sleep (ext0)
    led=42,  # MTMS, free: MicroPython uses the USB Serial/JTAG, not pad JTAG
)

ESP32 = Board(
    key="esp32",
    name="ESP32-DevKitC V4 (ESP32-WROOM-32/32E)",
    chip="ESP32",
    adc1_channel={32: 4, 33: 5, 34: 6, 35: 7, 36: 0, 39: 3},
    strapping_pins=(0, 2, 5, 12, 15),
    flash_pins=(6, 7, 8, 9, 10, 11),
    psram_pins=(16, 17),
    input_only_pins=(34, 35, 36, 37, 38, 39),
    rtc_pins=(0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39),
    avoid_pins={
        1: "UART0 TX (console)",
        3: "UART0 RX (console)",
        14: "outputs PWM during boot (MTMS)",
        36: "errata: spurious low pulses when ADC/Wi-Fi power up (digital use)",
        37: "not brought out on WROOM-32",
        38: "not brought out on WROOM-32",
        39: "errata: spurious low pulses when ADC/Wi-Fi power up (digital use)",
    },
    cells_direct=None,  # six ADC1 pins: both insoles go through the mux
    mux_sig=34,  # ADC1_CH6, input only (fine: analog in)
    mux_select=(18, 19, 23, 25),
    mux_en=26,
    battery_adc=35,  # ADC1_CH7, input only
    i2c_sda=21,
    i2c_scl=22,
    imu_int=13,  # RTC_GPIO14
    button=27,  # RTC_GPIO17, has an internal pull-up (34-39 do not)
    led=4,
)

BOARDS = {"esp32s3": ESP32S3, "esp32": ESP32}


def config_for(board, n_cells):
    """The wiring configuration a board uses for an insole of n_cells cells."""
    if n_cells < 1 or n_cells > MUX_CHANNELS:
        raise ValueError("insole needs 1..%d cells, got %d" % (MUX_CHANNELS, n_cells))
    if board.cells_direct is not None and n_cells <= len(board.cells_direct):
        return CONFIG_DIRECT
    return CONFIG_MUX


def pins_used(board, config):
    """{role: gpio} of every pin one wiring configuration uses."""
    pins = {}
    if config == CONFIG_DIRECT:
        if board.cells_direct is None:
            raise ValueError("%s has no direct cell wiring" % board.key)
        for k in range(len(board.cells_direct)):
            pins["cell%d" % k] = board.cells_direct[k]
    elif config == CONFIG_MUX:
        pins["mux_sig"] = board.mux_sig
        for k in range(4):
            pins["mux_s%d" % k] = board.mux_select[k]
        pins["mux_en"] = board.mux_en
    else:
        raise ValueError("unknown wiring configuration %r" % (config,))
    pins["battery_adc"] = board.battery_adc
    pins["i2c_sda"] = board.i2c_sda
    pins["i2c_scl"] = board.i2c_scl
    pins["imu_int"] = board.imu_int
    pins["button"] = board.button
    pins["led"] = board.led
    return pins


def cell_route(board, config, cell):
    """(gpio, mux channel) that reads one cell; channel is -1 when wired direct."""
    if config == CONFIG_DIRECT:
        return board.cells_direct[cell], -1
    if cell >= MUX_CHANNELS:
        raise ValueError("cell %d beyond the mux" % cell)
    return board.mux_sig, cell


def key_for_machine(machine):
    """Board key from sys.implementation._machine ("Generic ESP32S3 module with ESP32S3")."""
    m = machine.upper()
    i = m.rfind(" WITH ")
    chip = (m[i + 6 :] if i >= 0 else m).strip().replace("-", "")
    if chip == "ESP32S3":
        return "esp32s3"
    if chip == "ESP32":
        return "esp32"
    raise ValueError("no StrideKit pin map for %r" % (machine,))
