"""The plan IR: resolved, typed, and ready for evaluation.

Contract (what the evaluator may assume without checking):

* no unresolved names: every reference says what it reads (a ledger column,
  a roster field, a metric, a rate table, or a per-payee value computed
  earlier in :attr:`Plan.order`);
* every expression has a concrete type, and levels never mix: line-level
  expressions (measure arguments and filters, per-line payments) read only
  the line and constants; payee-level ones never read a ledger column;
* tiers are sorted, contiguous and non-overlapping, start at or below zero and
  end unbounded; rate tables are unambiguous under their hit policy;
* constants are folded; rounding points are explicit (:class:`Round` nodes,
  per-line rounding inside line expressions, and :attr:`Plan.rounding` for
  components);
* every node keeps the span of the plan text it came from.

The evaluator should never have to re-check anything the checker proved.
"""

from __future__ import annotations

from incentives.compile.ir.definitions import (
    Aggregate,
    Attribution,
    Band,
    Component,
    Gate,
    Hold,
    HorizonCap,
    Let,
    Measure,
    Quota,
    RampStep,
    RateRow,
    RateTable,
    SplitMethod,
    TierTable,
    Total,
)
from incentives.compile.ir.expressions import (
    Arith,
    Cmp,
    Column,
    Cond,
    Const,
    Excess,
    Expr,
    Field,
    Fn,
    InSet,
    Logic,
    Metric,
    Neg,
    Not,
    Rank,
    RateLookup,
    Ref,
    Round,
    Scope,
    TeamValue,
    TierApply,
    Versioned,
)
from incentives.compile.ir.plan import (
    Crediting,
    CreditRule,
    Example,
    ExampleRecord,
    Fx,
    MetricSpec,
    Plan,
    Rounding,
)
from incentives.compile.ir.settlement import (
    Clawback,
    Draw,
    Termination,
    WageFloor,
)
from incentives.compile.ir.walk import children, is_node

__all__ = [
    "Aggregate",
    "Arith",
    "Attribution",
    "Band",
    "Clawback",
    "Cmp",
    "Column",
    "Component",
    "Cond",
    "Const",
    "CreditRule",
    "Crediting",
    "Draw",
    "Example",
    "ExampleRecord",
    "Excess",
    "Expr",
    "Field",
    "Fn",
    "Fx",
    "Gate",
    "Hold",
    "HorizonCap",
    "InSet",
    "Let",
    "Logic",
    "Measure",
    "Metric",
    "MetricSpec",
    "Neg",
    "Not",
    "Plan",
    "Quota",
    "RampStep",
    "Rank",
    "RateLookup",
    "RateRow",
    "RateTable",
    "Ref",
    "Round",
    "Rounding",
    "Scope",
    "SplitMethod",
    "TeamValue",
    "Termination",
    "TierApply",
    "TierTable",
    "Total",
    "Versioned",
    "WageFloor",
    "children",
    "is_node",
]
