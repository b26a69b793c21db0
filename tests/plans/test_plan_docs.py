"""Every plan shown in docs/ and README.md is real: it loads, and its examples pass.

Fenced code blocks in the Markdown files of ``docs/``, its folders included (and in README.md),
follow one convention (written up at the top of docs/language.md and docs/errors.md):

``plan``
    a complete plan. It must load with no error, and every example it
    carries must pass.
``plan-fragment``
    declarations without a header. The test puts them after
    :data:`FRAGMENT_HEADER` and, if they declare no pay component, adds
    :data:`PLACEHOLDER`; then the same rules as for ``plan`` apply.
``… triggers=CODE``
    (after ``plan`` or ``plan-fragment``) a plan that must produce the
    diagnostic CODE: a syntax or checker error (``E…``) or warning (``W…``)
    when it is loaded, or, for a run-time problem (``R…``), when its
    examples run (the plan itself must then load). A plain block right after
    it is its fix: it must not produce CODE.
``dataset`` / ``dataset triggers=CODE``
    input files, each introduced by a line ``==> name.csv <==``, validated
    against ``plans/flat_rate.plan`` (or ``plans/NAME.plan`` with
    ``plan=NAME``, and also run for a period with ``period=P``); they must
    validate (and run) cleanly, or fail with the data diagnostic CODE.

Blocks in other languages (``sh``, ``text``, ``csv`` …) are not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

import incentives
from incentives.report.diagnostics import render_text

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: What a ``plan-fragment`` block is pasted after.
FRAGMENT_HEADER = """\
plan "Fragment"
  version "1"
  currency USD
  period month
  rounding half_up to 0.01 on components

