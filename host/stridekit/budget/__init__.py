"""Does the firmware fit the chip? A measured RAM, code, flash and time budget per board.

boards.py holds each supported board's budget and where its figures come from;
heap.py runs the firmware's phases in the 32-bit MicroPython with a hard heap
limit; sizes.py measures code, native code and flash; timing.py estimates time
per sample on the chip; table.py puts it together for `stride deploy --dry-run`.
"""
