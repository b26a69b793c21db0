"""Stage 3 of the pipeline: checked plan → IR.

``compile_plan(checked)`` returns an :class:`incentives.compile.ir.Plan`;
see the ``ir`` package for what the IR guarantees to the evaluator.
"""

from incentives.compile.ir import Plan
from incentives.compile.lower import compile_plan

__all__ = ["Plan", "compile_plan"]
