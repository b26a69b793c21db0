"""How evaluation steps are written into the trace.

Contract: pure formatting helpers. :func:`describe` writes any value as the
exact text the trace and statements use (fixed-point decimals, ISO dates,
``true``/``false``); :func:`band_parts` turns a tier result into trace parts
whose values add up exactly to the tier's value (marginal slices) or name the
one band reached. Nothing here computes a payout.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from incentives.check.types import Type, show
from incentives.compile import ir
from incentives.evaluate.tiers import TierResult
from incentives.money import format_decimal
from incentives.results.models import TraceNode
from incentives.source import Span
from incentives.values import Value

if TYPE_CHECKING:  # measures reads show_rate from here
    from incentives.evaluate.measures import MeasureValue

__all__ = [
    "band_parts",
    "describe",
    "line_parts",
    "plan_text",
    "show_rate",
    "span_text",
    "unit_of",
]


def describe(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def unit_of(t: Type) -> str:
    return t.currency if t.is_money and t.currency else t.kind


def span_text(span: Span) -> str:
    return f"{span.file}:{span.line}:{span.column}"


def plan_text(plan: ir.Plan, span: Span) -> str:
    """The plan's own words at ``span``, on one line."""
    return " ".join(plan.source.text[span.start : span.end].split())


def show_rate(value: Decimal, t: Type) -> str:
    """A rate or amount as the plan would write it: 5%, 250 USD, 1.5."""
    return show(value, t)


def band_parts(result: TierResult, unit: str, lines: Sequence[str] = ()) -> list[TraceNode]:
    """Trace parts for a tier result (see the module docstring); ``lines`` are behind its base."""
    table = result.table
    nodes = []
    for part in result.parts:
        band = part.band
        rate = show_rate(part.rate, table.value_type)
        if table.kind == "marginal":
            assert part.start is not None and part.end is not None
            detail = (
                f"slice {format_decimal(part.start)} to {format_decimal(part.end)} "
                f"({format_decimal(part.amount)}) × {rate}"
            )
        elif table.kind == "flat" or result.mode == "at":
            detail = f"{show_rate(result.point, table.bound_type)} reaches this band: {rate}"
        else:
            reached = show_rate(result.point, table.bound_type)
            detail = f"{reached} reaches this band: all of {format_decimal(result.base)} × {rate}"
        if result.quota is not None:
            detail += f" (quota {format_decimal(result.quota)})"
        nodes.append(
            TraceNode(
                kind="band",
                label=f"{table.name}: {band.text}",
                value=format_decimal(part.value),
                unit=unit,
                detail=detail,
                at=span_text(band.span),
                lines=list(lines),
            )
        )
    return nodes


def line_parts(measure: MeasureValue, unit: str) -> list[TraceNode]:
    """One trace step per ledger line of a measure: its value, and how it came about."""
    return [
        TraceNode(
            kind="line",
            label=f"line {c.txn_id}",
            value=describe(c.value),
            unit=unit,
            detail=c.detail,
            lines=[c.txn_id],
        )
        for c in measure.contributions
    ]
