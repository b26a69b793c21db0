"""Broken CSV exports: every problem reported by file, row and column; no row lost.

``tests/robustness/data/<case>/`` holds the exports a new user would try
(spreadsheet habits, other encodings, Decimal forms that money must refuse,
impossible dates, unknown payees and currencies, a manager cycle, zero and
negative quotas …). Cases with ``quotas.csv`` run ``quotas.plan``, the others
``simple.plan``; every run is for 2026-03.

Contract checked for each case:

* refused data: one :class:`~incentives.DataError` listing *every* problem
  (code, file, row, column exactly as in :data:`REFUSED`), each with a
  one-line message free of raw control characters and a one-line hint;
  ``incentives run`` exits 2, prints ``file:row:col: error[CODE]`` for each
  and no traceback, and prints no statements;
* accepted data: every ledger row is accounted for, as credited or excluded
  with a reason (:data:`ACCEPTED`), and the table says so.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

import incentives

from .fuzzing import ledger_rows
from .support import DATA, REPO, assert_no_traceback, cli_invoke, cli_subprocess

PERIOD = "2026-03"

#: Case → every problem expected: (code, file, row, column).
REFUSED: dict[str, set[tuple[str, str, int, int]]] = {
    "bad_fte": {("D603", "roster.csv", 2, 2), ("D603", "roster.csv", 3, 2)},
    "bad_metrics": {
        ("D603", "metrics.csv", 2, 4),
        ("D603", "metrics.csv", 3, 4),
        ("D605", "metrics.csv", 5, 1),
    },
    "bad_quota_rows": {
        ("D603", "quotas.csv", 2, 2),
        ("D603", "quotas.csv", 3, 2),
        ("D603", "quotas.csv", 4, 2),
        ("D606", "quotas.csv", 5, 4),
        ("D605", "quotas.csv", 6, 1),
    },
    "bad_units": {
        ("D603", "ledger.csv", 2, 6),
        ("D603", "ledger.csv", 3, 6),
        ("D603", "ledger.csv", 4, 6),
    },
    "bidi_in_cell": {("D605", "ledger.csv", 2, 3)},
    "blank_and_space_lines": {("D607", "ledger.csv", 4, 0)},
    "decimal_forms_money_refuses": {("D603", "ledger.csv", row, 4) for row in range(2, 20)},
    "duplicate_payee": {("D604", "roster.csv", 4, 1)},
    "duplicate_quota": {("D604", "quotas.csv", 4, 2)},
    "duplicate_txn_id": {("D604", "ledger.csv", 4, 1)},
    "empty_cells": {
        ("D603", "ledger.csv", 2, 2),
        ("D603", "ledger.csv", 3, 4),
        ("D603", "ledger.csv", 4, 1),
        ("D603", "ledger.csv", 5, 3),
        ("D606", "ledger.csv", 6, 5),
    },
    "empty_ledger": {("D608", "ledger.csv", 1, 0)},
    "float_artifacts": {
        ("D603", "ledger.csv", 2, 4),
        ("D603", "ledger.csv", 3, 4),
        ("D603", "ledger.csv", 4, 4),
    },
    "header_spaces": {("D609", "ledger.csv", 1, 2), ("D609", "ledger.csv", 1, 4)},
    "header_wrong_case": {("D602", "ledger.csv", 1, 0)},
    "impossible_dates": {("D603", "ledger.csv", row, 2) for row in range(2, 12)},
    "latin1_roster": {("D601", "roster.csv", 3, 0)},
    "manager_cycle": {("D614", "roster.csv", 2, 2)},
    # A loop is still found on a row with another problem.
    "manager_cycle_and_bad_fte": {("D614", "roster.csv", 2, 2), ("D603", "roster.csv", 2, 3)},
    "missing_column": {("D602", "ledger.csv", 1, 0)},
    "missing_fte_column": {("D602", "roster.csv", 1, 0)},
    "missing_roster": {("D612", "roster.csv", 0, 0)},
    "negative_quota": {("D603", "quotas.csv", 2, 3)},
    "nul_in_cell": {("D603", "ledger.csv", 2, 4)},
    "ragged_and_bad_cells": {
        # One run lists every problem of the file, not the structural ones first.
        ("D607", "ledger.csv", 2, 0),
        ("D603", "ledger.csv", 3, 2),
        ("D605", "ledger.csv", 4, 3),
    },
    "ragged_rows": {("D607", "ledger.csv", 2, 0), ("D607", "ledger.csv", 3, 0)},
    "roster_dates": {("D603", "roster.csv", 2, 3), ("D603", "roster.csv", 3, 2)},
    # Without a decimal comma every row is one cell, as the header is.
    "semicolon_no_commas": {("D607", "ledger.csv", 1, 0)},
    "semicolon_separated": {("D607", "ledger.csv", 2, 0)},
    "spaces_around_keys": {
        ("D603", "ledger.csv", 2, 1),
        ("D603", "ledger.csv", 2, 3),
        ("D603", "ledger.csv", 3, 3),
    },
    "too_many_digits": {
        ("D603", "ledger.csv", 2, 4),
        ("D603", "ledger.csv", 3, 4),
        ("D603", "ledger.csv", 4, 4),
    },
    "unclosed_quote": {("D610", "ledger.csv", 3, 0)},
    "unknown_currency": {("D606", "ledger.csv", row, 5) for row in range(2, 6)},
    "unknown_manager": {("D605", "roster.csv", 2, 2)},
    "unknown_payee": {("D605", "ledger.csv", 2, 3), ("D605", "ledger.csv", 3, 3)},
    "utf16_ledger": {("D601", "ledger.csv", 1, 0)},
}

#: Case → (rows read, rows credited, rows excluded by reason).
ACCEPTED: dict[str, tuple[int, int, dict[str, int]]] = {
    "bom_crlf_quoted": (2, 2, {}),
    "extra_column": (2, 2, {}),
    "header_only_ledger": (0, 0, {}),
    "inactive_and_other_plan": (
        3,
        1,
        {"the payee is on another plan": 1, "the payee was not active on the line's date": 1},
    ),
    # Lines in other years, even on the first and last days of the calendar,
    # are excluded with a reason, never a crash.
    "lines_outside_every_period": (7, 1, {"dated outside the periods of this run": 6}),
}

#: Cases that divide by a zero quota: refused while computing, naming payee and period.
ZERO_QUOTA = "zero_quota"

CASES = sorted(p.name for p in DATA.iterdir() if p.is_dir())


def _plan(case: str) -> Path:
    return DATA / ("quotas.plan" if (DATA / case / "quotas.csv").exists() else "simple.plan")


def _run(case: str) -> incentives.RunResult:
    plan = incentives.load_plan(_plan(case))
    return plan.run(incentives.Dataset.from_dir(DATA / case), period=PERIOD)


def _refused(case: str) -> incentives.DataError:
    try:
        _run(case)
    except incentives.DataError as exc:
        return exc
    raise AssertionError(f"{case} was not refused as data")


def _found(exc: incentives.IncentivesError) -> set[tuple[str, str, int, int]]:
    return {(d.code, Path(d.span.file).name, d.span.line, d.span.column) for d in exc.diagnostics}


def _raw_controls(text: str) -> list[str]:
    return [
        f"U+{ord(ch):04X}"
        for ch in text
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != "\t"
    ]


def test_every_case_has_an_expectation() -> None:
    assert set(CASES) == set(REFUSED) | set(ACCEPTED) | {ZERO_QUOTA}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_export_lists_every_problem_with_its_place(case: str) -> None:
    exc = _refused(case)
    assert _found(exc) == REFUSED[case], exc.diagnostics
    for diagnostic in exc.diagnostics:
        assert diagnostic.span.file.startswith(str(DATA / case)), diagnostic
        assert diagnostic.message.strip() and "\n" not in diagnostic.message


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_export_says_what_to_do(case: str) -> None:
    for diagnostic in _refused(case).diagnostics:
        assert diagnostic.hint, f"{diagnostic.code} has no hint: {diagnostic.message}"
        assert "\n" not in diagnostic.hint


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_printed_problems_show_invisible_characters_as_escapes(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A NUL or a right-to-left override copied from a cell into a message
    # would garble the terminal that shows it; it must be shown escaped.
    monkeypatch.chdir(REPO)
    data = (DATA / case).relative_to(REPO).as_posix()
    plan = _plan(case).relative_to(REPO).as_posix()
    result = cli_invoke("run", plan, "--data", data, "--period", PERIOD)
    assert not _raw_controls(result.stderr.replace("\n", "")), (
        case,
        _raw_controls(result.stderr.replace("\n", "")),
    )


@pytest.mark.parametrize("case", ["semicolon_separated", "semicolon_no_commas"])
def test_a_semicolon_export_is_named_as_such(case: str) -> None:
    # Excel in many locales writes `;`-separated "CSV"; say so, instead of
    # advising to quote values with commas.
    exc = _refused(case)
    advice = " ".join(f"{d.message} {d.hint or ''}" for d in exc.diagnostics)
    assert "`;`" in advice or "semicolon" in advice, advice


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_accepted_export_accounts_for_every_row(case: str) -> None:
    result = _run(case)
    read, credited, excluded = ACCEPTED[case]
    rows = result.rows
    assert (rows.read, rows.credited, rows.excluded) == (read, credited, excluded)
    assert rows.read == ledger_rows((DATA / case / "ledger.csv").read_bytes())
    assert rows.read == rows.credited + sum(rows.excluded.values())


def test_a_zero_quota_is_reported_not_divided_silently() -> None:
    try:
        _run(ZERO_QUOTA)
    except incentives.DataError as exc:
        assert ("quotas.csv", 2, 3) in {
            (Path(d.span.file).name, d.span.line, d.span.column) for d in exc.diagnostics
        }
    except incentives.EvaluationError as exc:
        (diagnostic,) = exc.diagnostics
        assert diagnostic.code == "R702"
        assert "`kim`" in diagnostic.message and PERIOD in diagnostic.message
        assert diagnostic.hint and diagnostic.span.line >= 1
    else:
        raise AssertionError("a zero quota was divided by")


def test_problems_beyond_the_limit_are_counted_not_dropped(tmp_path: Path) -> None:
    rows = "".join(f"t{i},2026-03-32,kim,1.00,USD\n" for i in range(500))
    (tmp_path / "ledger.csv").write_text("txn_id,date,payee,amount,currency\n" + rows)
    (tmp_path / "roster.csv").write_text("payee\nkim\n")
    plan = incentives.load_plan(DATA / "simple.plan")
    with pytest.raises(incentives.DataError) as caught:
        plan.run(incentives.Dataset.from_dir(tmp_path), period=PERIOD)
    found = caught.value.diagnostics
    assert [d.code for d in found] == ["D603"] * 200 + ["D613"]
    assert "300 more" in found[-1].message and found[-1].hint
    assert found[-1].span.line == 202


# ---------------------------------------------------------------------- the CLI


@pytest.mark.parametrize("case", CASES)
def test_incentives_run_reports_each_problem_and_exits_as_designed(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    data = (DATA / case).relative_to(REPO).as_posix()
    plan = _plan(case).relative_to(REPO).as_posix()
    result = cli_invoke("run", plan, "--data", data, "--period", PERIOD)
    assert_no_traceback(result.stdout + result.stderr)
    if case in ACCEPTED:
        assert result.exit_code == 0, result.stderr
        read, credited, _ = ACCEPTED[case]
        assert f"rows: {read} read, {credited} credited" in result.stdout
        return
    if case == ZERO_QUOTA:
        assert result.exit_code in (1, 2), result.stderr
    else:
        assert result.exit_code == 2, result.stderr
        for code, file, row, column in REFUSED[case]:
            place = f"{data}/{file}:{row}" if row else f"{data}/{file}"
            place += f":{column}" if row and column else ""
            assert f"{place}: error[{code}]" in result.stderr, result.stderr
    assert result.stdout == "", "no statement is printed from refused data"


def test_new_user_runs_every_broken_export_in_a_fresh_process() -> None:
    # The same, as a user types it: a real process per case, nothing but
    # diagnostics and an exit code of 1 or 2.
    for case in ("decimal_forms_money_refuses", "latin1_roster", "zero_quota"):
        data = (DATA / case).relative_to(REPO).as_posix()
        plan = _plan(case).relative_to(REPO).as_posix()
        done = cli_subprocess("run", plan, "--data", data, "--period", PERIOD, cwd=REPO)
        err = done.stderr.decode("utf-8")
        assert_no_traceback(err)
        assert done.returncode in (1, 2), err
        assert done.stdout == b""
        assert "error[" in err


EXACT_PLAN = """\
plan "Exact"
  version "1"
  currency USD
  period month
  rounding half_up to 0.01 on components

