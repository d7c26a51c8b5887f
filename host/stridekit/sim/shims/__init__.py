"""Thin CPython stand-ins for what MicroPython gives the pod firmware on the ESP32.

Each module says what it stands in for and why. They expose the real call
surface (names, arguments, return values of MicroPython's `machine`, `time`,
`espnow` and the LittleFS VFS) so `stridefw.app` and its drivers run unchanged in
the virtual pod (`stridekit.sim.pod`). Nothing here is used on the device.
"""
