"""Statements as JSON, for tools (``incentives run --format json``, ``explain``).

Contract: the JSON form of the pydantic models (``model_dump(mode="json")``)
with money and every other decimal as fixed-point strings (never numbers, so
no reader turns them into floats), dates as ISO text, keys sorted at every
level, two-space indent, UTF-8 text (no ``\\u`` escapes for letters) and a
final newline. Without ``trace`` each statement line's ``trace`` and each
statement's ``values`` are left out; with it the result is complete. The
same result always renders the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from incentives.results import RunResult, Statement

__all__ = ["dump_json", "render_run_json", "render_statement_json"]

_WITHOUT_TRACE: Any = {
    "statements": {"__all__": {"values": True, "lines": {"__all__": {"trace"}}}},
}


def dump_json(data: object) -> str:
    """``data`` as canonical JSON text: sorted keys, 2-space indent, final newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_run_json(result: RunResult, *, trace: bool = False) -> str:
    """A run result as JSON; traces and named values only when ``trace``."""
    exclude = None if trace else _WITHOUT_TRACE
    return dump_json(result.model_dump(mode="json", exclude=exclude))


def render_statement_json(statement: Statement) -> str:
    """One statement as JSON, with its lines' traces and its named values."""
    return dump_json(statement.model_dump(mode="json"))