measure sales = sum amount

commission c
  pays 100% of sales
"""


@pytest.mark.parametrize("order", ["big first", "small first"])
def test_sums_of_valid_amounts_are_exact_or_refused(tmp_path: Path, order: str) -> None:
    # Each amount is valid on its own (at most 30 digits), but their exact sum
    # needs 54: 10^29 + 0.004999… - 10^29 = 0.004999…, which rounds to 0.00.
    # Rounding the running sum to 40 digits makes it 0.005 and pays 0.01.
    # The loader may refuse such amounts; it may not pay a wrong cent.
    amounts = ["1" + "0" * 29, "0.004999999999999999999999", "-1" + "0" * 29]
    ids = ["a", "b", "c"] if order == "big first" else ["c", "a", "b"]
    rows = "".join(
        f"{txn},2026-03-02,kim,{amount},USD\n" for txn, amount in zip(ids, amounts, strict=True)
    )
    (tmp_path / "ledger.csv").write_text("txn_id,date,payee,amount,currency\n" + rows)
    (tmp_path / "roster.csv").write_text("payee\nkim\n")
    plan = incentives.load_plan(EXACT_PLAN)
    try:
        result = plan.run(incentives.Dataset.from_dir(tmp_path), period=PERIOD)
    except incentives.DataError as exc:
        assert {(d.code, d.span.column) for d in exc.diagnostics} <= {("D603", 4)}, exc
        return
    assert result.statements[0].total == 0, result.statements[0].total


def test_a_product_a_hair_below_half_a_cent_rounds_down() -> None:
    # 73.795720079321 × 13.5509891213897227630849838 = 1000.00499…98 exactly
    # (41 digits). Rounded to 40 significant digits first it became 1000.005,
    # and half-up then paid 1000.01: one cent too much.
    plan = incentives.load_plan(
        EXACT_PLAN.replace("pays 100% of sales", "pays sales * 13.5509891213897227630849838")
    )
    data = incentives.Dataset.from_records(
        ledger=[
            {
                "txn_id": "t1",
                "date": "2026-03-02",
                "payee": "kim",
                "amount": "73.795720079321",
                "currency": "USD",
            }
        ],
        roster=[{"payee": "kim"}],
    )
    (statement,) = plan.run(data, period=PERIOD).statements
    assert statement.total == Decimal("1000.00")


def test_a_result_exactly_on_a_boundary_is_not_rounded_down_past_it() -> None:
    # 1,000 / 3,000 x 3,000 is 1,000 exactly, but the division leaves
    # 999.99…9 (100 digits); `down` paid 999.99.
    plan = incentives.load_plan(
        EXACT_PLAN.replace("rounding half_up", "rounding down").replace(
            "pays 100% of sales", "pays sales / 3,000 USD * 3,000 USD"
        )
    )
    data = incentives.Dataset.from_records(
        ledger=[
            {
                "txn_id": "t1",
                "date": "2026-03-02",
                "payee": "kim",
                "amount": "1000",
                "currency": "USD",
            }
        ],
        roster=[{"payee": "kim"}],
    )
    (statement,) = plan.run(data, period=PERIOD).statements
    assert statement.total == Decimal("1000.00")
