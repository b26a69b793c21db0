"""Typed row models: strict, cell text through parse_cell, provenance outside equality."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from incentives.data import LedgerLine, MetricEntry, Payee, QuotaEntry, RowRef
from incentives.data.models import field_problems
from incentives.periods import PeriodKind, PeriodScheme
from incentives.values import ColumnType

REF = RowRef(source="ledger.csv", row=2)


def line(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "txn_id": "T1",
        "date": "2026-01-05",
        "payee": "alice",
        "amount": "100.50",
        "currency": "USD",
        "ref": REF,
    }
    data.update(changes)
    return data


def problems(
    model: type[LedgerLine | Payee | QuotaEntry | MetricEntry], **kw: object
) -> list[tuple[str, str, str | None]]:
    context = kw.pop("context", None)
    with pytest.raises(ValidationError) as caught:
        model.model_validate(kw, context=context)
    return field_problems(caught.value)


def test_ledger_line_from_cell_text() -> None:
    parsed = LedgerLine.model_validate(line())
    assert parsed.date == date(2026, 1, 5)
    assert parsed.amount == Decimal("100.50") and str(parsed.amount) == "100.50"
    assert parsed.values == {}
    assert parsed.ref == REF


def test_typed_values_are_accepted_too() -> None:
    parsed = LedgerLine.model_validate(line(date=date(2026, 1, 5), amount=Decimal("1")))
    assert parsed.amount == Decimal("1")


@pytest.mark.parametrize("amount", [100.5, 1, True, "1e3", "NaN"])
def test_amount_never_accepts_a_float_or_lax_forms(amount: object) -> None:
    [(field, message, _)] = problems(LedgerLine, **line(amount=amount))
    assert field == "amount"
    assert message


def test_float_message_says_what_to_pass() -> None:
    [(_, message, hint)] = problems(LedgerLine, **line(amount=100.5))
    assert message == "floats are not accepted: pass Decimal('…') or a string"
    assert hint == "for this value: Decimal('100.5')"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_float_still_gets_a_hint(value: float) -> None:
    [(_, _, hint)] = problems(LedgerLine, **line(amount=value))
    assert hint == "pass the actual number as Decimal('…'), or None for no value"


def test_keys_must_be_non_empty_and_unpadded() -> None:
    found = problems(LedgerLine, **line(txn_id="", payee=" alice"))
    assert found == [
        ("txn_id", "empty cell; a value is required", "give every line its own txn_id"),
        ("payee", "` alice` has spaces around it", "remove the spaces: `alice`"),
    ]


def test_currency_must_be_iso_4217() -> None:
    assert problems(LedgerLine, **line(currency="usd")) == [
        ("currency", "`usd` is not an ISO 4217 currency code", "did you mean USD?")
    ]
    [(_, _, hint)] = problems(LedgerLine, **line(currency="DOLLAR"))
    assert hint == "write an ISO 4217 code in capitals, like USD or EUR"


def test_models_are_frozen_and_forbid_extra_fields() -> None:
    parsed = LedgerLine.model_validate(line())
    with pytest.raises(ValidationError):
        parsed.amount = Decimal("2")  # type: ignore[misc]
    [(field, _, _)] = problems(LedgerLine, **line(product="x"))
    assert field == "product"


def test_equality_ignores_provenance_but_not_content() -> None:
    a = LedgerLine.model_validate(line(values={"units": Decimal("3")}))
    b = LedgerLine.model_validate(
        line(values={"units": Decimal("3")}, ref=RowRef(source="<records:ledger>", row=1))
    )
    assert a == b and hash(a) == hash(b)
    assert a != LedgerLine.model_validate(line(amount="100.51"))
    assert a != LedgerLine.model_validate(line(values={"units": Decimal("4")}))


def test_payee_optional_cells_and_ranges() -> None:
    payee = Payee.model_validate(
        {"id": "bob", "name": "", "manager": "", "fte": "0.5", "start_date": "", "ref": REF}
    )
    assert (payee.name, payee.manager, payee.fte, payee.start_date) == (
        None,
        None,
        Decimal("0.5"),
        None,
    )
    for fte in ("0", "1.01", "-1"):
        [(field, message, hint)] = problems(Payee, id="bob", fte=fte, ref=REF)
        assert field == "fte" and "is not between 0 (excluded) and 1" in message
        assert hint is not None and "0.5" in hint
    assert Payee.model_validate({"id": "b", "fte": "1", "ref": REF}).fte == 1


def test_end_date_must_not_precede_start_date() -> None:
    ok = Payee.model_validate(
        {"id": "b", "start_date": "2026-01-01", "end_date": "2026-01-01", "ref": REF}
    )
    assert ok.end_date == date(2026, 1, 1)
    assert problems(Payee, id="b", start_date="2026-02-01", end_date="2026-01-31", ref=REF) == [
        (
            "end_date",
            "the end date 2026-01-31 is before the start date 2026-02-01",
            "correct whichever date is wrong: a payee ends on or after the day they start",
        )
    ]


def test_quota_period_is_canonical_for_the_scheme() -> None:
    context = {"scheme": PeriodScheme(PeriodKind.TWO_WEEKS, date(2026, 1, 5))}
    data = {"payee": "a", "period": "2026-01-07", "amount": "10", "currency": "USD", "ref": REF}
    assert QuotaEntry.model_validate(data, context=context).period == "2026-01-05"
    [(field, message, _)] = problems(QuotaEntry, **(data | {"period": "2026-01"}), context=context)
    assert field == "period" and "not a two-week period" in message


def test_quota_cannot_be_negative() -> None:
    data = {"payee": "a", "period": "2026", "amount": "-1", "currency": "USD", "ref": REF}
    assert problems(QuotaEntry, **data) == [
        ("amount", "`-1` is negative; a quota cannot be", "write the target as 0 or more")
    ]


def test_metric_value_is_typed_by_context() -> None:
    context = {"scheme": PeriodScheme(PeriodKind.MONTH), "value_type": ColumnType.BOOL}
    data = {"payee": "a", "period": "2026-03", "name": "certified", "value": "TRUE", "ref": REF}
    assert MetricEntry.model_validate(data, context=context).value is True
    without = MetricEntry.model_validate(data)
    assert without.value == "TRUE"  # no declared type: the text as given
