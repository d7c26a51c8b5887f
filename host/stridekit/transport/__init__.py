"""Links to a pod, chosen by moniker: `serial:/dev/ttyACM0` (or a bare port path or
pyserial URL such as `loop://`) today; `ble:NAME` and `file:run.strd` arrive with
their backends."""

from __future__ import annotations

from stridekit.errors import StrideError


class UnknownTransport(StrideError, ValueError):
    """A moniker whose scheme no backend handles."""


def console_port(moniker: str) -> str:
    """The pyserial port or URL a console moniker names."""
    if moniker.startswith("serial:"):
        return moniker[len("serial:") :]
    if "://" in moniker or ":" not in moniker:
        return moniker
    raise UnknownTransport(f"no console transport for {moniker!r} (use serial:PORT)")
