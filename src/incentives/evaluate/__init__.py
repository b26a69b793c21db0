"""Stage 4 of the pipeline: IR × dataset × periods → statements.

``evaluate(plan, dataset, periods)`` returns a :class:`incentives.results.RunResult`.
Stage 1 (``measures.py``) filters and aggregates ledger lines; stage 2
(``statement.py``) computes each payee's values and components in exact
decimals in the engine's own context; ``run.py`` ties them together.
"""

from incentives.evaluate.run import evaluate, requirements

__all__ = ["evaluate", "requirements"]
