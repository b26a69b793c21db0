"""Lowering a plan's worked examples into records the example runner reads.

Contract: every line, roster, quota, metric, split and FX clause of an
example becomes a data record with the same cells a CSV file would give
(percents keep their sign so the data layer parses them), and every
``expect`` its payee, component and exact amount.
"""

from __future__ import annotations

from decimal import Decimal

from incentives.ast import nodes as n
from incentives.compile import ir
from incentives.compile.lower.expressions import ExprLowering
from incentives.money import evaluation_context, format_decimal
from incentives.source import Span
from incentives.values import ColumnType, Value

__all__ = ["ExampleLowering"]


class ExampleLowering(ExprLowering):
    def example(self, decl: n.ExampleDecl, fields: dict[str, ColumnType]) -> ir.Example:
        period = ""
        last_period: str | None = None
        roster: list[dict[str, Value]] = []
        quotas: list[dict[str, Value]] = []
        metrics: list[dict[str, Value]] = []
        ledger: list[dict[str, Value]] = []
        splits: list[dict[str, Value]] = []
        fx: list[dict[str, Value]] = []
        expect: list[tuple[str, str | None, Value, str | None, str | None, Span]] = []
        records: dict[str, list[ir.ExampleRecord]] = {}

        def wrote(table: str, clause: n.ExampleClause, *cells: tuple[str, Span]) -> None:
            records.setdefault(table, []).append(ir.ExampleRecord(clause.span, cells))

        for clause in decl.clauses:
            match clause:
                case n.ExPeriod(label=label, last=last):
                    period = label
                    last_period = last
            # period first: metrics rows need it
        for clause in decl.clauses:
            match clause:
                case n.ExPayee(payee=p, fields=fs):
                    roster.append(
                        {"payee": p.text}
                        | {f.name.text: self.cell(f.value, fields.get(f.name.text)) for f in fs}
                    )
                    wrote("roster", clause, ("payee", p.span), *((f.name.text, f.span) for f in fs))
                case n.ExQuota(payee=p, period=label, amount=amount):
                    quotas.append(
                        {
                            "payee": p.text,
                            "period": label,
                            "amount": amount.value,
                            "currency": amount.currency or self.cp.currency,
                        }
                    )
                    wrote(
                        "quotas", clause, ("payee", p.span), ("amount", amount.span),
                        ("currency", amount.span),
                    )  # fmt: skip
                case n.ExMetric(payee=p, name=name, value=value):
                    metrics.append(
                        {
                            "payee": p.text,
                            "period": self.cp.scheme.parse(period).label,
                            "name": name.text,
                            "value": self.cell(value, fields.get(name.text)),
                        }
                    )
                    wrote(
                        "metrics", clause, ("payee", p.span), ("name", name.span),
                        ("value", value.span),
                    )  # fmt: skip
                case n.ExLine(txn_id=txn, day=day, payee=p, amount=amount, fields=fs):
                    row: dict[str, Value] = {
                        "txn_id": txn.text,
                        "date": day.value,
                        "payee": p.text,
                        "amount": amount.value,
                        "currency": amount.currency or self.cp.currency,
                    }
                    for f in fs:
                        row[f.name.text] = self.cell(f.value, fields.get(f.name.text))
                    ledger.append(row)
                    wrote(
                        "ledger", clause, ("txn_id", txn.span), ("date", day.span),
                        ("payee", p.span), ("amount", amount.span), ("currency", amount.span),
                        *((f.name.text, f.span) for f in fs),
                    )  # fmt: skip
                case n.ExSplit(txn_id=txn, payee=p, share=share, credit=credit):
                    splits.append(
                        {
                            "txn_id": txn.text,
                            "payee": p.text,
                            "share": self.cell(share, ColumnType.PERCENT),
                            "credit": credit or "",
                        }
                    )
                    wrote(
                        "splits", clause, ("txn_id", txn.span), ("payee", p.span),
                        ("share", share.span),
                    )  # fmt: skip
                case n.ExExchange(day=day, source=source, target=target, rate=rate):
                    fx.append({"date": day.value, "from": source, "to": target, "rate": rate.value})
                    wrote("fx", clause, ("date", day.span), ("rate", rate.span))
                case n.ExExpect(payee=p, target=target, value=value, period=when):
                    what = target.text if target else None
                    expect.append((p.text, what, value.value, value.currency, when, clause.span))
        return ir.Example(
            decl.title, period, last_period, tuple(roster), tuple(quotas), tuple(metrics),
            tuple(ledger), tuple(splits), tuple(fx), tuple(expect), decl.span,
            tuple((table, tuple(found)) for table, found in records.items()),
        )  # fmt: skip

    @staticmethod
    def cell(value: n.Literal, kind: ColumnType | None) -> Value:
        """A literal as a data cell; percents keep their sign so data parsing reads them."""
        if kind is ColumnType.PERCENT and isinstance(value.value, Decimal):
            with evaluation_context():
                return format_decimal(value.value.scaleb(2).normalize()) + "%"
        return value.value
