"""Checks shared by the report tests and the demo test."""

from __future__ import annotations

import re


def assert_no_band(html: str) -> None:
    """The article's urgency categories appear only in its guide table, never as a result."""
    guide = re.search(r'<div class="card" id="urgency-guide">.*?</div>', html, re.S)
    assert guide is not None
    for cat in ("Low", "Low-medium", "Medium", "Medium-high", "High"):
        assert f"<b>{cat}</b>" in guide.group(0)
    rest = html.replace(guide.group(0), "")
    assert not re.search(r"\b(Medium-high|High|Medium|Low-medium)\b", rest)
    assert not re.search(r"\bband\b", rest, re.I)
