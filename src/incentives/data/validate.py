"""Row checks, one function per table, behind :meth:`Dataset.validate`.

Contract: each ``check_*`` function reads one :class:`RawTable` against the
plan's :class:`~incentives.data.dataset.DataRequirements`, appends every
problem it finds to ``found`` (never raising for a data mistake) and returns
the rows that passed. A table that lacks a column it needs is reported once
per missing column and its rows are not read, so one missing column does not
become a thousand bad cells. Duplicate and roster checks run on the raw key
text of every row, so a row with a bad amount still has its payee checked,
and a payee or txn_id is known if any row names it, even one with a bad cell
or the wrong number of cells (reported once, where it is, never again as an
unknown key elsewhere).

Every ``check_*`` runs in the engine's own decimal context
(:func:`~incentives.money.evaluation_context`), whatever the caller's: a low
precision or a trap on ``Rounded`` set by the caller changes neither what is
accepted nor what is raised.

Text the plan reads (a declared ledger column or roster field, a text metric,
the roster's ``plan`` column) is compared exactly, so a cell of it with spaces
around its text is refused (``D603``), as a key is, rather than silently
matching nothing.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from incentives.check.suggest import closest
from incentives.data import _report
from incentives.data.cells import CellError, padded_text, parse_cell
from incentives.data.models import (
    FxRate,
    LedgerLine,
    MetricEntry,
    Payee,
    QuotaEntry,
    RowRef,
    SplitEntry,
    field_problems,
)
from incentives.data.tables import RawRow, RawTable, other_separator
from incentives.diagnostics import Diagnostic, Related
from incentives.money import evaluation_context, format_decimal, is_currency
from incentives.values import ColumnType, Value

if TYPE_CHECKING:
    from incentives.data.dataset import DataRequirements

__all__ = [
    "LEDGER_COLUMNS",
    "METRIC_COLUMNS",
    "QUOTA_COLUMNS",
    "ROSTER_STANDARD",
    "check_fx",
    "check_ledger",
    "check_metrics",
    "check_quotas",
    "check_roster",
    "check_splits",
]

LEDGER_COLUMNS = ("txn_id", "date", "payee", "amount", "currency")
QUOTA_COLUMNS = ("payee", "period", "amount", "currency")
METRIC_COLUMNS = ("payee", "period", "name", "value")
SPLIT_COLUMNS = ("txn_id", "payee", "share")
FX_COLUMNS = ("date", "from", "to", "rate")
#: Optional roster columns with a fixed meaning and type (the types the
#: ``Payee`` model parses them by; a plan declaring another type for one is
#: for the checker to report).
ROSTER_STANDARD: Mapping[str, ColumnType] = {
    "name": ColumnType.TEXT,
    "role": ColumnType.TEXT,
    "manager": ColumnType.TEXT,
    "fte": ColumnType.DECIMAL,
    "start_date": ColumnType.DATE,
    "end_date": ColumnType.DATE,
    "payout_currency": ColumnType.TEXT,
    "plan": ColumnType.TEXT,
}
_CURRENCY_COLUMNS = frozenset({"currency", "payout_currency"})
#: Standard roster text columns the engine reads whatever the plan declares:
#: a payee whose ``plan`` is not the plan's name is on another plan.
_ROSTER_ALWAYS_READ = frozenset({"plan"})

_M = TypeVar("_M", bound=BaseModel)


def is_key(text: str) -> bool:
    """Whether cell text can be a key: not empty, no spaces around it."""
    return text != "" and text == text.strip()


class _Checker:
    """Reads the cells of one table and reports its problems."""

    def __init__(self, table: RawTable, found: list[Diagnostic]) -> None:
        self.table = table
        self.found = found
        self.positions = {name: i for i, name in enumerate(table.columns)}

    def cell(self, row: RawRow, column: str) -> str:
        return row.cells[self.positions[column]]

    def ref(self, row: RawRow) -> RowRef:
        return RowRef(source=self.table.source, row=row.number)

    def report(
        self,
        code: str,
        row: int,
        column: str,
        message: str,
        hint: str | None = None,
        related: Sequence[Related] = (),
    ) -> None:
        position = self.positions.get(column, -1) + 1
        self.found.append(
            _report.problem(
                code,
                self.table.source,
                row,
                position,
                f"column `{column}`: {message}",
                hint,
                related,
            )
        )

    def require(self, needed: Mapping[str, str]) -> bool:
        """Report each needed column (name → why) the header lacks."""
        if self.table.header_line == 0 and not self.table.rows:
            return True  # no records: an empty table, whose columns are unknown
        missing = [column for column in needed if column not in self.positions]
        for column in missing:
            self.found.append(
                _report.problem(
                    _report.MISSING_COLUMN,
                    self.table.source,
                    self.table.header_line,
                    0,
                    f"column `{column}` is missing from the {self.table.name}: {needed[column]}",
                    _column_hint(column, self.table),
                )
            )
        return not missing

    def model(
        self, model: type[_M], row: RawRow, data: dict[str, Any], context: dict[str, Any]
    ) -> _M | None:
        """Validate one row's model, reporting each bad field at its column."""
        try:
            return model.model_validate(data, context=context)
        except ValidationError as exc:
            for field, message, hint in field_problems(exc):
                column = "payee" if field == "id" else field
                code = _report.CURRENCY if column in _CURRENCY_COLUMNS else _report.BAD_CELL
                self.report(code, row.number, column, message, hint)
            return None

    def typed(
        self,
        row: RawRow,
        types: Mapping[str, ColumnType],
        optional: frozenset[str] = frozenset(),
    ) -> dict[str, Value] | None:
        """The plan-declared cells of a row, typed; None if any is bad.

        An empty cell of an ``optional`` column is left out of the result.
        """
        values: dict[str, Value] = {}
        bad = False
        for column in sorted(types):
            text = self.cell(row, column)
            if column in optional and text == "":
                continue
            try:
                values[column] = parse_cell(text, types[column])
            except CellError as exc:
                bad = True
                self.report(_report.BAD_CELL, row.number, column, exc.message, exc.hint)
        return None if bad else values

    def unique(
        self, seen: dict[Any, int], key: object, row: RawRow, column: str, what: str
    ) -> None:
        """Report a key already seen on an earlier row, naming both rows."""
        first = seen.setdefault(key, row.number)
        if first != row.number:
            where = _report.place(self.table.source, first, self.positions[column] + 1)
            self.report(
                _report.DUPLICATE_KEY,
                row.number,
                column,
                f"{what} appears twice: on row {first} and on row {row.number}",
                "each key may appear only once; delete or correct one of the rows",
                (Related(where, "first used here"),),
            )

    def known_payee(self, roster: frozenset[str] | None, row: RawRow, column: str) -> None:
        payee = self.cell(row, column)
        if roster is None or not is_key(payee) or payee in roster:
            return
        close = difflib.get_close_matches(payee, sorted(roster), n=1)
        self.report(
            _report.UNKNOWN_PAYEE,
            row.number,
            column,
            f"`{payee}` is not a payee in the roster",
            f"did you mean `{close[0]}`?" if close else "add the payee to the roster",
        )

    def plan_currency(self, currency: str, row: RawRow, what: str, fix: str) -> None:
        found = self.cell(row, "currency")
        if is_currency(found) and found != currency:
            self.report(
                _report.CURRENCY,
                row.number,
                "currency",
                f"this plan pays in {currency}; {what} is in {found} "
                "and the plan declares no conversion",
                fix,
            )


