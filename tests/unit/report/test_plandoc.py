"""The written plan: generated from the plan, golden for two plans, escaped, self-contained."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import incentives
from incentives.report import plandoc_model
from incentives.report.plandoc import md_escape, plan_document, render_html, render_markdown

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden" / "plandoc"

Golden = Callable[[Path, str], None]


def document(name: str) -> plandoc_model.PlanDocument:
    return plan_document(incentives.load_plan(ROOT / "plans" / name).ir)


@pytest.mark.parametrize("name", ["retail_floor", "gates_and_floors"])
def test_golden_markdown(name: str, golden: Golden) -> None:
    golden(GOLDEN / f"{name}.md", render_markdown(document(f"{name}.plan")))


@pytest.mark.parametrize("name", ["retail_floor", "gates_and_floors"])
def test_golden_html(name: str, golden: Golden) -> None:
    golden(GOLDEN / f"{name}.html", render_html(document(f"{name}.plan")))


@pytest.mark.parametrize("path", sorted((ROOT / "plans").glob("*.plan")), ids=lambda p: p.name)
def test_every_bundled_plan_renders_the_same_bytes_twice(path: Path) -> None:
    plan = incentives.load_plan(path)
    first = render_html(plan_document(plan.ir)), render_markdown(plan_document(plan.ir))
    second = render_html(plan_document(plan.ir)), render_markdown(plan_document(plan.ir))
    assert first == second
    html, markdown = first
    assert "FAILS" not in markdown
    for component in plan.ir.components:
        assert f"`{component.name}`" in markdown
        assert f'id="component-{component.name}"' in html
    assert html.endswith("</html>\n") and markdown.endswith("```\n")


def test_the_plan_text_is_kept_byte_for_byte() -> None:
    text = PLAN.replace("measure sales", "\n\n\nmeasure sales")
    text += "# trailing   \n"
    doc = plan_document(incentives.load_plan(text).ir)
    markdown = render_markdown(doc)
    assert markdown.endswith(f"```plan\n{text.rstrip(chr(10))}\n```\n")
    assert "# trailing   \n```" in markdown


PLAN = """\
plan "Pay <script>alert(1)</script> | *bold* _x_ [link](http://x)"
  version "1"
  description "# not a heading & <b>not bold</b> evil"
  currency USD
  period month
  rounding half_up to 0.01 on components
ledger columns
  `line`: text
measure sales = sum amount where `line` != "a|b"
commission c "Commission <i>" pays 5% of sales

example "Half a <b>cent</b>"
  period "2026-03"
  payee kim
  line t1 2026-03-02 kim: 1,000 USD, `line` "x"
  # 5% x 1,000 = 50 <ok>
  expect kim c: 50.00 USD
