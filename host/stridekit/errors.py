"""One exception base for the host package; subclasses also inherit the built-in they resemble."""


class StrideError(Exception):
    """Base of every error StrideKit raises on purpose."""


class BadSessionFile(StrideError, ValueError):
    """A session file that cannot be used at all (no header, unreadable)."""
