"""The suite must not depend on the machine's speed (CI is a busy 2-core machine)."""

from hypothesis import HealthCheck, settings


def test_hypothesis_has_no_deadline_and_no_too_slow_check() -> None:
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check