def _column_hint(column: str, table: RawTable) -> str:
    header = table.columns
    separator = other_separator(header)
    if separator is not None and table.header_line:
        return (
            f"the header is separated by {separator}, not by commas: "
            "export the file again as comma-separated CSV"
        )
    same = [name for name in header if name.strip().casefold() == column.casefold()]
    if same:
        return (
            f"the header has `{same[0]}`; column names must match exactly: rename it to `{column}`"
        )
    close = difflib.get_close_matches(column, list(header), n=1)
    if close:
        return f"is `{close[0]}` meant to be `{column}`? rename it"
    if not table.header_line:
        return f"give the records a `{column}` key"
    return f"add a `{column}` column to the header, with a value on every row"


@evaluation_context()
def check_ledger(
    table: RawTable, req: DataRequirements, roster: frozenset[str] | None, found: list[Diagnostic]
) -> list[LedgerLine]:
    """Ledger lines that passed, sorted by txn_id."""
    checker = _Checker(table, found)
    declared = {c: t for c, t in req.ledger_columns.items() if c not in LEDGER_COLUMNS}
    needed = dict.fromkeys(LEDGER_COLUMNS, "every ledger has it")
    needed |= dict.fromkeys(sorted(declared), "the plan reads it")
    if not checker.require(needed):
        return []
    lines: list[LedgerLine] = []
    seen: dict[Any, int] = {}
    for row in table.rows:
        txn_id = checker.cell(row, "txn_id")
        if is_key(txn_id):
            checker.unique(seen, txn_id, row, "txn_id", f"txn_id `{txn_id}`")
        checker.known_payee(roster, row, "payee")
        if not req.fx:
            checker.plan_currency(
                req.currency,
                row,
                "the line",
                f"correct the currency, or convert the line to {req.currency} before the export",
            )
        values = checker.typed(row, declared, req.optional_columns)
        data: dict[str, Any] = {c: checker.cell(row, c) for c in LEDGER_COLUMNS}
        data |= {"values": values or {}, "ref": checker.ref(row)}
        line = checker.model(LedgerLine, row, data, {})
        if line is not None and values is not None:
            lines.append(line)
    return sorted(lines, key=lambda line: line.txn_id)


