"""Stage 5: the results of a run (statements, traces, row accounting)."""

from incentives.results.models import (
    PlanInfo,
    RowAccounting,
    RunResult,
    Statement,
    StatementLine,
    TraceNode,
)

__all__ = ["PlanInfo", "RowAccounting", "RunResult", "Statement", "StatementLine", "TraceNode"]
