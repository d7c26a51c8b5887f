"""The console's reply formats: what the pod writes, the host parses back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridefw import consoleproto as CP

ids = st.integers(0, 10**9)


@given(st.lists(st.tuples(ids, ids, ids, st.booleans()), max_size=20))
def test_ls_round_trips(entries: list[tuple[int, int, int, bool]]) -> None:
    text = " ".join(["ls", str(len(entries)), *(CP.ls_entry(*e) for e in entries)])
    assert CP.parse_ls(text) == entries


@given(st.text(max_size=60))
def test_any_line_parses_or_is_refused_cleanly(line: str) -> None:
    try:
        ok, body = CP.parse_reply(line)
    except ValueError:
        return
    assert ok == (line == "OK" or line.startswith("OK "))
    if not ok:
        code, _msg = body
        assert isinstance(code, int)


@pytest.mark.parametrize(
    "text", ["ls 2 1:2:3", "ls 1 1:2", "ls 1 1:2:3:x", "ls x", "status", "ls 1 a:2:3"]
)
def test_bad_ls_replies_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        CP.parse_ls(text)


def test_get_and_err() -> None:
    assert CP.parse_get("get 3 100 5000") == (3, 100, 5000)
    assert CP.parse_reply("ERR 6 no session 9") == (False, (6, "no session 9"))
    assert CP.parse_status("status rec=1 foot=0") == {"rec": "1", "foot": "0"}
    with pytest.raises(ValueError):
        CP.parse_get("get 3 100")
