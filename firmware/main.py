# Device entry point: starts the pod application (stridefw.app).
# Safe mode: hold the button while resetting and the app does not start, so the
# REPL stays free (e.g. for `stride deploy` when the console does not answer).
import sys

import machine

from stridefw import board

_board = board.BOARDS[board.key_for_machine(sys.implementation._machine)]  # type: ignore[attr-defined]
if machine.Pin(_board.button, machine.Pin.IN, machine.Pin.PULL_UP).value() == 0:
    print("stridekit: safe mode (button held), app not started")
else:
    from stridefw import app

    app.main()
