"""report.html: the payee's HTML statement: content, escaping, no network, exact amounts."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from report_samples import computed, line, node, result, statement

import incentives
from incentives.report.html import render_statement_html
from incentives.report.statements_csv import render_csv
from incentives.results import RunResult

ROOT = Path(__file__).parents[3]
GOLDEN = ROOT / "tests" / "golden" / "html"

Golden = Callable[[Path, str], None]


def retail(period: str = "2026-03") -> RunResult:
    plan = incentives.load_plan("plans/retail_floor.plan")
    return plan.run(incentives.Dataset.from_dir("examples/retail"), period=period)


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Trace locations name the plan and data as given: relative to the repository.
    monkeypatch.chdir(ROOT)


def test_golden_sample_statement(golden: Golden) -> None:
    run = computed()
    golden(GOLDEN / "sample_alice_2026-03.html", render_statement_html(run, run.statements[0]))


@pytest.mark.usefixtures("in_root")
def test_golden_retail_statement(golden: Golden) -> None:
    run = retail()
    ana = run.statement("ana")
    golden(GOLDEN / "retail_ana_2026-03.html", render_statement_html(run, ana))


@pytest.mark.usefixtures("in_root")
def test_shows_plan_payee_period_lines_and_trace() -> None:
    run = retail()
    page = render_statement_html(run, run.statement("ana"))
    assert "<title>Statement ana, 2026-03: Retail floor team</title>" in page
    assert "Retail floor team, version 2026.1" in page
    assert "Statement for Ana Ruiz (ana)" in page
    assert "2026-03 (2026-03-01 to 2026-03-31)" in page
    # bands with their slices and rates, from the trace
    assert "commission_rates: at least 150%" in page
    assert "slice 28800.0000 to 55357.97 (26557.9700) × 7% (quota 19200.00)" in page
    # per-line component: the ledger lines with their amounts
    assert '<tr><td>R2603-0086</td><td class="num">15 USD</td></tr>' in page
    # adjustments: rounding and the total cap
    assert "rounded half_up to 0.01: 2915.057900 → 2915.06" in page
    assert "the total of the lines above is capped at 3,000 USD" in page
    # the values the steps use, linked
    assert '<a href="#value-sales">sales</a>' in page
    assert 'id="value-sales"' in page
    assert "balances" not in page.lower()


def _json_amounts(run: RunResult) -> list[tuple[str, str, list[str]]]:
    data = json.loads(run.model_dump_json())
    return [
        (s["period"], s["payee"], [*(ln["amount"] for ln in s["lines"]), s["total"]])
        for s in data["statements"]
    ]


@pytest.mark.usefixtures("in_root")
@pytest.mark.parametrize("period", ["2026-01", "2026-02", "2026-03"])
def test_amounts_match_json_and_csv_exactly(period: str) -> None:
    run = retail(period)
    rows = list(csv.DictReader(io.StringIO(render_csv(run))))
    for (_, payee, amounts), s in zip(_json_amounts(run), run.statements, strict=True):
        page = render_statement_html(run, s)
        summary = page.split('<section id="summary">')[1].split("</section>")[0]
        shown = re.findall(r'<td class="num">([^<]*)</td>', summary)
        assert shown == amounts
        assert [r["amount"] for r in rows if r["payee"] == payee] == amounts


def test_markup_in_names_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    trace = node("component", "c", "1.00", unit="USD", detail='<img src="x">', lines=["<b>t1"])
    run = result([statement(evil, [line("c", "1.00", label="<i>C</i>", trace=trace)], name=evil)])
    page = render_statement_html(run, run.statements[0])
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page
    assert "<i>C</i>" not in page and "&lt;i&gt;C&lt;/i&gt;" in page
    assert "<b>" not in page


def test_bidirectional_controls_are_made_visible() -> None:
    run = result([statement("eve", [line("c", "1.00")], name="Eve\u202eevil")])
    page = render_statement_html(run, run.statements[0])
    assert "\u202e" not in page
    assert "Eve\\u202eevil" in page


@pytest.mark.usefixtures("in_root")
def test_loads_nothing_from_the_network() -> None:
    run = retail()
    for s in run.statements:
        page = render_statement_html(run, s)
        for needle in ("http://", "https://", "src=", "<link", "<script", "url(", "@import"):
            assert needle not in page, needle
        assert "default-src 'none'" in page


def test_a_formula_name_is_only_text() -> None:
    name = '=HYPERLINK("http://evil.example","click")'
    run = result([statement("mallory", [line("c", "-20.00")], name=name)])
    page = render_statement_html(run, run.statements[0])
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;click&#34;)" in page
    assert 'href="http' not in page


@pytest.mark.usefixtures("in_root")
def test_same_statement_same_bytes() -> None:
    first, second = retail(), retail()
    for a, b in zip(first.statements, second.statements, strict=True):
        assert render_statement_html(first, a) == render_statement_html(second, b)


@pytest.mark.usefixtures("in_root")
def test_golden_converted_statement(golden: Golden) -> None:
    plan = incentives.load_plan("plans/field_team.plan")
    run = plan.run(incentives.Dataset.from_dir("examples/team"), period="2026-03")
    cleo = run.statement("cleo")
    assert cleo.conversion is not None
    page = render_statement_html(run, cleo)
    golden(GOLDEN / "team_cleo_2026-03.html", page)
    assert "Computed in USD and paid in EUR at 0.9183 EUR per USD" in page
    computed = [line.computed for line in cleo.lines]
    assert re.findall(r'<td class="num computed">([^<]*)</td>', page) == [
        format(c, "f") if c is not None else "" for c in computed
    ]


def test_page_is_complete_html() -> None:
    run = computed()
    page = render_statement_html(run, run.statements[0])
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert page.endswith("</html>\n")
    assert '<meta charset="utf-8">' in page
    assert "\r" not in page


def test_a_statement_without_a_name_or_values() -> None:
    run = result([statement("zed", [line("c", "0.00")])])
    page = render_statement_html(run, run.statements[0])
    assert "Statement for zed</h1>" in page
    assert 'id="values"' not in page


def test_balances_are_drawn_only_when_the_statement_has_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = result([statement("zed", [line("c", "10.00")], name="<Zed>")])
    s = run.statements[0]
    assert 'id="balances"' not in render_statement_html(run, s)
    dumped = s.model_dump(mode="json")
    dumped["balances"] = [
        {"name": "draw", "kind": "draw", "opening": "500.00", "closing": "490.00", "detail": None}
    ]
    monkeypatch.setattr(type(s), "model_dump", lambda self, **kwargs: dumped)
    page = render_statement_html(run, s)
    assert (
        '<tr><td>draw</td><td>draw</td><td class="num">500.00</td><td class="num">490.00</td>'
        "<td>USD</td><td></td></tr>"
    ) in page
