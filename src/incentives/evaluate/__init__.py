"""The evaluator: IR × dataset × periods → statements.

``evaluate(plan, dataset, periods)`` returns a :class:`incentives.results.RunResult`.
Crediting (``crediting.py``) decides whose lines count; stage 1
(``measures.py``) filters and aggregates ledger lines; stage 2
(``statement.py``, with ``components.py``, ``payee_env.py`` and
``problems.py``) computes each payee's values and components in exact
decimals in the engine's own context; stage 3 (``teams.py``) reads other
payees' values; stage 4 (``balances.py``, in order over ``horizons.py``,
``clawbacks.py``, ``holdbacks.py`` and ``draws.py``, on the statement held by
``settlement.py``) carries state across periods, and
``wage.py`` checks a minimum wage last; refund lines are set apart by
``refunds.py`` and statements paid in a payout currency by ``payout.py``;
``run.py`` ties them together.
"""

from incentives.evaluate.run import evaluate, requirements

__all__ = ["evaluate", "requirements"]
