"""The pod's serial console from the host, over pyserial.

Works the same against a real pod on a USB port (`/dev/ttyACM0`, `COM5`), a
virtual pod's pseudo-terminal (`/dev/pts/N`) or any pyserial URL (`loop://`),
since the port is opened with `serial.serial_for_url`. One request line, one
reply line (`OK ...` or `ERR <code> <message>`); `get` replies are followed by
exactly the announced number of binary bytes (framed records). Lines starting
with `EV ` are live events, collected in `events`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import BinaryIO, cast

import serial

from stridefw import consoleproto as CP
from stridefw.consoleproto import BAUDRATE
from stridekit.errors import StrideError

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
            if text.startswith(CP.EVENT_PREFIX):
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
        return dict(CP.parse_status(self.command("status")))

    def health(self) -> dict[str, int]:
        """The pod's fault, overflow and refusal counters (console `health`)."""
        return {k: int(v) for k, v in CP.parse_status(self.command("health")).items()}

    def ls(self) -> list[SessionInfo]:
        try:
            entries = CP.parse_ls(self.command("ls"))
        except ValueError as e:
            raise ConsoleError(0, str(e)) from e
        return [SessionInfo(*e) for e in entries]

    def _get_reply(self, session: int, offset: int) -> int:
        try:
            _sid, _off, n = CP.parse_get(self.command(f"get {session} {offset}"))
        except ValueError as e:
            raise ConsoleError(0, str(e)) from e
        return n

    def get(self, session: int, offset: int = 0) -> bytes:
        """Bytes [offset, end) of a session file (framed records)."""
        buf = io.BytesIO()
        self.get_into(session, offset, buf)
        return buf.getvalue()

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
        n = self._get_reply(session, offset)
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
    try:
        ok, body = CP.parse_reply(text)
    except ValueError as e:
        raise ConsoleError(0, str(e)) from e
    if ok:
        return str(body)
    code, message = cast(tuple[int, str], body)
    raise ConsoleError(code, message)
