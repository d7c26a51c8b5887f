"""In CI a missing Chromium fails the browser tests instead of skipping them."""

from __future__ import annotations

from pathlib import Path

import pytest

import tests.conftest as root


def test_missing_chromium_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(root, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.setattr(root, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception):
        root.require_chromium()
    monkeypatch.setattr(root, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="missing in CI"):
        root.require_chromium()
