"""The suite must not depend on the machine's speed (CI is a busy 2-core machine)."""

from hypothesis import HealthCheck, settings


def test_hypothesis_has_no_deadline_and_no_too_slow_check() -> None:
    current = settings.default
    assert current is not None
    assert current.deadline is None
    assert HealthCheck.too_slow in current.suppress_health_check
