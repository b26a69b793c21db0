"""incentives: a rules engine for sales incentive and commission plans."""

from incentives._version import __version__

__all__ = ["__version__"]
