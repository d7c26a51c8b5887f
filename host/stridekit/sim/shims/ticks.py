"""Stand-in for MicroPython's `time.ticks_*` functions and the timer interrupt source.

Why: the firmware takes its clock as an injected object with the `time` module's
call surface (ticks_us, ticks_ms, ticks_diff, ticks_add, sleep_us, sleep_ms), so
on CPython the virtual pod can give it either simulated time (deterministic,
faster than real time) or the wall clock (real-time runs, jitter measurements).
Ticks wrap at 2**30 like MicroPython's TICKS_PERIOD on every port, and
ticks_diff() is MicroPython's signed modular difference.

Timer callbacks run where an interrupt would preempt the firmware: in simulated
time, inside sleep_us()/idle() when time passes a due instant; in real time, on
a background thread (the GIL interleaves it with the main loop like an IRQ).
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable
from typing import Protocol

TICKS_PERIOD = 1 << 30
TICKS_MASK = TICKS_PERIOD - 1
TICKS_HALF = TICKS_PERIOD >> 1


def ticks_diff(a: int, b: int) -> int:
    """MicroPython's ticks_diff: signed a - b in (-2**29, 2**29]."""
    return ((a - b + TICKS_HALF) & TICKS_MASK) - TICKS_HALF


def ticks_add(t: int, delta: int) -> int:
    return (t + delta) & TICKS_MASK


class Clock(Protocol):
    def ticks_us(self) -> int: ...
    def ticks_ms(self) -> int: ...
    def ticks_diff(self, a: int, b: int) -> int: ...
    def ticks_add(self, t: int, delta: int) -> int: ...
    def sleep_us(self, us: int) -> None: ...
    def sleep_ms(self, ms: int) -> None: ...
    def now_us(self) -> int: ...
    def add_timer(self, period_us: int, callback: Callable[[], None]) -> object: ...
    def remove_timer(self, handle: object) -> None: ...
    def idle(self) -> None: ...


class VirtualClock:
    """Simulated microseconds. Time moves only in sleep_us()/idle()/advance_to()."""

    def __init__(self, start_us: int = TICKS_PERIOD - 3_000_000) -> None:
        # default start: 3 s before the 2**30 wrap, so every run crosses it
        self._now = start_us
        self._heap: list[tuple[int, int, _VTimer]] = []
        self._order = 0
        self.isr_latency_us: Callable[[], int] | None = None
        self.max_idle_us = 10_000

    def now_us(self) -> int:
        return self._now

    def ticks_us(self) -> int:
        return self._now & TICKS_MASK

    def ticks_ms(self) -> int:
        return (self._now // 1000) & TICKS_MASK

    def ticks_diff(self, a: int, b: int) -> int:
        return ticks_diff(a, b)

    def ticks_add(self, t: int, delta: int) -> int:
        return ticks_add(t, delta)

    def sleep_us(self, us: int) -> None:
        self.advance_to(self._now + max(0, us))

    def sleep_ms(self, ms: int) -> None:
        self.sleep_us(ms * 1000)

    def add_timer(self, period_us: int, callback: Callable[[], None]) -> object:
        t = _VTimer(period_us, callback)
        self._push(self._now + period_us, t)
        return t

    def remove_timer(self, handle: object) -> None:
        if isinstance(handle, _VTimer):
            handle.active = False

    def _push(self, due: int, t: _VTimer) -> None:
        self._order += 1
        heapq.heappush(self._heap, (due, self._order, t))

    def next_due(self) -> int | None:
        while self._heap and not self._heap[0][2].active:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def advance_to(self, t_us: int) -> None:
        """Let time pass to t_us, running every timer callback due on the way."""
        while True:
            due = self.next_due()
            if due is None or due > t_us:
                break
            _, _, timer = heapq.heappop(self._heap)
            lat = self.isr_latency_us() if self.isr_latency_us else 0
            self._now = max(self._now, due + lat)
            self._push(due + timer.period_us, timer)
            timer.callback()
        self._now = max(self._now, t_us)

    def idle(self) -> None:
        """machine.idle(): wait for the next interrupt (at most max_idle_us)."""
        due = self.next_due()
        target = self._now + self.max_idle_us
        if due is not None:
            target = min(target, max(due, self._now))
        self.advance_to(target)


class _VTimer:
    def __init__(self, period_us: int, callback: Callable[[], None]) -> None:
        self.period_us = period_us
        self.callback = callback
        self.active = True


class RealClock:
    """Wall-clock microseconds; periodic timers on a background thread."""

    def __init__(self, start_us: int = TICKS_PERIOD - 3_000_000) -> None:
        self._origin = time.perf_counter_ns() // 1000 - start_us
        self._wake = threading.Event()
        self._timers: list[_RTimer] = []

    def now_us(self) -> int:
        return time.perf_counter_ns() // 1000 - self._origin

    def ticks_us(self) -> int:
        return self.now_us() & TICKS_MASK

    def ticks_ms(self) -> int:
        return (self.now_us() // 1000) & TICKS_MASK

    def ticks_diff(self, a: int, b: int) -> int:
        return ticks_diff(a, b)

    def ticks_add(self, t: int, delta: int) -> int:
        return ticks_add(t, delta)

    def sleep_us(self, us: int) -> None:
        # short waits spin like MicroPython's sleep_us; long ones sleep
        end = self.now_us() + us
        if us > 2000:
            time.sleep((us - 1000) / 1e6)
        while self.now_us() < end:
            pass

    def sleep_ms(self, ms: int) -> None:
        time.sleep(ms / 1000)

    def add_timer(self, period_us: int, callback: Callable[[], None]) -> object:
        t = _RTimer(self, period_us, callback)
        self._timers.append(t)
        t.start()
        return t

    def remove_timer(self, handle: object) -> None:
        if isinstance(handle, _RTimer):
            handle.stop()
            if handle in self._timers:
                self._timers.remove(handle)

    def poke(self) -> None:
        self._wake.set()

    def idle(self) -> None:
        self._wake.wait(0.01)
        self._wake.clear()

    def close(self) -> None:
        for t in list(self._timers):
            self.remove_timer(t)


class _RTimer:
    def __init__(self, clock: RealClock, period_us: int, callback: Callable[[], None]) -> None:
        self.clock = clock
        self.period_us = period_us
        self.callback = callback
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pod-timer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=1)

    def _run(self) -> None:
        due = self.clock.now_us() + self.period_us
        while not self._stop.is_set():
            wait = due - self.clock.now_us()
            if wait > 400:
                self._stop.wait((wait - 300) / 1e6)
                continue
            while self.clock.now_us() < due:
                pass
            self.callback()
            self.clock.poke()
            due += self.period_us
            now = self.clock.now_us()
            if due < now - 10 * self.period_us:
                due = now  # fell far behind (suspended): do not replay a burst
