"""report.statements_json: canonical JSON, money as strings, traces on request."""

from __future__ import annotations

import json

from report_samples import computed, line, result, statement

from incentives.report.statements_json import dump_json, render_run_json, render_statement_json


def test_amounts_are_strings_and_traces_are_left_out() -> None:
    data = json.loads(render_run_json(computed()))
    alice = data["statements"][0]
    assert alice["total"] == "37.48"
    assert alice["start"] == "2026-03-01"
    assert alice["lines"][0] == {
        "amount": "37.48",
        "component": "c",
        "computed": None,
        "currency": "USD",
        "kind": "commission",
        "label": "Commission",
    }
    assert "values" not in alice


def test_with_trace_every_field_is_there() -> None:
    run = computed()
    data = json.loads(render_run_json(run, trace=True))
    assert data == json.loads(json.dumps(run.model_dump(mode="json")))
    assert data["statements"][0]["values"]["sales"]["lines"] == ["t1", "t2"]


def test_text_is_canonical() -> None:
    text = render_run_json(computed(), trace=True)
    assert text == render_run_json(computed(), trace=True)
    assert text.endswith("}\n")
    assert text.startswith('{\n  "closing": ')
    assert json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text


def test_no_number_is_a_json_number() -> None:
    run = result([statement("a", [line("x", "-12.50"), line("y", "1E+3")])])
    text = render_run_json(run)
    data = json.loads(text)
    assert [item["amount"] for item in data["statements"][0]["lines"]] == ["-12.50", "1000"]
    assert data["statements"][0]["total"] == "987.50"


def test_statement_json_keeps_traces_and_values() -> None:
    alice = computed().statements[0]
    data = json.loads(render_statement_json(alice))
    assert data["lines"][0]["trace"]["parts"][0]["label"] == "rates on sales"
    assert data["values"]["sales"]["value"] == "749.50"


def test_dump_json_keeps_letters_readable() -> None:
    assert dump_json({"b": "Zoë", "a": [1]}) == '{\n  "a": [\n    1\n  ],\n  "b": "Zoë"\n}\n'
