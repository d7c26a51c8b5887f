"""The pod's serial console from the host, over pyserial.

Works the same against a real pod on a USB port (`/dev/ttyACM0`, `COM5`), a
virtual pod's pseudo-terminal (`/dev/pts/N`) or any pyserial URL (`loop://`),
since the port is opened with `serial.serial_for_url`. One request line, one
reply line (`OK ...` or `ERR <code> <message>`); `get` replies are followed by
exactly the announced number of binary bytes (framed records). Lines starting
with `EV ` are live events, collected in `events`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import BinaryIO

import serial

from stridekit.errors import StrideError

BAUDRATE = 115200
MAX_EVENTS = 1000


class ConsoleError(StrideError, RuntimeError):
    """The pod answered ERR; `code` is the protocol's error code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"ERR {code} {message}")
        self.code = code
        self.message = message


class ConsoleTimeout(StrideError, TimeoutError):
    """No complete reply within the timeout."""


@dataclass
class SessionInfo:
    session: int
    size: int
    synced: int
    recording: bool


class PodConsole:
    """A console connection; use as a context manager."""

    def __init__(self, port: str, baudrate: int = BAUDRATE, timeout_s: float = 5.0) -> None:
        self.port = port
        self.timeout_s = timeout_s
        self.ser = serial.serial_for_url(port, baudrate=baudrate, timeout=timeout_s)
        self.events: list[str] = []

    def __enter__(self) -> PodConsole:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.ser.close()

    def _readline(self) -> str:
        raw = self.ser.readline()
        if not raw.endswith(b"\n"):
            raise ConsoleTimeout(f"{self.port}: no reply within {self.timeout_s} s (got {raw!r})")
        return raw.decode("ascii", "replace").rstrip("\r\n")

    def send_line(self, line: str) -> None:
        self.ser.write(line.encode("ascii") + b"\n")
        self.ser.flush()

    def reply(self) -> str:
        """The next OK/ERR line (live events on the way are kept in `events`)."""
        while True:
            text = self._readline()
            if text.startswith("EV "):
                if len(self.events) < MAX_EVENTS:
                    self.events.append(text)
                continue
            return text

    def command(self, line: str) -> str:
        """Send a request; return the text after `OK `; raise ConsoleError for ERR."""
        self.send_line(line)
        text = self.reply()
        return _ok(text)

    def status(self) -> dict[str, str]:
        text = self.command("status")
        return dict(kv.split("=", 1) for kv in text.split()[1:] if "=" in kv)

    def ls(self) -> list[SessionInfo]:
        parts = self.command("ls").split()
        out = []
        for p in parts[2:]:
            f = p.split(":")
            out.append(SessionInfo(int(f[0]), int(f[1]), int(f[2]), len(f) > 3 and f[3] == "r"))
        return out

    def get(self, session: int, offset: int = 0) -> bytes:
        """Bytes [offset, end) of a session file (framed records)."""
        text = self.command(f"get {session} {offset}")
        f = text.split()
        if len(f) != 4 or f[0] != "get":
            raise ConsoleError(0, f"unexpected reply to get: {text!r}")
        n = int(f[3])
        data = self.ser.read(n)
        if len(data) != n:
            raise ConsoleTimeout(f"{self.port}: got {len(data)} of {n} bytes of session {session}")
        return data

    def get_into(
        self,
        session: int,
        offset: int,
        sink: BinaryIO,
        on_bytes: Callable[[int], None] | None = None,
        chunk: int = 4096,
    ) -> int:
        """Stream bytes [offset, end) of a session into `sink` as they arrive; the
        bytes written. A stall mid-stream raises ConsoleTimeout after writing what
        came (the caller keeps it and resumes from there)."""
        text = self.command(f"get {session} {offset}")
        f = text.split()
        if len(f) != 4 or f[0] != "get":
            raise ConsoleError(0, f"unexpected reply to get: {text!r}")
        n = int(f[3])
        done = 0
        while done < n:
            data = self.ser.read(min(chunk, n - done))
            sink.write(data)
            done += len(data)
            if on_bytes is not None and data:
                on_bytes(offset + done)
            if len(data) < min(chunk, n - done + len(data)):
                raise ConsoleTimeout(f"{self.port}: got {done} of {n} bytes of session {session}")
        return done

    def ack(self, session: int, offset: int) -> int:
        return int(self.command(f"ack {session} {offset}").split()[2])


def _ok(text: str) -> str:
    if text.startswith("OK"):
        return text[3:] if text.startswith("OK ") else ""
    if text.startswith("ERR "):
        f = text.split(" ", 2)
        try:
            code = int(f[1])
        except (IndexError, ValueError):
            code = 0
        raise ConsoleError(code, f[2] if len(f) > 2 else "")
    raise ConsoleError(0, f"not a console reply: {text!r}")
