"""Shared fixtures for the input-data tests: a small valid dataset on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_samples import LEDGER, METRICS, QUOTAS, ROSTER, WriteDir, requirements

from incentives.data import DataRequirements


@pytest.fixture
def req() -> DataRequirements:
    return requirements()


@pytest.fixture
def write_dir(tmp_path: Path) -> WriteDir:
    """Write tables into a directory: text is encoded as UTF-8, bytes as given.

    Tables not named get the valid defaults above; pass None to leave one out.
    """

    def write(**tables: str | bytes | None) -> Path:
        contents: dict[str, str | bytes | None] = {
            "ledger": LEDGER,
            "roster": ROSTER,
            "quotas": QUOTAS,
            "metrics": METRICS,
        }
        contents.update(tables)
        for name, content in contents.items():
            path = tmp_path / f"{name}.csv"
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return tmp_path

    return write
