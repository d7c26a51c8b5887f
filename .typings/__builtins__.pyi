"""Allows for type checking of MicroPython-specific builtins by Pyright and Pylance."""

from _mpy_shed._mpy_builtins import const as const
from _mpy_shed._mpy_builtins import ptr as ptr
from _mpy_shed._mpy_builtins import ptr8 as ptr8
from _mpy_shed._mpy_builtins import ptr16 as ptr16
from _mpy_shed._mpy_builtins import ptr32 as ptr32
from _mpy_shed._mpy_builtins import uint as uint
