"""Stage 5: the results of a run (statements, traces, row accounting)."""

from incentives.results.models import (
    Conversion,
    Leaderboard,
    LeaderboardRow,
    PlanInfo,
    RowAccounting,
    RunResult,
    Statement,
    StatementLine,
    TraceNode,
    UnpaidShare,
    WageCheck,
)

__all__ = [
    "Conversion",
    "Leaderboard",
    "LeaderboardRow",
    "PlanInfo",
    "RowAccounting",
    "RunResult",
    "Statement",
    "StatementLine",
    "TraceNode",
    "UnpaidShare",
    "WageCheck",
]
