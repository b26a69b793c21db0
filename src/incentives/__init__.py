"""incentives: a rules engine for sales incentive and commission plans.

Plans are written in the `.plan` language; a plan applied to a sales dataset
gives exact, deterministic payout statements with a trace from every amount
back to the rules and ledger lines behind it.

    >>> import incentives
    >>> plan = incentives.load_plan("plans/flat_rate.plan")  # doctest: +SKIP
    >>> data = incentives.Dataset.from_dir("examples/retail")  # doctest: +SKIP
    >>> result = plan.run(data, period="2026-03")  # doctest: +SKIP

The public names are listed in ``__all__``; everything else is internal.
"""

from incentives._version import __version__
from incentives.data import Dataset, ValidatedData
from incentives.diagnostics import Diagnostic, Severity
from incentives.errors import (
    DataError,
    EvaluationError,
    IncentivesError,
    InternalError,
    PlanCheckError,
    PlanError,
    PlanSyntaxError,
    UsageError,
)
from incentives.examples import ExampleOutcome, run_examples
from incentives.periods import Period
from incentives.pipeline import Plan, check_source, load_plan
from incentives.results import RunResult, Statement, StatementLine, TraceNode
from incentives.source import SourceFile, Span

__all__ = [
    "DataError",
    "Dataset",
    "Diagnostic",
    "EvaluationError",
    "ExampleOutcome",
    "IncentivesError",
    "InternalError",
    "Period",
    "Plan",
    "PlanCheckError",
    "PlanError",
    "PlanSyntaxError",
    "RunResult",
    "Severity",
    "SourceFile",
    "Span",
    "Statement",
    "StatementLine",
    "TraceNode",
    "UsageError",
    "ValidatedData",
    "__version__",
    "check_source",
    "load_plan",
    "run_examples",
]
