"""StrideKit host tools: sync, replay, analysis and reports for the shoe pod."""

__version__ = "0.1.0"