"""


def hostile_document() -> plandoc_model.PlanDocument:
    """PLAN's document, with a bidi override put into its description.

    The parser refuses a hidden character in a text (E003), so the override
    goes into the compiled plan after loading: the renderers must still
    escape whatever a plan object holds.
    """
    ir = incentives.load_plan(PLAN).ir
    description = ir.description.replace("evil", "\u202eevil")
    return plan_document(dataclasses.replace(ir, description=description))


def test_html_escapes_everything_from_the_plan() -> None:
    html = render_html(hostile_document())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>not bold</b>" not in html and "<i>" not in html
    assert "&lt;b&gt;cent&lt;/b&gt;" in html
    assert "\u202e" not in html
    assert "\\u202eevil" in html
    assert "5% x 1,000 = 50 &lt;ok&gt;" in html


def test_html_is_self_contained() -> None:
    html = render_html(document("retail_floor.plan"))
    for forbidden in ("<script", "<link", "<img", "src=", "@import", "url(", "http://", "https://"):
        assert forbidden not in html
    assert "default-src 'none'" in html
    # every link points inside the page
    assert set(re.findall(r'href="([^"]*)"', html)) <= {
        f"#{anchor}" for anchor in re.findall(r'id="([^"]*)"', html)
    }
    # the plan's text is highlighted by the plan lexer
    assert '<span class="kd">plan</span>' in html


def test_markdown_escapes_everything_from_the_plan() -> None:
    markdown = render_markdown(hostile_document())
    title = markdown.splitlines()[0]
    assert title == (r"# Pay \<script\>alert(1)\</script\> \| \*bold\* \_x\_ \[link\](http://x)")
    description = markdown.splitlines()[2]
    # the bidi override is shown as an escape: ``\u202e``, its backslash escaped
    assert description == r"\# not a heading \& \<b\>not bold\</b\> \\u202eevil"
    # code keeps its own text; a pipe in a table cell is escaped for the table
    assert "| `sales` | the sum of `amount` over your ledger lines in the pay period, " in markdown
    assert '`` `line` != "a\\|b" ``' in markdown
    assert "\u202e" not in markdown


def test_md_escape_of_line_starts() -> None:
    assert md_escape("- a") == "\\- a"
    assert md_escape("12) b") == "12\\) b"
    assert md_escape("plain words, 5% of 10,000 USD.") == "plain words, 5% of 10,000 USD."


def test_examples_are_worked_tables_with_the_authors_working() -> None:
    markdown = render_markdown(document("retail_floor.plan"))
    assert (
        "### Example 2: Part-timer hired on 11 March: prorated target, below target, low CSAT"
        in (markdown)
    )
    assert (
        "| emma | `target` | 8,129.03 USD | target = 60,000 x 40% x 0.5 x 21/31 days (11-31 March)"
        " = 252,000/31 = 8,129.0322... -\\> rounded to the cent: 8,129.03 |"
    ) in markdown
    assert '| e0 | 2026-03-09 | emma | 400.00 USD | `units` 1, `category` "audio" |' in markdown
    assert "- e0 is dated before Emma's first day, so it is not credited to her" in markdown
    assert markdown.count("Checked: all ") == 4


def test_a_failing_example_is_said_to_fail() -> None:
    plan = incentives.load_plan(PLAN.replace("expect kim c: 50.00 USD", "expect kim c: 51.00 USD"))
    doc = plan_document(plan.ir)
    assert (doc.examples, doc.failed) == (1, 1)
    assert "FAILS: kim c: expected 51.00, computed 50.00." in render_markdown(doc)


def test_who_is_covered_lists_the_roster_on_the_plan() -> None:
    plan = incentives.load_plan(ROOT / "plans" / "retail_floor.plan")
    data = incentives.Dataset.from_dir(ROOT / "examples" / "retail")
    doc = plan_document(plan.ir, roster=plan.validate(data).roster.values())
    markdown = render_markdown(doc)
    assert "| femi | Femi Adeyemi | Sales associate | 0.4 | 2025-06-02 |  |" in markdown
    assert "| hana | Hana Sato | Sales associate | 0.8 | 2024-01-08 | 2026-02-20 |" in markdown
    assert "| gus |" not in markdown  # on the "Store managers" plan


def test_words_for_components_quotas_and_measures() -> None:
    markdown = render_markdown(document("gates_and_floors.plan"))
    for words in (
        "- Gate: nothing is paid while `sales` is below `50% of target`; at or above it, all of "
        "it is paid.",
        "- Gate: pays only on the part of `new_sales` above `20,000 EUR`.",
        "| at least 50% and below 100% | from 25% to 100% |",
        "| `year_sales` | the sum of `amount` over your ledger lines from the start of the year "
        "to the end of the pay period (year to date) (an amount in EUR) |",
        "your target: the goal set for you in the quotas table for each year, shared evenly "
        "between the quarters of the year; multiplied by your FTE",
        "Each component's amount is rounded half even (a half goes to the even digit) to 0.01 "
        "EUR, once, after its cap and floor",
    ):
        assert words in markdown


def test_every_plan_states_when_pay_is_earned_refunds_and_termination() -> None:
    plan = incentives.load_plan(PLAN)
    keys = [t.key for t in plandoc_model.plan_terms(plan.ir)]
    assert keys == ["earn_event", "clawback_window", "termination"]
    markdown = render_markdown(plan_document(plan.ir))
    earned = "### When pay is earned\n\nA sale counts in the pay period of its ledger date."
    assert earned in markdown
    assert "A refund is a negative ledger line" in markdown


def test_terms_come_from_the_plans_clauses() -> None:
    plan = incentives.load_plan(ROOT / "plans" / "part_time_year.plan")
    doc = plan_document(plan.ir)
    markdown = render_markdown(doc)
    assert "A refund within 90 days of the sale it names takes back" in markdown
    assert "A draw balance not yet repaid is forgiven." in markdown
    assert "up to `400 USD * fte` while `tenure_month <= 3`" in markdown
    assert "| `commission_rate` | changes on 2026-07-01: `4%` until then; `5%` from" in markdown
    assert "- Trued up over the quarter" in markdown
    contact = incentives.load_plan(
        (ROOT / "plans" / "part_time_year.plan")
        .read_text(encoding="utf-8")
        .replace(
            "your store manager, or the compensation team (comp-team@example.com)",
            "Payroll, room 4",
        ),
        filename="p.plan",
    )
    doc = plan_document(contact.ir)
    asked = "### Questions and disputes\n\nAsk Payroll, room 4 about your pay"
    assert asked in render_markdown(doc)
    assert '<section id="term-dispute_contact">' in render_html(doc)


def test_a_wage_floor_and_holdback_are_described() -> None:
    text = (
        'plan "W" version "1" currency USD period month rounding half_up to 0.01 on components\n'
        "  starts 2026-01-01\n"
        "metrics\n  hours_worked: decimal\nledger columns\n  paid_on: date optional\n"
        "measure sales = sum amount\n"
        "commission c\n  pays 5% of sales\n  hold back 20% until paid_on\n"
        "upon termination holdbacks forfeited\n"
        'wage floor w "Minimum wage"\n  at 16.00 USD per hour of hours_worked\n'
        "  shortfall flagged\n"
    )
    markdown = render_markdown(plan_document(incentives.load_plan(text, filename="w.plan").ir))
    assert "20% of what each sale earns is held back until the date in `paid_on`" in markdown
    assert "Your pay for a period is at least `16.00 USD` for each hour of `hours_worked`" in (
        markdown
    )
    assert "this plan does not pay it" in markdown
    assert "Anything still held back on your last day is forfeited." in markdown
