# StrideKit firmware package: runs on MicroPython (ESP32) and CPython alike.
