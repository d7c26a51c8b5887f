"""The budget each board offers the firmware, and where each figure comes from.

Heap: MicroPython's ESP32 port starts with a small GC heap and grows it from the
ESP-IDF heap (ports/esp32/mpconfigport.h: MICROPY_GC_SPLIT_HEAP_AUTO), so what
the firmware gets is what ESP-IDF, the NimBLE host and Wi-Fi (ESP-NOW) leave
free. Native code is committed to executable RAM (ports/esp32/main.c,
esp_native_code_commit: heap_caps_malloc(MALLOC_CAP_EXEC)), which on the ESP32
is the few tens of KB of IRAM the IDF leaves. Flash: MicroPython's 4 MiB+
partition table (ports/esp32/partitions-4MiBplus.csv) gives the firmware image
the first 2 MiB and the LittleFS file system the rest of the flash.
The heap and native figures are targets we chose from those facts, not
measurements on a board: `micropython.mem_info()` on a pod with BLE up checks them.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class BoardBudget:
    key: str  # `stride deploy --board KEY`
    name: str
    pins: str  # stridefw.board.BOARDS key of its pin map
    heap_live_kib: int  # live set after gc.collect(), every phase
    heap_peak_kib: int  # the heap the whole run must fit in (the -X heapsize tested)
    native_kib: int  # executable RAM for native/viper code
    flash_mib: int  # module flash size
    coremark_per_mhz: float  # one core, Espressif datasheet
    source: str

    @property
    def fs_bytes(self) -> int:
        """LittleFS partition: the flash beyond MicroPython's first 2 MiB."""
        return (self.flash_mib - 2) * MIB


BUDGETS: dict[str, BoardBudget] = {
    b.key: b
    for b in (
        BoardBudget(
            "esp32",
            "ESP32-DevKitC V4 (ESP32-WROOM-32, 4 MB flash, no PSRAM)",
            "esp32",
            heap_live_kib=64,
            heap_peak_kib=96,
            native_kib=16,
            flash_mib=4,
            coremark_per_mhz=2.10,
            source=(
                "about 100-120 KB of GC heap left to MicroPython on a WROOM-32 with BLE up; "
                "96 KB peak leaves room for NimBLE's own growth; IRAM for native code is small; "
                "ESP32 datasheet: 504.85 CoreMark at 240 MHz, one core"
            ),
        ),
        BoardBudget(
            "esp32s3",
            "ESP32-S3-DevKitC-1 (ESP32-S3-WROOM-1-N8, 8 MB flash, no PSRAM)",
            "esp32s3",
            heap_live_kib=192,
            heap_peak_kib=256,
            native_kib=64,
            flash_mib=8,
            coremark_per_mhz=2.56,
            source=(
                "512 KB SRAM, instruction and data memory from one pool: about half left to "
                "MicroPython beside ESP-IDF, NimBLE and Wi-Fi (estimate); "
                "ESP32-S3 datasheet: 613.86 CoreMark at 240 MHz, one core"
            ),
        ),
        BoardBudget(
            "esp32s3-psram",
            "ESP32-S3-DevKitC-1 (ESP32-S3-WROOM-1-N8R8, 8 MB flash, 8 MB PSRAM)",
            "esp32s3",
            heap_live_kib=1024,
            heap_peak_kib=2048,
            native_kib=64,
            flash_mib=8,
            coremark_per_mhz=2.56,
            source=(
                "the GC heap lives in PSRAM (MicroPython's SPIRAM builds: several MB); "
                "native code still needs internal executable RAM, as without PSRAM"
            ),
        ),
    )
}

# A board keeps its place in the supported list only with this margin on every budget.
MARGIN = 0.25

# The boards the README lists as supported. tests/firmware/test_budget.py measures
# every board and fails when this list and the measurement disagree.
SUPPORTED = ("esp32s3", "esp32s3-psram")
# Measured with `stride deploy --dry-run --board esp32` (micropython-unix32,
# 2026-12-04): 138 KiB live after gc.collect() once the App runs with BLE (108 KiB
# right after the imports: the modules' own bytecode and tables), and the run
# needs a 170 KiB heap, against 64 / 96 KiB. With the modules in ROMFS (a custom
# MicroPython image) it would be 85 KiB live: still over.
NOT_SUPPORTED = {
    "esp32": (
        "the firmware's heap does not fit: 138 KiB live and a 170 KiB peak measured "
        "against the WROOM-32's 64 / 96 KiB with BLE up"
    ),
}