@evaluation_context()
def check_roster(
    table: RawTable, req: DataRequirements, found: list[Diagnostic]
) -> tuple[dict[str, Payee], frozenset[str] | None]:
    """Payees that passed, sorted by id, and every payee id the roster names.

    The ids are None when the roster lacks a column it needs; the other
    tables then skip their roster checks.
    """
    checker = _Checker(table, found)
    custom = {c: t for c, t in req.roster_fields.items() if c not in ROSTER_STANDARD}
    custom.pop("payee", None)
    needed = {"payee": "every roster has it"}
    needed |= dict.fromkeys(sorted(set(req.roster_fields) - {"payee"}), "the plan reads it")
    if req.needs_fte:
        needed.setdefault("fte", "the plan prorates by FTE")
    if req.needs_start_date:
        needed.setdefault("start_date", "the plan prorates by days active")
    if not checker.require(needed):
        return {}, None
    ids = frozenset(key for key in table.keys("payee") if is_key(key))
    standard = [c for c in ROSTER_STANDARD if c in checker.positions]
    # Standard text the plan reads (keys and currencies have checks of their own).
    texts = [
        c
        for c in standard
        if ROSTER_STANDARD[c] is ColumnType.TEXT
        and c not in ("manager", "payout_currency")
        and (c in req.roster_fields or c in _ROSTER_ALWAYS_READ)
    ]
    payees: dict[str, Payee] = {}
    seen: dict[Any, int] = {}
    for row in table.rows:
        payee_id = checker.cell(row, "payee")
        if is_key(payee_id):
            checker.unique(seen, payee_id, row, "payee", f"payee `{payee_id}`")
        if "manager" in checker.positions:
            checker.known_payee(ids, row, "manager")
        no_fte = req.needs_fte and checker.cell(row, "fte") == ""
        if no_fte:
            checker.report(
                _report.BAD_CELL,
                row.number,
                "fte",
                "empty cell; the plan prorates by FTE, so every payee needs one",
                "write the fraction of full time worked, like 1 or 0.5",
            )
        if "payout_currency" in checker.positions and not req.payout_conversion:
            payout = checker.cell(row, "payout_currency")
            if is_currency(payout) and payout != req.currency:
                checker.report(
                    _report.CURRENCY,
                    row.number,
                    "payout_currency",
                    f"`{payee_id}` is paid in {payout}, but this plan pays in {req.currency} "
                    "and does not convert",
                    "add `fx … pay in payout currency` to the plan, or fix the roster",
                )
        padded = False
        for column in texts:
            text = checker.cell(row, column)
            if text != text.strip():
                padded = True
                error = padded_text(text)
                checker.report(_report.BAD_CELL, row.number, column, error.message, error.hint)
        fields = checker.typed(row, custom)
        data: dict[str, Any] = {"id": payee_id, "fields": fields or {}, "ref": checker.ref(row)}
        data |= {c: checker.cell(row, c) for c in standard}
        payee = checker.model(Payee, row, data, {})
        if payee is not None and fields is not None and not no_fte and not padded:
            payees.setdefault(payee.id, payee)
    if "manager" in checker.positions:
        _check_cycles(checker)
    return dict(sorted(payees.items())), ids


def _check_cycles(checker: _Checker) -> None:
    """Report each loop in the manager chain once, at its smallest payee id.

    The chain is read from the raw key text of every row (the first row of a
    payee named twice), so a row with another problem (a bad FTE) still has
    its manager checked.
    """
    managers: dict[str, str] = {}
    rows: dict[str, int] = {}  # payee id → its first row
    for row in checker.table.rows:
        payee, manager = checker.cell(row, "payee"), checker.cell(row, "manager")
        if not is_key(payee) or payee in rows:
            continue
        rows[payee] = row.number
        if is_key(manager):
            managers[payee] = manager
    done: set[str] = set()
    for start in sorted(managers):
        path: dict[str, int] = {}  # payee id → position on the chain from start
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path[node] = len(path)
            node = managers.get(node)
        done.update(path)
        if node is None or node not in path:
            continue
        loop = list(path)[path[node] :]
        first = min(loop)
        loop = loop[loop.index(first) :] + loop[: loop.index(first)]
        checker.report(
            _report.MANAGER_CYCLE,
            rows[first],
            "manager",
            "the manager chain loops: " + " → ".join([*loop, first]),
            "nobody can manage themselves, directly or through others",
        )


