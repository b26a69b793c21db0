"""The engine version; part of every manifest and of the reproducibility contract."""

__version__ = "0.1.0"
