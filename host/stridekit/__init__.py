"""StrideKit host tools: sync, replay, analysis and reports for the shoe pod."""

from stridekit import native

__version__ = "0.1.0"

# the firmware kernel compiled by `make setup`, when built from the sources on disk
# (stridekit.native); before anything here imports stridefw's kernel modules
native.activate()
