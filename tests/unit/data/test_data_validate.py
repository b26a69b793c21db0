"""Dataset.validate: every check, with the exact file, row, column and message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from data_samples import LEDGER, METRICS, QUOTAS, ROSTER, WriteDir, requirements

from incentives.data import DataRequirements, Dataset, RawRow, RawTable
from incentives.diagnostics import Diagnostic, Severity
from incentives.errors import DataError
from incentives.periods import PeriodKind, PeriodScheme
from incentives.values import ColumnType

LEDGER_HEADER = LEDGER.splitlines()[0]
ROSTER_HEADER = ROSTER.splitlines()[0]


def failures(directory: Path, req: DataRequirements) -> list[Diagnostic]:
    with pytest.raises(DataError) as caught:
        Dataset.from_dir(directory).validate(req)
    assert all(d.severity is Severity.ERROR for d in caught.value.diagnostics)
    return caught.value.diagnostics


def where(d: Diagnostic) -> tuple[str, str, int, int]:
    return (d.code, Path(d.span.file).name, d.span.line, d.span.column)


def the_one(found: list[Diagnostic]) -> Diagnostic:
    assert len(found) == 1, [f"{where(d)} {d.message}" for d in found]
    return found[0]


def test_valid_data_is_typed_and_in_canonical_order(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    directory = write_dir()
    data = Dataset.from_dir(directory).validate(req)
    assert [line.txn_id for line in data.ledger] == ["T1", "T2", "T3"]
    first = data.ledger[0]
    assert (first.date, first.payee, first.amount, first.currency) == (
        date(2026, 1, 5),
        "alice",
        Decimal("100.00"),
        "USD",
    )
    assert first.values == {"product": "widget", "units": Decimal(3)}
    assert first.ref.source == str(directory / "ledger.csv") and first.ref.row == 3
    assert list(data.roster) == ["alice", "bob"]
    bob = data.roster["bob"]
    assert (bob.name, bob.role, bob.manager, bob.fte) == (
        "Bob Bell",
        "rep",
        "alice",
        Decimal("0.5"),
    )
    assert (bob.start_date, bob.end_date, bob.payout_currency, bob.plan) == (
        date(2026, 1, 11),
        date(2026, 12, 31),
        None,
        "standard",
    )
    assert bob.fields == {"region": "south"}  # `role` is standard: not in fields
    assert data.roster["alice"].manager is None and data.roster["alice"].end_date is None
    assert list(data.quotas) == [("alice", "2026-Q1"), ("bob", "2026-Q1")]
    assert data.quotas[("bob", "2026-Q1")].amount == Decimal("15000.00")
    assert list(data.metrics) == [("alice", "2026-01", "csat"), ("bob", "2026-01", "csat")]
    assert data.metrics[("alice", "2026-01", "csat")].value == Decimal("0.925")
    assert data.ignored_metrics == {"hours": 1}
    assert data.rows_read == {"ledger": 3, "roster": 2, "quotas": 2, "metrics": 3}


# --- D602 missing columns ------------------------------------------------------


def test_missing_core_column_with_a_case_hint(write_dir: WriteDir, req: DataRequirements) -> None:
    ledger = LEDGER.replace("amount", "Amount", 1)
    problem = the_one(failures(write_dir(ledger=ledger), req))
    assert where(problem) == ("D602", "ledger.csv", 1, 0)
    assert problem.message == "column `amount` is missing from the ledger: every ledger has it"
    assert problem.hint == (
        "the header has `Amount`; column names must match exactly: rename it to `amount`"
    )


def test_missing_column_with_a_whitespace_hint(req: DataRequirements) -> None:
    roster = RawTable("roster", "r.csv", ("payee", "fte", "start_date"), ())
    ledger = RawTable("ledger", "l.csv", ("txn_id", "date", "payee", " currency", "amount"), ())
    with pytest.raises(DataError) as caught:
        Dataset.from_tables(ledger=ledger, roster=roster).validate(
            requirements(ledger_columns={}, roster_fields={})
        )
    hints = [d.hint for d in caught.value.diagnostics if d.code == "D602"]
    assert hints == [
        "the header has ` currency`; column names must match exactly: rename it to `currency`"
    ]


def test_missing_declared_columns(write_dir: WriteDir) -> None:
    req = requirements(
        ledger_columns={"unit": ColumnType.COUNT}, roster_fields={"territory": ColumnType.TEXT}
    )
    found = failures(write_dir(), req)
    assert [(where(d), d.message, d.hint) for d in found] == [
        (
            ("D602", "ledger.csv", 1, 0),
            "column `unit` is missing from the ledger: the plan reads it",
            "is `units` meant to be `unit`? rename it",
        ),
        (
            ("D602", "roster.csv", 1, 0),
            "column `territory` is missing from the roster: the plan reads it",
            "add a `territory` column to the header, with a value on every row",
        ),
    ]


@pytest.mark.parametrize(
    ("flag", "column", "reason"),
    [
        ("needs_fte", "fte", "the plan prorates by FTE"),
        ("needs_start_date", "start_date", "the plan prorates by days active"),
    ],
)
def test_proration_needs_its_column(
    write_dir: WriteDir, flag: str, column: str, reason: str
) -> None:
    roster = "payee,role,region\nalice,rep,north\nbob,rep,south\n"
    directory = write_dir(roster=roster)
    without = requirements(needs_fte=False, needs_start_date=False)
    Dataset.from_dir(directory).validate(without)  # fine without proration
    needs = requirements(needs_fte=flag == "needs_fte", needs_start_date=flag != "needs_fte")
    problem = the_one(failures(directory, needs))
    assert where(problem) == ("D602", "roster.csv", 1, 0)
    assert problem.message == f"column `{column}` is missing from the roster: {reason}"


def test_missing_columns_stop_that_table_only(write_dir: WriteDir, req: DataRequirements) -> None:
    quotas = "payee,period,amount\nalice,2026-Q1,1\n"
    ledger = LEDGER + "T9,2026-01-05,alice,oops,USD,x,1\n"
    found = failures(write_dir(quotas=quotas, ledger=ledger), req)
    assert [where(d) for d in found] == [("D603", "ledger.csv", 5, 4), ("D602", "quotas.csv", 1, 0)]


# --- D603 bad cells ----------------------------------------------------------------


def test_bad_amount_names_the_column(write_dir: WriteDir, req: DataRequirements) -> None:
    ledger = LEDGER + 'T4,2026-01-07,bob,"1,234.50",USD,gadget,1\n'
    problem = the_one(failures(write_dir(ledger=ledger), req))
    assert where(problem) == ("D603", "ledger.csv", 5, 4)
    assert (problem.span.end_line, problem.span.end_column) == (5, 5)
    assert problem.message == "column `amount`: `1,234.50` is not a plain decimal number"
    assert problem.hint == "remove the thousands separators, like 1234.50"


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("T4,2026-02-30,bob,1,USD,g,1", 2, "column `date`: `2026-02-30` is not a day"),
        ("T4,2026-01-07,bob,,USD,g,1", 4, "column `amount`: empty cell; a value is required"),
        ("T4,2026-01-07,bob,1,USD,g,2.5", 7, "column `units`: `2.5` is not a whole number"),
        ("T4,2026-01-07, bob,1,USD,g,1", 3, "column `payee`: ` bob` has spaces around it"),
        ("T4 ,2026-01-07,bob,1,USD,g,1", 1, "column `txn_id`: `T4 ` has spaces around it"),
    ],
)
def test_bad_ledger_cells(
    write_dir: WriteDir, req: DataRequirements, row: str, column: int, fragment: str
) -> None:
    problem = the_one(failures(write_dir(ledger=f"{LEDGER}{row}\n"), req))
    assert where(problem) == ("D603", "ledger.csv", 5, column)
    assert problem.message.startswith(fragment)


def test_all_bad_cells_of_a_row_are_reported(write_dir: WriteDir, req: DataRequirements) -> None:
    found = failures(write_dir(ledger=f"{LEDGER},yesterday,bob,1e3,USD,g,many\n"), req)
    assert [where(d)[3] for d in found] == [1, 2, 4, 7]


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("carol,C,rep,,1.5,2026-01-01,,,,x", 5, "column `fte`: `1.5` is not between 0"),
        ("carol,C,rep,,0,2026-01-01,,,,x", 5, "column `fte`: `0` is not between 0"),
        ("carol,C,rep,,,2026-01-01,,,,x", 5, "column `fte`: empty cell; the plan prorates by FTE"),
        (
            "carol,C,rep,,1,2026-03-01,2026-02-28,,,x",
            7,
            "column `end_date`: the end date 2026-02-28 is before the start date 2026-03-01",
        ),
        ("carol,C,rep,,1,March 1,,,,x", 6, "column `start_date`: `March 1` is not a date"),
    ],
)
def test_bad_roster_cells(
    write_dir: WriteDir, req: DataRequirements, row: str, column: int, fragment: str
) -> None:
    problem = the_one(failures(write_dir(roster=f"{ROSTER}{row}\n"), req))
    assert where(problem) == ("D603", "roster.csv", 4, column)
    assert problem.message.startswith(fragment)


def test_empty_start_date_is_allowed(write_dir: WriteDir, req: DataRequirements) -> None:
    data = Dataset.from_dir(write_dir(roster=f"{ROSTER}carol,C,rep,,1,,,,,x\n")).validate(req)
    assert data.roster["carol"].start_date is None


def test_custom_roster_fields_are_typed(write_dir: WriteDir) -> None:
    roster = "payee,fte,start_date,certified\nalice,1,,TRUE\nbob,1,,maybe\n"
    req = requirements(roster_fields={"certified": ColumnType.BOOL})
    problem = the_one(failures(write_dir(roster=roster), req))
    assert where(problem) == ("D603", "roster.csv", 3, 4)
    assert problem.message == "column `certified`: `maybe` is not true or false"


def test_standard_roster_fields_keep_their_types(write_dir: WriteDir) -> None:
    req = requirements(roster_fields={"fte": ColumnType.TEXT, "start_date": ColumnType.TEXT})
    data = Dataset.from_dir(write_dir()).validate(req)
    assert data.roster["bob"].fte == Decimal("0.5")
    assert data.roster["bob"].fields == {}


def test_bad_quota_and_metric_periods(write_dir: WriteDir, req: DataRequirements) -> None:
    quotas = QUOTAS + "alice,2026-04,1,USD\n"
    metrics = METRICS + "alice,2026-Q1,csat,90%\nbob,2026-02,csat,0.9\n"
    found = failures(write_dir(quotas=quotas, metrics=metrics), req)
    assert [(where(d), d.message, d.hint) for d in found] == [
        (
            ("D603", "metrics.csv", 5, 2),
            "column `period`: `2026-Q1` is a quarter, but this plan pays by month",
            "name a month such as 2026-03",
        ),
        (
            ("D603", "metrics.csv", 6, 4),
            "column `value`: `0.9` is not a percent",
            "write 5% for five percent",
        ),
        (
            ("D603", "quotas.csv", 4, 2),
            # the plan pays by month; its quota goals are per quarter
            "column `period`: `2026-04` is a month, but this plan's quota goals are per quarter",
            "name a quarter such as 2026-Q1",
        ),
    ]


def test_two_week_labels_are_canonical_start_dates(write_dir: WriteDir) -> None:
    scheme = PeriodScheme(PeriodKind.TWO_WEEKS, date(2026, 1, 5))
    metrics = "payee,period,name,value\nalice,2026-01-05,csat,1%\nbob,2026-01-12,csat,2%\n"
    req = requirements(scheme=scheme, quota_scheme=None)
    data = Dataset.from_dir(write_dir(metrics=metrics)).validate(req)
    assert list(data.metrics) == [("alice", "2026-01-05", "csat"), ("bob", "2026-01-05", "csat")]


# --- D604 duplicates --------------------------------------------------------------


def test_duplicate_txn_id_names_both_rows(write_dir: WriteDir, req: DataRequirements) -> None:
    source = str(write_dir(ledger=LEDGER + "T2,2026-01-09,alice,5,USD,g,1\n") / "ledger.csv")
    problem = the_one(failures(Path(source).parent, req))
    assert where(problem) == ("D604", "ledger.csv", 5, 1)
    assert problem.message == "column `txn_id`: txn_id `T2` appears twice: on row 2 and on row 5"
    [related] = problem.related
    assert (related.span.file, related.span.line, related.span.column) == (source, 2, 1)
    assert related.message == "first used here"


@pytest.mark.parametrize(
    ("table", "extra", "expected", "message"),
    [
        (
            "roster",
            "alice,Again,rep,,1,,,,,x\n",
            ("D604", "roster.csv", 4, 1),
            "column `payee`: payee `alice` appears twice: on row 2 and on row 4",
        ),
        (
            "quotas",
            "alice,2026-02-15,5,USD\n",
            ("D604", "quotas.csv", 4, 2),
            "column `period`: the quota of `alice` for 2026-Q1 appears twice: "
            "on row 2 and on row 4",
        ),
        (
            "metrics",
            "bob,2026-01,csat,1%\n",
            ("D604", "metrics.csv", 5, 2),
            "column `period`: metric `csat` of `bob` for 2026-01 appears twice: "
            "on row 3 and on row 5",
        ),
    ],
)
def test_duplicate_keys(
    write_dir: WriteDir,
    req: DataRequirements,
    table: str,
    extra: str,
    expected: tuple[str, str, int, int],
    message: str,
) -> None:
    base = {"roster": ROSTER, "quotas": QUOTAS, "metrics": METRICS}[table]
    problem = the_one(failures(write_dir(**{table: base + extra}), req))
    assert where(problem) == expected
    assert problem.message == message


# --- D605 unknown payees -------------------------------------------------------------


def test_unknown_payees_everywhere(write_dir: WriteDir, req: DataRequirements) -> None:
    found = failures(
        write_dir(
            ledger=LEDGER + "T4,2026-01-07,alcie,1,USD,g,1\n",
            quotas=QUOTAS + "zed,2026-Q2,1,USD\n",
            metrics=METRICS + "zed,2026-02,csat,1%\n",
            roster=ROSTER + "carol,C,rep,zoe,1,,,,,x\n",
        ),
        req,
    )
    assert [(where(d), d.message, d.hint) for d in found] == [
        (
            ("D605", "ledger.csv", 5, 3),
            "column `payee`: `alcie` is not a payee in the roster",
            "did you mean `alice`?",
        ),
        (
            ("D605", "metrics.csv", 5, 1),
            "column `payee`: `zed` is not a payee in the roster",
            "add the payee to the roster",
        ),
        (
            ("D605", "quotas.csv", 4, 1),
            "column `payee`: `zed` is not a payee in the roster",
            "add the payee to the roster",
        ),
        (
            ("D605", "roster.csv", 4, 4),
            "column `manager`: `zoe` is not a payee in the roster",
            "add the payee to the roster",
        ),
    ]


def test_payee_is_checked_even_when_the_row_has_other_errors(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    found = failures(write_dir(ledger=LEDGER + "T4,2026-01-07,nobody,x,USD,g,1\n"), req)
    assert [where(d) for d in found] == [
        ("D605", "ledger.csv", 5, 3),
        ("D603", "ledger.csv", 5, 4),
    ]


# --- D606 currencies ----------------------------------------------------------------


def test_currency_of_another_plan(write_dir: WriteDir, req: DataRequirements) -> None:
    found = failures(
        write_dir(
            ledger=LEDGER + "T4,2026-01-07,bob,1,EUR,g,1\n", quotas=QUOTAS + "bob,2026-Q2,1,GBP\n"
        ),
        req,
    )
    assert [(where(d), d.message) for d in found] == [
        (
            ("D606", "ledger.csv", 5, 5),
            "column `currency`: this plan pays in USD; the line is in EUR "
            "and the plan declares no conversion",
        ),
        (
            ("D606", "quotas.csv", 4, 4),
            "column `currency`: this plan pays in USD; the quota is in GBP "
            "and the plan declares no conversion",
        ),
    ]


def test_unknown_currency_codes(write_dir: WriteDir, req: DataRequirements) -> None:
    found = failures(
        write_dir(
            ledger=LEDGER + "T4,2026-01-07,bob,1,usd,g,1\n",
            roster=ROSTER + "carol,C,rep,,1,,,DOLLARS,,x\n",
        ),
        req,
    )
    assert [(where(d), d.message, d.hint) for d in found] == [
        (
            ("D606", "ledger.csv", 5, 5),
            "column `currency`: `usd` is not an ISO 4217 currency code",
            "did you mean USD?",
        ),
        (
            ("D606", "roster.csv", 4, 8),
            "column `payout_currency`: `DOLLARS` is not an ISO 4217 currency code",
            "write an ISO 4217 code in capitals, like USD or EUR",
        ),
    ]


# --- D613 cap, D614 manager loops ---------------------------------------------------------


def test_problems_are_capped_per_file(write_dir: WriteDir, req: DataRequirements) -> None:
    rows = "".join(f"X{i:03d},2026-01-05,alice,bad,USD,g,1\n" for i in range(250))
    ledger_dir = write_dir(ledger=LEDGER + rows, roster=ROSTER + "carol,C,rep,,2,,,,,x\n")
    with pytest.raises(DataError) as caught:
        Dataset.from_dir(ledger_dir).validate(req)
    assert str(caught.value) == "251 problems in the data"
    found = caught.value.diagnostics
    ledger = [d for d in found if d.span.file.endswith("ledger.csv")]
    assert len(ledger) == 201
    assert [d.span.line for d in ledger[:200]] == list(range(5, 205))
    last = ledger[-1]
    assert where(last) == ("D613", "ledger.csv", 205, 4)
    assert last.message == f"and 50 more problems in {ledger_dir / 'ledger.csv'}"
    assert [where(d) for d in found if d not in ledger] == [("D603", "roster.csv", 4, 5)]


def test_a_manager_loop_is_reported_on_a_row_with_other_problems(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    roster = ROSTER.replace("alice,Alice Ames,manager,,1,", "alice,Alice Ames,manager,alice,-1,")
    found = failures(write_dir(roster=roster), req)
    assert [(where(d), d.message) for d in found] == [
        (("D614", "roster.csv", 2, 4), "column `manager`: the manager chain loops: alice → alice"),
        (("D603", "roster.csv", 2, 5), "column `fte`: `-1` is not between 0 (excluded) and 1"),
    ]


def test_manager_loops_are_reported_once(write_dir: WriteDir, req: DataRequirements) -> None:
    roster = (
        "payee,manager,fte,start_date\n"
        "dana,carl,1,\n"
        "carl,bea,1,\n"
        "bea,dana,1,\n"
        "erin,dana,1,\n"
        "finn,finn,1,\n"
        "alice,,1,\n"
        "bob,alice,1,\n"
    )
    found = failures(write_dir(roster=roster), requirements(roster_fields={}))
    assert [(where(d), d.message) for d in found] == [
        (
            ("D614", "roster.csv", 4, 2),
            "column `manager`: the manager chain loops: bea → dana → carl → bea",
        ),
        (("D614", "roster.csv", 6, 2), "column `manager`: the manager chain loops: finn → finn"),
    ]


# --- what the plan does not read ------------------------------------------------------


def test_quotas_are_ignored_when_the_plan_reads_none(write_dir: WriteDir) -> None:
    directory = write_dir(quotas="payee,period\nnobody,never\n")
    data = Dataset.from_dir(directory).validate(requirements(quota_scheme=None))
    assert data.quotas == {}
    assert data.rows_read["quotas"] == 1


def test_undeclared_metrics_are_ignored_but_counted(write_dir: WriteDir) -> None:
    metrics = METRICS + "nobody,whenever,nps,not a number\nbob,2026-02,hours,9\n"
    data = Dataset.from_dir(write_dir(metrics=metrics)).validate(requirements())
    assert data.ignored_metrics == {"hours": 2, "nps": 1}
    assert len(data.metrics) == 2


def test_a_metric_name_with_spaces_is_not_silently_ignored(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    problem = the_one(failures(write_dir(metrics=METRICS + "bob,2026-02, csat,5%\n"), req))
    assert where(problem) == ("D603", "metrics.csv", 5, 3)
    assert problem.hint == "remove the spaces: `csat`"


def test_no_quotas_or_metrics_files(write_dir: WriteDir, req: DataRequirements) -> None:
    data = Dataset.from_dir(write_dir(quotas=None, metrics=None)).validate(req)
    assert (data.quotas, data.metrics, data.rows_read) == ({}, {}, {"ledger": 3, "roster": 2})


def test_empty_ledger_is_valid(write_dir: WriteDir, req: DataRequirements) -> None:
    data = Dataset.from_dir(write_dir(ledger=LEDGER_HEADER + "\n")).validate(req)
    assert data.ledger == ()


def test_diagnostics_of_all_tables_are_sorted(write_dir: WriteDir, req: DataRequirements) -> None:
    found = failures(
        write_dir(
            roster=ROSTER + "carol,C,rep,nobody,9,,,,,x\n",
            ledger=LEDGER + "T1,2026-01-05,zed,x,EUR,g,y\n",
        ),
        req,
    )
    keys = [(d.span.file, d.span.line, d.span.column, d.code) for d in found]
    assert keys == sorted(keys)
    assert len(found) == 7


def test_validation_raises_data_error_with_a_count(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    dataset = Dataset.from_dir(write_dir(ledger=LEDGER + "T4,2026-01-07,bob,1,EUR,g,1\n"))
    with pytest.raises(DataError, match=r"^1 problem in the data$"):
        dataset.validate(req)


def test_rows_from_tables_keep_their_numbers(req: DataRequirements) -> None:
    ledger = RawTable(
        "ledger",
        "<x>",
        ("txn_id", "date", "payee", "amount", "currency", "product", "units"),
        (RawRow(7, ("T1", "2026-01-05", "alice", "1", "USD", "g", "z")),),
    )
    roster = RawTable(
        "roster", "<r>", ("payee", "fte", "start_date"), (RawRow(1, ("alice", "1", "")),)
    )
    with pytest.raises(DataError) as caught:
        Dataset.from_tables(ledger=ledger, roster=roster).validate(
            requirements(roster_fields={}, metrics={})
        )
    assert [
        (d.code, d.span.file, d.span.line, d.span.column) for d in caught.value.diagnostics
    ] == [("D603", "<x>", 7, 7)]


# --- every problem, printable, with a hint -----------------------------------------


def test_control_and_direction_characters_are_shown_escaped(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    ledger = LEDGER + 'T4,2026-01-07,bob\u202e,100.00\x00,USD,"two\nlines",1\n'
    found = failures(write_dir(ledger=ledger), req)
    assert [(d.message, d.hint) for d in found] == [
        (
            "column `payee`: `bob\\u202e` is not a payee in the roster",
            "did you mean `bob`?",
        ),
        (
            "column `amount`: `100.00\\u0000` is not a plain decimal number",
            "delete the invisible character (shown as \\u…) from the cell",
        ),
    ]


def test_every_problem_of_a_broken_ledger_has_a_hint(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    ledger = (
        "txn_id,date,payee,amount,currency,product,units\n"
        ",2026-01-05,alice,NaN,,widget,\n"
        "T2,,zed,0.0049999999999999,EUR,widget,1.5\n"
        "T3,2026-02-30,alice,1000000000000000000000,usd,widget,1\n"
    )
    found = failures(write_dir(ledger=ledger), req)
    assert len(found) == 12, [where(d) for d in found]
    assert all(d.hint and "\n" not in d.hint for d in found), [(where(d), d.message) for d in found]


def test_a_missing_column_without_a_close_name_says_to_add_it(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    ledger = LEDGER.replace(",currency", ",cur_code")
    problem = the_one(failures(write_dir(ledger=ledger), req))
    assert problem.hint == "add a `currency` column to the header, with a value on every row"


def test_a_semicolon_header_is_named_even_without_a_ragged_row(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    # No decimal commas: every row is one cell, as the header is; one D607
    # says what happened, not a D602 for each column.
    ledger = LEDGER.replace(",", ";")
    with pytest.raises(DataError) as caught:
        Dataset.from_dir(write_dir(ledger=ledger))
    problem = the_one(caught.value.diagnostics)
    assert where(problem) == ("D607", "ledger.csv", 1, 0)
    assert problem.message == (
        "the header is a single column, `txn_id;date;payee;amount;currency;product;units`: "
        "the file is separated by `;` (semicolons), not by commas"
    )
    assert problem.hint == "export it again as comma-separated CSV (in Excel: Save As > CSV UTF-8)"


def test_a_tab_separated_file_is_named_as_such(write_dir: WriteDir) -> None:
    with pytest.raises(DataError) as caught:
        Dataset.from_dir(write_dir(roster="payee\tname\nalice\tA\n"))
    problem = the_one(caught.value.diagnostics)
    assert where(problem) == ("D607", "roster.csv", 1, 0)
    assert "separated by tabs" in problem.message


def test_currency_problems_say_what_to_do(write_dir: WriteDir, req: DataRequirements) -> None:
    ledger = LEDGER.replace("250.50,USD", "250.50,EUR").replace("100.00,USD", "100.00,")
    quotas = QUOTAS.replace("15000.00,USD", "15000.00,EUR")
    found = failures(write_dir(ledger=ledger, quotas=quotas), req)
    assert [(where(d), d.hint) for d in found] == [
        (
            ("D606", "ledger.csv", 2, 5),
            "correct the currency, or convert the line to USD before the export",
        ),
        (("D606", "ledger.csv", 3, 5), "write the currency's ISO 4217 code, like USD"),
        (("D606", "quotas.csv", 3, 4), "write the quota in USD"),
    ]


def test_an_empty_fte_says_what_to_write(write_dir: WriteDir, req: DataRequirements) -> None:
    roster = ROSTER.replace("rep,alice,0.5,", "rep,alice,,")
    problem = the_one(failures(write_dir(roster=roster), req))
    assert where(problem) == ("D603", "roster.csv", 3, 5)
    assert problem.hint == "write the fraction of full time worked, like 1 or 0.5"


def test_a_split_of_a_line_with_a_bad_cell_is_not_also_an_unknown_line(
    write_dir: WriteDir,
) -> None:
    req = requirements(splits=True)
    ledger = LEDGER.replace("250.50", "250.50x")
    splits = "txn_id,payee,share\nT2,bob,100%\n"
    directory = write_dir(ledger=ledger)
    (directory / "splits.csv").write_text(splits)
    found = failures(directory, req)
    assert [where(d)[0] for d in found] == ["D603"]


def test_every_problem_of_a_split_row_is_reported(write_dir: WriteDir) -> None:
    req = requirements(splits=True, overlays=frozenset({"mentor"}))
    splits = "txn_id,payee,share,credit\nT9,zed,half,\nT2,bob,50%,mentr\nT2,bob,100%,\n"
    directory = write_dir()
    (directory / "splits.csv").write_text(splits)
    found = failures(directory, req)
    assert [where(d) for d in found] == [
        ("D616", "splits.csv", 2, 1),
        ("D605", "splits.csv", 2, 2),
        ("D603", "splits.csv", 2, 3),
        ("D615", "splits.csv", 3, 4),
    ]


def test_dates_and_periods_with_full_width_digits_are_refused(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    # int() reads `２０２６` as 2026; a date or period is written with 0 to 9,
    # as an amount is.
    directory = write_dir(
        ledger=LEDGER.replace("2026-01-06", "２０２６-01-06"),
        roster=ROSTER.replace("2025-01-01", "2025-0１-01"),
        quotas=QUOTAS.replace("alice,2026-Q1", "alice,２０２６-Q1"),
        metrics=METRICS.replace("bob,2026-01,csat", "bob,2026-０1,csat"),
    )
    found = failures(directory, req)
    assert [where(d) for d in found] == [
        ("D603", "ledger.csv", 2, 2),
        ("D603", "metrics.csv", 3, 2),
        ("D603", "quotas.csv", 2, 2),
        ("D603", "roster.csv", 2, 6),
    ]
    assert all(d.hint and d.hint.startswith("write the digits as 0 to 9") for d in found)


# --- text the plan reads, with spaces around it ----------------------------------------


def test_declared_text_with_spaces_around_it_is_refused(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    # `widget ` would silently not match "widget" in the plan.
    ledger = LEDGER.replace("USD,widget,3", "USD,widget ,3")
    roster = ROSTER.replace(",north", ", north")
    found = failures(write_dir(ledger=ledger, roster=roster), req)
    assert [(where(d), d.message, d.hint) for d in found] == [
        (
            ("D603", "ledger.csv", 3, 6),
            "column `product`: `widget ` has spaces around it",
            "remove the spaces: `widget`",
        ),
        (
            ("D603", "roster.csv", 2, 10),
            "column `region`: ` north` has spaces around it",
            "remove the spaces: `north`",
        ),
    ]


def test_the_roster_plan_with_spaces_around_it_is_refused(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    # `standard ` is not the plan's name: every payee would be on another plan.
    roster = ROSTER.replace(",standard,", ",standard ,")
    found = failures(write_dir(roster=roster), req)
    assert [(where(d), d.message, d.hint) for d in found] == [
        (
            ("D603", "roster.csv", row, 9),
            "column `plan`: `standard ` has spaces around it",
            "remove the spaces: `standard`",
        )
        for row in (2, 3)
    ]


def test_standard_roster_text_is_checked_when_the_plan_reads_it(write_dir: WriteDir) -> None:
    roster = ROSTER.replace("Bob Bell,rep,", " Bob Bell,rep ,")
    # `role` is declared, `name` is not (shown in statements, never compared).
    found = failures(write_dir(roster=roster), requirements())
    assert [(where(d), d.message) for d in found] == [
        (("D603", "roster.csv", 3, 3), "column `role`: `rep ` has spaces around it")
    ]
    data = Dataset.from_dir(write_dir(roster=roster)).validate(requirements(roster_fields={}))
    assert data.roster["bob"].name == " Bob Bell"


def test_a_text_metric_with_spaces_around_it_is_refused(write_dir: WriteDir) -> None:
    metrics = "payee,period,name,value\nalice,2026-01,tier,gold \nbob,2026-01,tier,   \n"
    req = requirements(metrics={"tier": (ColumnType.TEXT, None)})
    found = failures(write_dir(metrics=metrics), req)
    assert [(where(d), d.message, d.hint) for d in found] == [
        (
            ("D603", "metrics.csv", 2, 4),
            "column `value`: `gold ` has spaces around it",
            "remove the spaces: `gold`",
        ),
        (
            ("D603", "metrics.csv", 3, 4),
            "column `value`: the cell holds only spaces",
            "leave it empty, or write the value",
        ),
    ]


def test_undeclared_text_columns_are_not_read(write_dir: WriteDir) -> None:
    ledger = LEDGER.replace("USD,widget,3", "USD,widget ,3")
    data = Dataset.from_dir(write_dir(ledger=ledger)).validate(requirements(ledger_columns={}))
    assert len(data.ledger) == 3


# --- D619 metric names close to a declared one ----------------------------------------


@pytest.mark.parametrize("name", ["CSAT", "Csat", "cast", "csatt", "sat"])
def test_a_metric_name_close_to_a_declared_one_is_an_error(
    write_dir: WriteDir, req: DataRequirements, name: str
) -> None:
    # Ignored, the row would silently leave `csat` to its default.
    problem = the_one(failures(write_dir(metrics=METRICS + f"alice,2026-02,{name},90%\n"), req))
    assert where(problem) == ("D619", "metrics.csv", 5, 3)
    assert problem.message == f"column `name`: `{name}` is not a metric the plan declares"
    assert problem.hint == "did you mean `csat`? metric names must match the plan's exactly"


def test_a_misspelt_metric_row_still_has_its_payee_checked(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    found = failures(write_dir(metrics=METRICS + "zed,2026-02,CSAT,90%\n"), req)
    assert [where(d) for d in found] == [
        ("D605", "metrics.csv", 5, 1),
        ("D619", "metrics.csv", 5, 3),
    ]


def test_metric_names_far_from_every_declared_one_are_other_plans_metrics(
    write_dir: WriteDir,
) -> None:
    metrics = METRICS + "bob,2026-02,nps,40\nbob,2026-02,csat_score,4\n"
    data = Dataset.from_dir(write_dir(metrics=metrics)).validate(requirements())
    assert data.ignored_metrics == {"csat_score": 1, "hours": 1, "nps": 1}


def test_a_cell_too_long_does_not_hide_the_other_problems_of_its_file(
    write_dir: WriteDir, req: DataRequirements
) -> None:
    long = "w" * 200_000
    ledger = LEDGER.replace("USD,widget,3", f"USD,{long},3") + "T4,2026-01-07,bob,abc,USD,g,1\n"
    found = failures(write_dir(ledger=ledger), req)
    assert [where(d) for d in found] == [("D610", "ledger.csv", 3, 6), ("D603", "ledger.csv", 5, 4)]
    assert found[0].message == (
        "row 3, column `product`: the cell is 200,000 characters long; a cell holds at most 131,072"
    )
