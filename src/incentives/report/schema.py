"""The JSON Schema of a run's results (``incentives schema``).

Contract: :func:`results_schema` is pydantic's JSON Schema of
:class:`~incentives.results.RunResult` in serialisation mode, that is of the
JSON that ``incentives run --format json --trace`` prints and that a bundle's
``outputs/statements.json`` holds: every amount a string of exact
fixed-point digits (never a number), dates as ISO text. Without ``--trace``
the run's JSON leaves out each line's ``trace`` and each statement's
``values``, so the schema does not require them: both outputs conform. The
schema names its dialect (draft 2020-12), and
:func:`render_schema` writes it as canonical JSON (sorted keys, two-space
indent, final newline): the same engine version always gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from incentives._version import __version__
from incentives.report.statements_json import dump_json
from incentives.results import RunResult

__all__ = ["DIALECT", "render_schema", "results_schema"]

#: The JSON Schema dialect pydantic generates.
DIALECT = "https://json-schema.org/draft/2020-12/schema"


#: What ``run --format json`` leaves out without ``--trace``: (model, key).
_LEFT_OUT_WITHOUT_TRACE = (("StatementLine", "trace"), ("Statement", "values"))


def results_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`~incentives.results.RunResult`, as JSON data."""
    schema = RunResult.model_json_schema(mode="serialization")
    for model, key in _LEFT_OUT_WITHOUT_TRACE:
        required = schema["$defs"][model].get("required", [])
        if key in required:
            required.remove(key)
    return {
        "$schema": DIALECT,
        **schema,
        "description": (
            f"The results of an incentives {__version__} run: one statement per payee and "
            "period, amounts as exact decimal strings. `incentives run --format json` "
            "without --trace leaves out each line's `trace` and each statement's `values`."
        ),
    }


def render_schema() -> str:
    """The schema as canonical JSON text."""
    return dump_json(results_schema())
