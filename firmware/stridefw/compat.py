# The one MicroPython/CPython shim. MicroPython's parser folds `NAME = const(n)`
# by the name `const` alone, so importing it from here keeps the optimisation.
try:
    from micropython import const  # pyright: ignore[reportAssignmentType]
except ImportError:  # CPython only: typing does not exist on the device
    from typing import TypeVar

    _T = TypeVar("_T")

    def const(x: _T) -> _T:
        return x
