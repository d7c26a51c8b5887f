"""App.turn when the loop falls behind: a sample is due on every turn, yet the console
(and radio and housekeeping) still get every other turn, and a command is answered."""

from __future__ import annotations

from stridekit.sim.pod import MemPort, VirtualPod


def _behind_turns(pod: VirtualPod, n: int) -> None:
    app = pod.app
    for _ in range(n):
        app._isr(None)  # the timer fires before every turn: always a sample due
        app.turn()


def test_a_loop_that_falls_behind_still_polls_every_other_turn() -> None:
    pod = VirtualPod(None, console="mem")
    app = pod.app
    polls: list[int] = []
    real_poll = app.console.poll

    def counting_poll() -> bool:
        polls.append(1)
        return real_poll()

    app.console.poll = counting_poll  # type: ignore[method-assign]
    _behind_turns(pod, 100)
    assert len(polls) == 50


def test_a_command_is_answered_while_the_loop_is_behind() -> None:
    pod = VirtualPod(None, console="mem")
    port = pod.port
    assert isinstance(port, MemPort)
    port.feed(b"status\n")
    out = b""
    for _ in range(200):
        _behind_turns(pod, 1)
        out += port.take()
        if b"\n" in out:
            break
    assert out.startswith(b"OK status rec=0"), out
