"""One exception base for the host package; subclasses also inherit the built-in they resemble."""


class StrideError(Exception):
    """Base of every error StrideKit raises on purpose."""


class BadSessionFile(StrideError, ValueError):
    """A session file that cannot be used at all (no header, unreadable)."""


class BadPath(StrideError, ValueError):
    """A path argument that cannot be used as given (checked before any work starts)."""
