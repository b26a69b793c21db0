"""Tests written in the plan language itself (after beancount's ``load_doc``).

``@plan_doc`` parses the decorated test's docstring as a plan and passes the
loaded :class:`incentives.Plan` in; ``@plan_errors`` passes the diagnostics
of a plan that must not load. ``ledger(...)`` builds a dataset from short
tuples so a test reads like a worked example.
"""

from __future__ import annotations

import functools
import inspect
import textwrap
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import incentives

HEADER = (
    'plan "Test" version "1" currency USD period month rounding half_up to 0.01 on components\n'
)


def load(text: str, *, header: bool = False) -> incentives.Plan:
    body = textwrap.dedent(text)
    return incentives.load_plan((HEADER if header else "") + body, filename="test.plan")


def diagnostics(text: str, *, header: bool = False) -> list[incentives.Diagnostic]:
    source = incentives.SourceFile("test.plan", (HEADER if header else "") + textwrap.dedent(text))
    _, found = incentives.check_source(source)
    return found


def plan_doc(*, header: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Load the test's docstring as a plan and pass it as the first argument."""

    def decorate(test: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(test)
        def run(*args: Any, **kwargs: Any) -> Any:
            assert test.__doc__, "a @plan_doc test needs a docstring"
            return test(load(test.__doc__, header=header), *args, **kwargs)

        # pytest must not see the plan argument as a fixture.
        signature = inspect.signature(test)
        run.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=list(signature.parameters.values())[1:]
        )
        return run

    return decorate


def ledger(
    *rows: tuple[str, str, str, str] | tuple[str, str, str, str, dict[str, Any]],
    roster: Iterable[dict[str, Any]] | None = None,
    quotas: Iterable[dict[str, Any]] | None = None,
    metrics: Iterable[dict[str, Any]] | None = None,
    splits: Iterable[dict[str, Any]] | None = None,
    fx: Iterable[dict[str, Any]] | None = None,
    currency: str = "USD",
) -> incentives.Dataset:
    """A dataset from ``(txn_id, date, payee, amount[, extra columns])`` tuples.

    Amounts are text like ``"15000"`` or ``"-12.50"`` (USD). The roster
    defaults to every payee named in the rows.
    """
    records = []
    for row in rows:
        txn, day, payee, amount = row[:4]
        extra: dict[str, Any] = row[4] if len(row) > 4 else {}  # type: ignore[misc]
        records.append(
            {
                "txn_id": txn,
                "date": date.fromisoformat(day),
                "payee": payee,
                "amount": Decimal(amount),
                "currency": currency,
                **extra,
            }
        )
    if roster is None:
        roster = [{"payee": p} for p in sorted({r[2] for r in rows})]
    return incentives.Dataset.from_records(
        ledger=records,
        roster=list(roster),
        quotas=list(quotas) if quotas is not None else None,
        metrics=list(metrics) if metrics is not None else None,
        splits=list(splits) if splits is not None else None,
        fx=list(fx) if fx is not None else None,
    )
