"""The ordered list of check passes. Each takes the context and adds findings.

Contract: passes run in this order and never raise for a user's mistake.
Later passes may rely on what earlier ones put in the context (the header's
currency and period, the symbol table, resolvers); they must cope with
``ERROR`` types left by earlier findings without reporting them again.
"""

from __future__ import annotations

from collections.abc import Callable

from incentives.check.components import check_components, check_total
from incentives.check.context import CheckContext
from incentives.check.crediting import check_crediting, check_fx, check_team_values
from incentives.check.examples import check_examples
from incentives.check.header import check_header
from incentives.check.inlining import check_inlining
from incentives.check.measures import register_measures
from incentives.check.names import declare_names, report_unused
from incentives.check.quotas import check_quotas
from incentives.check.rate_tables import register_rate_tables
from incentives.check.stateful import check_stateful, check_versions
from incentives.check.tiers import register_tiers
from incentives.check.wage import check_wage_floors

__all__ = ["PASSES", "Pass"]

Pass = Callable[[CheckContext, frozenset[str]], None]


def _header(ctx: CheckContext, reserved: frozenset[str]) -> None:
    check_header(ctx)


def _declare(ctx: CheckContext, reserved: frozenset[str]) -> None:
    declare_names(ctx, reserved)
    register_measures(ctx, ctx.scheme.kind if ctx.scheme else None)
    register_tiers(ctx)
    register_rate_tables(ctx)


def _definitions(ctx: CheckContext, reserved: frozenset[str]) -> None:
    """Resolve every symbol, used or not, so every definition is checked once."""
    for symbol in list(ctx.symbols.values()):
        ctx.resolve(symbol)


def _quotas(ctx: CheckContext, reserved: frozenset[str]) -> None:
    check_quotas(ctx)


def _components(ctx: CheckContext, reserved: frozenset[str]) -> None:
    check_components(ctx)
    check_total(ctx)


def _crediting(ctx: CheckContext, reserved: frozenset[str]) -> None:
    check_crediting(ctx)
    check_fx(ctx)
    check_team_values(ctx)


def _stateful(ctx: CheckContext, reserved: frozenset[str]) -> None:
    check_versions(ctx)
    check_stateful(ctx)
    check_wage_floors(ctx)


def _examples(ctx: CheckContext, reserved: frozenset[str]) -> None:
    check_examples(ctx)


def _inlining(ctx: CheckContext, reserved: frozenset[str]) -> None:
    check_inlining(ctx)


def _unused(ctx: CheckContext, reserved: frozenset[str]) -> None:
    report_unused(ctx)


PASSES: tuple[Pass, ...] = (
    _header,
    _declare,
    _definitions,
    _quotas,
    _components,
    _crediting,
    _stateful,
    _inlining,
    _examples,
    _unused,
)