"""

#: Added to a fragment that declares no pay component (a plan needs one).
PLACEHOLDER = "\ncommission placeholder\n  pays 0 USD\n"

_FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_COMPONENT = re.compile(r"^\s*(commission|bonus|spiff|multiplier)\s", re.MULTILINE)
_FILE = re.compile(r"^==> (?P<name>[a-z_]+\.csv) <==\n", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    doc: str
    line: int
    kind: str
    triggers: str | None
    body: str
    #: The code the block just before this one triggers, if this is its fix.
    fixes: str | None = None
    #: Other ``key=value`` words of the fence (``plan=…``, ``period=…``).
    options: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        what = f"{self.kind}-{self.triggers}" if self.triggers else self.kind
        return f"{self.doc}:{self.line}:{what}"

    @property
    def text(self) -> str:
        if self.kind == "plan-fragment":
            extra = "" if _COMPONENT.search(self.body) else PLACEHOLDER
            return FRAGMENT_HEADER + self.body + extra
        return self.body


def _blocks(kinds: tuple[str, ...]) -> list[Block]:
    found = []
    for path in [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]:
        # Named from docs/ (``how-to/tiers.md``); README.md by its name.
        doc = path.relative_to(DOCS).as_posix() if path.is_relative_to(DOCS) else path.name
        text = path.read_text(encoding="utf-8")
        previous: str | None = None
        for match in _FENCE.finditer(text):
            words = match["info"].split()
            if not words or words[0] not in kinds:
                previous = None
                continue
            options = dict(w.split("=", 1) for w in words[1:] if "=" in w)
            triggers = options.get("triggers")
            line = text.count("\n", 0, match.start()) + 1
            fixes = previous if triggers is None else None
            extra = tuple(sorted((k, v) for k, v in options.items() if k != "triggers"))
            found.append(Block(doc, line, words[0], triggers, match["body"], fixes, extra))
            previous = triggers
    return found


PLAN_BLOCKS = _blocks(("plan", "plan-fragment"))
DATA_BLOCKS = _blocks(("dataset",))


def _diagnostics(block: Block) -> tuple[incentives.Plan | None, list[incentives.Diagnostic]]:
    source = incentives.SourceFile(f"{block.doc}:{block.line}", block.text)
    return incentives.check_source(source)


def _render(block: Block, diagnostics: list[incentives.Diagnostic]) -> str:
    name = f"{block.doc}:{block.line}"
    return render_text(diagnostics, {name: incentives.SourceFile(name, block.text)})


def _example_failures(plan: incentives.Plan) -> list[str]:
    failures = []
    for outcome in incentives.run_examples(plan.ir):
        for m in outcome.mismatches:
            failures.append(
                f"{outcome.title}: {m.payee} {m.name or 'total'}: "
                f"expected {m.expected}, got {m.actual}"
            )
        failures += [f"{outcome.title}: {p.code} {p.message}" for p in outcome.problems]
    return failures


def test_the_docs_hold_plans() -> None:
    docs = {b.doc for b in PLAN_BLOCKS}
    assert {"language.md", "errors.md", "tutorial.md", "README.md"} <= docs


@pytest.mark.parametrize("block", PLAN_BLOCKS, ids=[b.id for b in PLAN_BLOCKS])
def test_plan_block(block: Block) -> None:
    plan, diagnostics = _diagnostics(block)
    codes = {d.code for d in diagnostics}
    errors = [d for d in diagnostics if d.severity is incentives.Severity.ERROR]
    code = block.triggers
    if code is not None and not code.startswith("R"):
        # A plan error or warning: reported when the plan is checked.
        assert code in codes, f"expected {code}, got {sorted(codes)}\n{_render(block, diagnostics)}"
        return
    assert not errors, _render(block, diagnostics)
    assert plan is not None
    if code is not None:
        # A run-time problem: the plan loads, and running its examples reports it.
        problems = {p.code for o in incentives.run_examples(plan.ir) for p in o.problems}
        assert code in problems, f"expected {code}, got {sorted(problems)}"
        return
    assert block.fixes not in codes, _render(block, diagnostics)
    failures = _example_failures(plan)
    assert not failures, "\n".join(failures)


def _write_dataset(block: Block, directory: Path) -> None:
    parts = _FILE.split(block.body)
    assert parts[0].strip() == "", "a dataset block starts with `==> name.csv <==`"
    for name, content in zip(parts[1::2], parts[2::2], strict=True):
        (directory / name).write_text(content, encoding="utf-8")


@pytest.mark.parametrize("block", DATA_BLOCKS, ids=[b.id for b in DATA_BLOCKS])
def test_dataset_block(block: Block, tmp_path: Path) -> None:
    _write_dataset(block, tmp_path)
    options = dict(block.options)
    plan = incentives.load_plan(ROOT / "plans" / f"{options.get('plan', 'flat_rate')}.plan")
    try:
        data = incentives.Dataset.from_dir(tmp_path)
        plan.validate(data)
        if "period" in options:
            plan.run(data, period=options["period"])
    except incentives.DataError as exc:
        codes = {d.code for d in exc.diagnostics}
        assert block.triggers is not None, render_text(exc.diagnostics)
        assert block.triggers in codes, render_text(exc.diagnostics)
        return
    assert block.triggers is None, f"expected {block.triggers}, but the data is valid"


# ---------------------------------------------------------------- errors.md
# Codes errors.md documents without a block the tests above can run, each
# with a test that produces it.


def _codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "incentives").rglob("*.py"):
        found |= set(re.findall(r'"([EWDR][0-9]{3})"', path.read_text(encoding="utf-8")))
    return found


def test_errors_md_lists_every_code() -> None:
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### ([EWDR][0-9]{3})\b", text, re.MULTILINE))
    missing = _codes_in_source() - documented
    assert not missing, f"docs/errors.md does not document {sorted(missing)}"


def test_errors_md_example_for_every_code() -> None:
    """Each documented code has a block that triggers it, or a test below."""
    triggered = {b.triggers for b in PLAN_BLOCKS + DATA_BLOCKS if b.triggers}
    tested_here = {"E005", "E006", "D601", "D611", "D613", "D620", "D623"}
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### ([EWDR][0-9]{3})\b", text, re.MULTILINE))
    assert documented - triggered - tested_here == set()


def test_d623_refund_in_another_currency() -> None:
    plan = incentives.load_plan(
        'plan "Refunds" version "1" currency USD period month\n'
        "  rounding half_up to 0.01 on components\n  starts 2026-01-01\n"
        "fx\n  convert at line date\n"
        "ledger columns\n  kind: text\n  original: text\n"
        "measure sales = sum amount\ncommission c pays 10% of sales\n"
        'clawback refunds reverses c for lines where kind = "refund" matched by original '
        "within 90 days\n"
    )
    line = {"payee": "ben", "kind": "sale", "original": ""}
    data = incentives.Dataset.from_records(
        ledger=[
            {**line, "txn_id": "s1", "date": "2026-03-02", "amount": "1000", "currency": "EUR"},
            {**line, "txn_id": "r1", "date": "2026-03-20", "amount": "-1000", "currency": "USD",
             "kind": "refund", "original": "s1"},
        ],
        roster=[{"payee": "ben"}],
        fx=[{"date": "2026-01-01", "from": "EUR", "to": "USD", "rate": "1.1"}],
    )  # fmt: skip
    with pytest.raises(incentives.DataError) as caught:
        plan.run(data, period="2026-03")
    assert [d.code for d in caught.value.diagnostics] == ["D623"]


def test_e005_too_deep() -> None:
    plan = 'plan "Deep" version "1" currency USD period month rounding none\n'
    plan += "measure sales = sum amount\ncommission c pays " + " + ".join(["sales"] * 150)
    _, found = incentives.check_source(incentives.SourceFile("deep.plan", plan))
    assert [d.code for d in found] == ["E005"]


def test_e006_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.plan"
    path.write_bytes('plan "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(incentives.PlanSyntaxError) as caught:
        incentives.load_plan(path)
    assert [d.code for d in caught.value.diagnostics] == ["E006"]


def test_d601_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "ledger.csv").write_text("txn_id,date,payee,amount,currency\n")
    (tmp_path / "roster.csv").write_bytes("payee,name\nkim,Kim L\xf3pez\n".encode("latin-1"))
    with pytest.raises(incentives.DataError) as caught:
        incentives.Dataset.from_dir(tmp_path)
    assert "D601" in {d.code for d in caught.value.diagnostics}


def test_d620_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "ledger.csv").write_text("txn_id,date,payee,amount,currency\n")
    (tmp_path / "roster.csv").write_text("payee\nkim\n")
    (tmp_path / "metrics.csv").symlink_to(tmp_path / "nowhere.csv")
    with pytest.raises(incentives.DataError) as caught:
        incentives.Dataset.from_dir(tmp_path)
    assert [d.code for d in caught.value.diagnostics] == ["D620"]


def test_d611_float_in_records() -> None:
    with pytest.raises(incentives.DataError) as caught:
        incentives.Dataset.from_records(
            ledger=[
                {
                    "txn_id": "t1",
                    "date": "2026-03-02",
                    "payee": "kim",
                    "amount": 1250.0,
                    "currency": "USD",
                }
            ],
            roster=[{"payee": "kim"}],
        )
    assert "D611" in {d.code for d in caught.value.diagnostics}
    # The fix: exact decimals (or their text).
    incentives.Dataset.from_records(
        ledger=[
            {
                "txn_id": "t1",
                "date": "2026-03-02",
                "payee": "kim",
                "amount": Decimal("1250.00"),
                "currency": "USD",
            }
        ],
        roster=[{"payee": "kim"}],
    )


def test_d613_too_many_problems(tmp_path: Path) -> None:
    rows = "".join(f"t{i},2026-03-02,kim,12 USD,USD\n" for i in range(250))
    (tmp_path / "ledger.csv").write_text("txn_id,date,payee,amount,currency\n" + rows)
    (tmp_path / "roster.csv").write_text("payee\nkim\n")
    plan = incentives.load_plan(ROOT / "plans" / "flat_rate.plan")
    with pytest.raises(incentives.DataError) as caught:
        plan.validate(incentives.Dataset.from_dir(tmp_path))
    codes = [d.code for d in caught.value.diagnostics]
    assert codes.count("D603") == 200
    assert codes[-1] == "D613"


# --------------------------------------------------------------- tutorial.md


def test_tutorial_statements_match_the_text() -> None:
    """The tutorial's plans give the March totals its text shows, on examples/tutorial."""
    plans = [b for b in PLAN_BLOCKS if b.doc == "tutorial.md" and b.kind == "plan"]
    assert len(plans) == 2
    data = incentives.Dataset.from_dir(ROOT / "examples" / "tutorial")
    expected = [
        {"alex": "1127.50", "blair": "591.28", "casey": "1250.00"},
        {"alex": "1454.00", "blair": "591.28", "casey": "1650.00"},
    ]
    for block, totals in zip(plans, expected, strict=True):
        plan = incentives.load_plan(block.text, filename="team.plan")
        result = plan.run(data, period="2026-03")
        assert {s.payee: s.total for s in result.statements} == {
            payee: Decimal(total) for payee, total in totals.items()
        }
        assert (result.rows.read, result.rows.credited) == (11, 10)