@evaluation_context()
def check_quotas(
    table: RawTable, req: DataRequirements, roster: frozenset[str] | None, found: list[Diagnostic]
) -> dict[tuple[str, str], QuotaEntry]:
    """Quotas that passed, keyed and sorted by (payee, period)."""
    if req.quota_scheme is None:
        return {}  # the plan does not read quotas
    checker = _Checker(table, found)
    if not checker.require(dict.fromkeys(QUOTA_COLUMNS, "every quotas table has it")):
        return {}
    quotas: dict[tuple[str, str], QuotaEntry] = {}
    seen: dict[Any, int] = {}
    # The periods here are the quota goal's (quarters for a monthly plan that
    # splits a quarterly goal), so a label of another kind is told as such.
    noun = req.quota_scheme.kind.noun
    context = {"scheme": req.quota_scheme, "expected": f"this plan's quota goals are per {noun}"}
    for row in table.rows:
        checker.known_payee(roster, row, "payee")
        checker.plan_currency(req.currency, row, "the quota", f"write the quota in {req.currency}")
        data: dict[str, Any] = {c: checker.cell(row, c) for c in QUOTA_COLUMNS}
        entry = checker.model(QuotaEntry, row, data | {"ref": checker.ref(row)}, context)
        if entry is not None:
            key = (entry.payee, entry.period)
            what = f"the quota of `{entry.payee}` for {entry.period}"
            checker.unique(seen, key, row, "period", what)
            quotas.setdefault(key, entry)
    return dict(sorted(quotas.items()))


@evaluation_context()
def check_metrics(
    table: RawTable, req: DataRequirements, roster: frozenset[str] | None, found: list[Diagnostic]
) -> tuple[dict[tuple[str, str, str], MetricEntry], dict[str, int]]:
    """Metrics that passed, keyed and sorted by (payee, period, name).

    Rows of metrics the plan does not declare are skipped unread (a metrics
    file may be shared by several plans); they are counted by name in the
    second result. A name that is a declared one in other capitals, or close
    to one (:func:`~incentives.check.suggest.closest`), is a mistake rather
    than another plan's metric: it is reported (``D619``) with the name meant,
    since its rows would otherwise leave the metric to its default.
    """
    checker = _Checker(table, found)
    if not checker.require(dict.fromkeys(METRIC_COLUMNS, "every metrics table has it")):
        return {}, {}
    metrics: dict[tuple[str, str, str], MetricEntry] = {}
    ignored: Counter[str] = Counter()
    seen: dict[Any, int] = {}
    for row in table.rows:
        name = checker.cell(row, "name")
        if name not in req.metrics and is_key(name):
            meant = _meant_metric(name, req.metrics)
            if meant is None:
                ignored[name] += 1
                continue
            checker.report(
                _report.UNKNOWN_METRIC,
                row.number,
                "name",
                f"`{name}` is not a metric the plan declares",
                f"did you mean `{meant}`? metric names must match the plan's exactly",
            )
            checker.known_payee(roster, row, "payee")
            continue
        kind = req.metrics[name][0] if name in req.metrics else ColumnType.TEXT
        checker.known_payee(roster, row, "payee")
        data: dict[str, Any] = {c: checker.cell(row, c) for c in METRIC_COLUMNS}
        context = {"scheme": req.scheme, "value_type": kind}
        entry = checker.model(MetricEntry, row, data | {"ref": checker.ref(row)}, context)
        if entry is not None:
            key = (entry.payee, entry.period, entry.name)
            what = f"metric `{entry.name}` of `{entry.payee}` for {entry.period}"
            checker.unique(seen, key, row, "period", what)
            metrics.setdefault(key, entry)
    return dict(sorted(metrics.items())), dict(sorted(ignored.items()))


def _meant_metric(name: str, declared: Iterable[str]) -> str | None:
    """The declared metric ``name`` is a case variant or a misspelling of, if any.

    >>> _meant_metric("CSAT", ["csat"]), _meant_metric("cast", ["csat"])
    ('csat', 'csat')
    >>> _meant_metric("hours", ["csat"]) is None
    True
    """
    by_folded: dict[str, str] = {}
    for metric in sorted(declared):
        by_folded.setdefault(metric.casefold(), metric)
    folded = name.casefold()
    if folded in by_folded:
        return by_folded[folded]
    close = closest(folded, by_folded)
    return None if close is None else by_folded[close]


