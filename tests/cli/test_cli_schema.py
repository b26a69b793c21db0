"""``incentives schema``: the JSON Schema of the results, and that results conform to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from incentives.results import RunResult

from .cli_support import Invoke, Workspace


def test_prints_the_schema_of_run_results(invoke: Invoke) -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "RunResult"
    expected = RunResult.model_json_schema(mode="serialization")
    assert schema["$defs"].keys() == expected["$defs"].keys()
    assert schema["properties"] == expected["properties"]
    # what a run without --trace leaves out is not required
    assert "trace" not in schema["$defs"]["StatementLine"]["required"]
    assert "values" not in schema["$defs"]["Statement"]["required"]
    amount = schema["$defs"]["StatementLine"]["properties"]["amount"]
    assert amount["type"] == "string"  # money is text, never a JSON number


def test_same_bytes_every_time(invoke: Invoke) -> None:
    first = invoke("schema").stdout
    assert invoke("schema").stdout == first
    assert first.endswith("}\n")
    assert (
        json.dumps(json.loads(first), indent=2, sort_keys=True, ensure_ascii=False) + "\n" == first
    )


def test_output_file(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("schema", "--output", "schemas/results.json")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "wrote schemas/results.json\n"
    assert Path("schemas/results.json").read_text(encoding="utf-8") == invoke("schema").stdout


def test_output_that_cannot_be_written(invoke: Invoke, ws: Workspace) -> None:
    Path("schemas").write_text("a file", encoding="utf-8")
    result = invoke("schema", "--output", "schemas/results.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot write `schemas/results.json`: ")


def test_bundle_results_conform(invoke: Invoke, ws: Workspace) -> None:
    schema = json.loads(invoke("schema").stdout)
    run = invoke(
        "run", "t.plan", "--data", "data", "--period", "2026-03", "--to", "2026-04", "--out", "out"
    )
    assert run.exit_code == 0
    data = json.loads(Path("out/outputs/statements.json").read_text(encoding="utf-8"))
    assert _problems(data, schema, schema) == []
    data["statements"][0]["lines"][0]["amount"] = 1.5
    assert _problems(data, schema, schema) == ["statements.0.lines.0.amount: not string"]


def test_run_json_without_traces_conforms(invoke: Invoke, ws: Workspace) -> None:
    schema = json.loads(invoke("schema").stdout)
    run = invoke("run", "t.plan", "--data", "data", "--period", "2026-03", "--format", "json")
    assert run.exit_code == 0
    data = json.loads(run.stdout)
    assert "trace" not in data["statements"][0]["lines"][0]
    assert _problems(data, schema, schema) == []
    del data["statements"][0]["lines"][0]["amount"]
    assert _problems(data, schema, schema) == ["statements.0.lines.0.amount: missing"]


_TYPES: dict[str, Any] = {
    "string": str,
    "integer": int,
    "object": dict,
    "array": list,
    "null": type(None),
    "boolean": bool,
}


def _problems(value: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "") -> list[str]:
    """A small validator for the keywords pydantic uses here (no jsonschema dependency)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return _problems(value, root["$defs"][name], root, at)
    if "anyOf" in schema:
        options = [_problems(value, option, root, at) for option in schema["anyOf"]]
        return [] if any(not found for found in options) else [f"{at}: no option matches"]
    kind = schema.get("type")
    if (kind and not isinstance(value, _TYPES[kind])) or (
        kind == "integer" and isinstance(value, bool)
    ):
        return [f"{at}: not {kind}"]
    found: list[str] = []
    if kind == "object":
        properties = schema.get("properties", {})
        found += [f"{at}.{key}: missing" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            where = f"{at}.{key}" if at else key
            if key in properties:
                found += _problems(item, properties[key], root, where)
            elif isinstance(schema.get("additionalProperties"), dict):
                found += _problems(item, schema["additionalProperties"], root, where)
            elif schema.get("additionalProperties") is False:
                found.append(f"{where}: not allowed")
    if kind == "array":
        for index, item in enumerate(value):
            found += _problems(item, schema["items"], root, f"{at}.{index}")
    return found
