"""``incentives test PLAN_OR_DIR...``: run the examples plans carry, as tests.

Each argument is a plan file or a directory, searched recursively for
``*.plan`` files (hidden directories skipped) in sorted path order. Every plan
is loaded and its examples run (:func:`incentives.run_examples`). Text
output, per plan::

    plans/retail.plan
      PASS Full-timer at 120%
      FAIL Part-timer
        plans/retail.plan:88:3: expect bob total: expected 310.00, got 300.00

then ``N examples, M failed``. An example that cannot run shows its problems
as diagnostics; a plan with errors shows its diagnostics; a plan without
examples says so and does not fail. ``--format json`` gives the same as one
JSON object. All of it, diagnostics included, is this command's output and
goes to stdout; only a path that does not exist or a directory without a plan
is reported on stderr.

Exit: 0 when every example passes; 1 when one fails or a plan has errors;
2 when a path does not exist or a directory holds no plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from incentives.cli._common import EXIT_FINDINGS, EXIT_OK, emit, read_source
from incentives.diagnostics import Diagnostic
from incentives.errors import PlanSyntaxError, UsageError
from incentives.examples import ExampleOutcome, Mismatch, run_examples
from incentives.pipeline import check_source
from incentives.report.diagnostics import diagnostic_dicts, render_text, summary
from incentives.report.statements_json import dump_json
from incentives.source import SourceFile

__all__ = ["PlanReport", "collect_plans", "test"]


@dataclass
class PlanReport:
    """What testing one plan found."""

    path: str
    #: The checker's diagnostics (errors mean the examples could not run).
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outcomes: list[ExampleOutcome] = field(default_factory=list)
    source: SourceFile | None = None

    @property
    def broken(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


@click.command("test")
@click.argument("paths", metavar="PLAN_OR_DIR...", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools",
)
@click.pass_context
def test(ctx: click.Context, paths: tuple[str, ...], output_format: str) -> None:
    """Run the examples in plans and compare them with their expectations."""
    reports = [_test_plan(path) for path in collect_plans(paths)]
    examples = sum(len(r.outcomes) for r in reports)
    failed = sum(1 for r in reports for o in r.outcomes if not o.passed)
    broken = sum(1 for r in reports if r.broken)
    if output_format == "json":
        emit(_render_json(reports, examples, failed, broken))
    else:
        emit("".join(_render_text(r) for r in reports) + _summary(examples, failed, broken))
    ctx.exit(EXIT_FINDINGS if failed or broken else EXIT_OK)


def collect_plans(paths: tuple[str, ...]) -> list[str]:
    """Plan files named by ``paths`` (directories searched), each once, in order.

    Raises:
        UsageError: a path does not exist, or a directory holds no plan.
    """
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            plans = sorted(
                p.relative_to(path)
                for p in path.rglob("*.plan")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not plans:
                raise UsageError(f"no .plan files in `{given}`")
            found.extend(str(path / p) for p in plans)
        elif path.exists():
            found.append(given)
        else:
            raise UsageError(f"{given}: no such plan file or directory")
    return list(dict.fromkeys(found))


def _test_plan(path: str) -> PlanReport:
    try:
        source = read_source(path)
    except PlanSyntaxError as exc:
        return PlanReport(path, exc.diagnostics)
    plan, diagnostics = check_source(source)
    report = PlanReport(path, diagnostics, source=source)
    if plan is not None:
        report.outcomes = run_examples(plan.ir)
    return report


def _render_text(report: PlanReport) -> str:
    sources = {report.source.name: report.source} if report.source else {}
    if report.broken:
        rendered = render_text(report.diagnostics, sources)
        return f"{report.path}: cannot run its examples: {summary(report.diagnostics)}\n{rendered}"
    if not report.outcomes:
        return f"{report.path}: no examples\n"
    out = [f"{report.path}\n"]
    for outcome in report.outcomes:
        out.append(f"  {'PASS' if outcome.passed else 'FAIL'} {outcome.title}\n")
        out.extend(f"    {m.span}: {_expectation(m)}\n" for m in outcome.mismatches)
        if outcome.problems:
            out.append(render_text(outcome.problems, sources))
    return "".join(out)


def _expectation(m: Mismatch) -> str:
    return f"expect {m.payee} {m.name or 'total'}: expected {m.expected}, got {m.actual}"


def _summary(examples: int, failed: int, broken: int) -> str:
    text = f"{examples} example{'s' if examples != 1 else ''}, {failed} failed"
    if broken:
        text += f"; {broken} plan{' has' if broken == 1 else 's have'} errors"
    return text + "\n"


def _render_json(reports: list[PlanReport], examples: int, failed: int, broken: int) -> str:
    data: dict[str, Any] = {
        "examples": examples,
        "failed": failed,
        "plans_with_errors": broken,
        "plans": [
            {
                "file": r.path,
                "diagnostics": diagnostic_dicts(r.diagnostics),
                "examples": [_outcome_json(o) for o in r.outcomes],
            }
            for r in reports
        ],
    }
    return dump_json(data)


def _outcome_json(outcome: ExampleOutcome) -> dict[str, Any]:
    return {
        "title": outcome.title,
        "at": str(outcome.span),
        "passed": outcome.passed,
        "checked": outcome.checked,
        "mismatches": [
            {
                "payee": m.payee,
                "name": m.name,
                "expected": m.expected,
                "actual": m.actual,
                "at": str(m.span),
            }
            for m in outcome.mismatches
        ],
        "problems": diagnostic_dicts(outcome.problems),
    }


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = test
