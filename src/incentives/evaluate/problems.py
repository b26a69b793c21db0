"""Values that cannot be computed for one payee and period, as located problems.

Contract: :func:`guard` runs a computation and turns every way it can fail on
the data — a division by zero, attainment against a zero quota, a value below
every band, a missing metric, roster field or quota, an empty team, an
empty roster field a group is read by (:func:`empty_group`), a value a
function cannot take — into a :class:`ComputeProblem` with its R-code, the
plan location of the rule and a hint. :meth:`ComputeProblem.to_diagnostic`
names the payee and period. Anything else is a bug and propagates.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import DivisionByZero, InvalidOperation
from typing import TypeVar

from incentives.diagnostics import Diagnostic
from incentives.evaluate.quotas import MissingQuota
from incentives.evaluate.teams import EmptyGroup, EmptyTeam
from incentives.evaluate.tiers import NoBandError, ZeroQuotaError
from incentives.money import format_decimal
from incentives.source import Span

__all__ = ["ComputeProblem", "MissingField", "MissingMetric", "empty_group", "guard"]


class MissingMetric(LookupError):
    """A metric the plan reads has no value for the payee and period, and no default."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class MissingField(LookupError):
    """A roster field the plan reads is empty for the payee."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class ComputeProblem(Exception):
    """A value that cannot be computed for one payee and period (an R-code)."""

    def __init__(self, code: str, message: str, span: Span, hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.span, self.hint = code, message, span, hint

    def to_diagnostic(self, payee: str, period: str) -> Diagnostic:
        return Diagnostic(
            self.code,
            f"payee `{payee}`, {period}: {self.message}",
            self.span,
            hint=self.hint,
        )


_T = TypeVar("_T")


def guard(name: str, span: Span, run: Callable[[], _T]) -> _T:
    """Run a computation, turning arithmetic and lookup failures into problems."""
    try:
        return run()
    except (DivisionByZero, InvalidOperation):
        raise ComputeProblem(
            "R702",
            f"`{name}` divides by zero",
            span,
            "is a quota or a measure it divides by zero for this payee?",
        ) from None
    except ZeroQuotaError as exc:
        raise ComputeProblem(
            "R702",
            f"`{name}` reads attainment against a quota of {format_decimal(exc.quota)}",
            span,
            "attainment is undefined for a zero quota; give the payee a quota",
        ) from None
    except NoBandError as exc:
        raise ComputeProblem(
            "R703",
            f"`{name}`: {format_decimal(exc.value)} falls below every band of `{exc.table}`",
            span,
            f"add a band below the first one of `{exc.table}` to say what it pays",
        ) from None
    except MissingMetric as exc:
        raise ComputeProblem(
            "R704",
            f"no `{exc.name}` metric in the metrics table",
            span,
            f"add the metric, or give `{exc.name}` a default in the plan",
        ) from None
    except EmptyTeam as exc:
        raise ComputeProblem(
            "R709",
            f"`{name}`: the {exc.what} has no payees this period",
            span,
            "use `sum of …`, which is 0 for an empty team, or guard it with `if`",
        ) from None
    except EmptyGroup as exc:
        raise empty_group(exc, name, span) from None
    except MissingField as exc:
        raise ComputeProblem(
            "R707",
            f"the roster has no `{exc.name}` for this payee",
            span,
            f"fill in `{exc.name}` in roster.csv",
        ) from None
    except MissingQuota as exc:
        raise ComputeProblem(
            "R701",
            f"the quotas table has no goal for {exc.label}",
            span,
            _missing_quota_hint(exc.payee, exc.label),
        ) from None
    except ValueError as exc:
        raise ComputeProblem("R706", f"`{name}`: {exc}", span) from None


def empty_group(exc: EmptyGroup, name: str, span: Span) -> ComputeProblem:
    """R707 for ``group F`` read for a payee whose F is empty: no group, nothing paid."""
    return ComputeProblem(
        "R707",
        f"`{name}` reads `group {exc.field}`, but `{exc.field}` is empty in this payee's "
        f"roster row ({exc.row}): an empty value is no group",
        span,
        f"fill in `{exc.field}` for `{exc.payee}` in roster.csv",
    )


def _missing_quota_hint(payee: str, label: str) -> str:
    # Every goal period a pay period needs can be named by a quotas row: a
    # goal is at least as long as the pay period, so it is a month, quarter or
    # year (whole even at the calendar's edges) or the pay period itself.
    return f"add a row `{payee},{label},<amount>,<currency>` to quotas.csv"
