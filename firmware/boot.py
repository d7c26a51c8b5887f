# Runs before main.py on every boot. Nothing to set up: the VFS (LittleFS on the
# `vfs` partition) is already mounted at / by MicroPython's own _boot.py.
