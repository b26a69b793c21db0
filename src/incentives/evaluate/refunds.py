"""Refund lines: set apart from the lines that count, matched to the sales they refund.

Contract: :func:`split_refunds` takes every credit of a run and returns the
credits that count in measures, and the refund lines a clawback picks, by
(payee, period earned, clawback). A refund line names a ledger line in the
clawback's ``matched by`` column (D618 otherwise), has the opposite sign
(D622) and the same currency (D623) as that line, and is not dated or earned
before it (D621); every such problem is collected and raised together as one
:class:`~incentives.errors.DataError`. A refund is given to every payee the
line it refunds was credited to (split shares, overlays) as well as to its
own; one not earned yet (``earn on``) is given to nobody until it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date

from incentives.compile import ir
from incentives.data import LedgerLine
from incentives.diagnostics import Diagnostic, sort_diagnostics
from incentives.errors import DataError
from incentives.evaluate.closures import compile_expr
from incentives.evaluate.crediting import Credit
from incentives.evaluate.measures import LineEnv
from incentives.money import format_decimal
from incentives.source import Span

__all__ = ["split_refunds"]


def split_refunds(
    plan: ir.Plan,
    ledger: Mapping[str, LedgerLine],
    credits: list[Credit],
    earn_date: Callable[[Credit, str | None], date | None],
) -> tuple[list[Credit], dict[tuple[str, str, str], list[Credit]]]:
    """Credits that count in measures, and refund lines by (payee, period, clawback)."""
    if not plan.clawbacks:
        return credits, {}
    env = LineEnv(plan, False)
    conditions = [(k, compile_expr(k.condition)) for k in plan.clawbacks]
    kept: list[Credit] = []
    refunds: dict[tuple[str, str, str], list[Credit]] = defaultdict(list)
    problems: list[Diagnostic] = []
    by_line: dict[str, list[Credit]] = defaultdict(list)
    for credit in credits:
        by_line[credit.line.txn_id].append(credit)
    given: set[tuple[str, str]] = set()  # (refund line, payee) already given a refund
    for credit in credits:
        env.credit = credit
        match = next((k for k, test in conditions if test(env)), None)
        if match is None:
            kept.append(credit)
            continue
        original = credit.line.values.get(match.column)
        if not isinstance(original, str) or original not in ledger:
            problems.append(
                Diagnostic(
                    "D618",
                    f"refund line `{credit.line.txn_id}` names `{original or ''}` in "
                    f"`{match.column}`, which is not a ledger line",
                    Span(credit.line.ref.source, credit.line.ref.row, 0, credit.line.ref.row, 1),
                    hint="a refund names the txn_id of the line it refunds",
                )
            )
            continue
        refunded = ledger[original]
        day = earn_date(credit, None)
        earned = earn_date(by_line[original][0], None) if by_line[original] else None
        if credit.line.amount * refunded.amount > 0:
            problems.append(_refund_same_sign(credit.line, refunded, match.column))
            continue
        if credit.line.currency != refunded.currency:
            problems.append(_refund_in_another_currency(credit.line, refunded, match.column))
            continue
        later = day is not None and earned is not None and earned > day
        if refunded.date > credit.line.date or later:
            problems.append(
                _refund_before_sale(
                    credit.line, refunded, match.column, day or credit.line.date, earned
                )
            )
            continue
        if day is None:
            continue  # not earned yet: excluded as such, reversed once it is earned
        label = plan.scheme.period_of(day).label
        # The refund reverses what the line earned for everyone it was
        # credited to (split, overlay), not only for the refund's own payee.
        for receiver in [credit, *by_line[original]]:
            if (credit.line.txn_id, receiver.payee) in given:
                continue
            given.add((credit.line.txn_id, receiver.payee))
            share = credit if receiver is credit else replace(credit, payee=receiver.payee)
            refunds[(receiver.payee, label, match.name)].append(share)
    if problems:
        found = sort_diagnostics(problems)
        raise DataError(f"{len(found)} problem(s) with refund lines", found)
    return kept, refunds


def _refund_same_sign(refund: LedgerLine, original: LedgerLine, column: str) -> Diagnostic:
    return Diagnostic(
        "D622",
        f"refund line `{refund.txn_id}` ({format_decimal(refund.amount)}) names "
        f"`{original.txn_id}` ({format_decimal(original.amount)}) in `{column}`: a refund "
        "has the opposite sign of the line it refunds",
        Span(refund.ref.source, refund.ref.row, 0, refund.ref.row, 1),
        hint="write the refunded amount as a negative number, or check which line it names",
    )


def _refund_in_another_currency(
    refund: LedgerLine, original: LedgerLine, column: str
) -> Diagnostic:
    return Diagnostic(
        "D623",
        f"refund line `{refund.txn_id}` is in {refund.currency} and names `{original.txn_id}` "
        f"in `{column}`, which is in {original.currency}: the share a refund returns is "
        "measured in the sale's own currency",
        Span(refund.ref.source, refund.ref.row, 0, refund.ref.row, 1),
        hint=f"write the refund in {original.currency}, as the sale it refunds",
    )


def _refund_before_sale(
    refund: LedgerLine, original: LedgerLine, column: str, day: date, earned: date | None
) -> Diagnostic:
    if original.date > refund.date or earned is None:
        when = f"({refund.date.isoformat()}) names `{original.txn_id}` in `{column}`, which is "
        when += f"dated later ({original.date.isoformat()})"
    else:
        when = f"is earned on {day.isoformat()} and names `{original.txn_id}` in `{column}`, "
        when += f"which is earned later ({earned.isoformat()})"
    return Diagnostic(
        "D621",
        f"refund line `{refund.txn_id}` {when}: a refund cannot come before the sale it refunds",
        Span(refund.ref.source, refund.ref.row, 0, refund.ref.row, 1),
        hint=f"check the dates of both lines, or the line `{column}` names",
    )