@evaluation_context()
def check_splits(
    table: RawTable,
    req: DataRequirements,
    roster: frozenset[str] | None,
    txn_ids: frozenset[str],
    found: list[Diagnostic],
) -> dict[str, tuple[SplitEntry, ...]]:
    """Shares by txn_id; the ``split`` shares of each line add up to exactly 100%.

    ``txn_ids`` are every txn_id the ledger names (its rows with problems
    too). An optional ``credit`` column names an overlay type (declared by the
    plan) for credit on top of the 100%; empty or absent means ``split``.
    """
    if not req.splits:
        return {}
    checker = _Checker(table, found)
    if not checker.require(dict.fromkeys(SPLIT_COLUMNS, "every splits table has it")):
        return {}
    entries: dict[str, list[SplitEntry]] = {}
    rows: dict[str, list[int]] = {}
    seen: dict[Any, int] = {}
    for row in table.rows:
        # Every problem of the row is reported; a row with any is not kept.
        txn_id = checker.cell(row, "txn_id")
        unknown = is_key(txn_id) and txn_id not in txn_ids
        if unknown:
            checker.report(
                _report.UNKNOWN_LINE,
                row.number,
                "txn_id",
                f"`{txn_id}` is not a txn_id in the ledger",
                "a split shares an existing ledger line; check the id",
            )
        checker.known_payee(roster, row, "payee")
        credit = checker.cell(row, "credit") if "credit" in checker.positions else ""
        credit = credit or "split"
        undeclared = credit != "split" and credit not in req.overlays
        if undeclared:
            declared = ", ".join(f"`{o}`" for o in sorted(req.overlays)) or "none"
            checker.report(
                _report.SHARES,
                row.number,
                "credit",
                f"`{credit}` is not a credit type the plan declares (overlays: {declared})",
                "leave it empty for a share of the 100%, or declare the overlay in the plan",
            )
        data: dict[str, Any] = {c: checker.cell(row, c) for c in SPLIT_COLUMNS}
        data |= {"credit": credit, "ref": checker.ref(row)}
        entry = checker.model(SplitEntry, row, data, {})
        if entry is None or unknown or undeclared:
            continue
        key = (entry.txn_id, entry.payee, entry.credit)
        checker.unique(seen, key, row, "payee", f"the share of `{entry.payee}` in `{txn_id}`")
        if seen[key] == row.number:
            entries.setdefault(entry.txn_id, []).append(entry)
            rows.setdefault(entry.txn_id, []).append(row.number)
    for txn_id, shares in sorted(entries.items()):
        total = sum((e.share for e in shares if e.credit == "split"), Decimal(0))
        if total != 1:
            first = rows[txn_id][0]
            shown = format_decimal((total * 100).normalize())
            checker.report(
                _report.SHARES,
                first,
                "share",
                f"the shares of `{txn_id}` add up to {shown}%, not 100%",
                "split shares divide the whole line; overlay credits go in the `credit` column",
            )
    return {
        txn: tuple(sorted(shares, key=lambda e: (e.credit, e.payee)))
        for txn, shares in sorted(entries.items())
    }


@evaluation_context()
def check_fx(
    table: RawTable, req: DataRequirements, found: list[Diagnostic]
) -> dict[tuple[str, str], tuple[FxRate, ...]]:
    """Rates by (from, to), each list in date order; one rate per pair and date."""
    if not req.fx:
        return {}
    checker = _Checker(table, found)
    if not checker.require(dict.fromkeys(FX_COLUMNS, "every fx table has it")):
        return {}
    rates: dict[tuple[str, str], list[FxRate]] = {}
    seen: dict[Any, int] = {}
    for row in table.rows:
        data: dict[str, Any] = {
            "date": checker.cell(row, "date"),
            "source": checker.cell(row, "from"),
            "target": checker.cell(row, "to"),
            "rate": checker.cell(row, "rate"),
            "ref": checker.ref(row),
        }
        try:
            rate = FxRate.model_validate(data)
        except ValidationError as exc:
            names = {"source": "from", "target": "to"}
            for field, message, hint in field_problems(exc):
                checker.report(_report.BAD_CELL, row.number, names.get(field, field), message, hint)
            continue
        key = (rate.date, rate.source, rate.target)
        what = f"the {rate.source}→{rate.target} rate of {rate.date.isoformat()}"
        checker.unique(seen, key, row, "date", what)
        if seen[key] == row.number:
            rates.setdefault((rate.source, rate.target), []).append(rate)
    return {pair: tuple(sorted(r, key=lambda x: x.date)) for pair, r in sorted(rates.items())}
