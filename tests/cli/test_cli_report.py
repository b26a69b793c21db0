"""``incentives report``: formats, files, exit codes, determinism, and the retail golden file.

The golden file ``tests/golden/report/standing.json`` is the JSON report of
``examples/retail`` under ``plans/retail_floor.plan`` as of 2026-03-12;
``pytest --update-golden`` rewrites it (review the change in the diff).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .cli_support import BAD_PLAN, DIVIDES_BY_ZERO, Golden, Invoke, Workspace

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "golden" / "report" / "standing.json"
RETAIL = ("report", "retail.plan", "--data", "retail", "--as-of", "2026-03-12")
NETWORK = ("http://", "https://", "src=", "<link", "<script", "url(", "@import", 'href="http')


@pytest.fixture
def retail(ws: Workspace) -> Workspace:
    """The workspace with the retail plan (``retail.plan``) and data (``retail/``)."""
    shutil.copy(ROOT / "plans" / "retail_floor.plan", ws.root / "retail.plan")
    shutil.copytree(ROOT / "examples" / "retail", ws.root / "retail")
    return ws


def test_golden_retail_report(invoke: Invoke, golden: Golden, retail: Workspace) -> None:
    result = invoke(*RETAIL)
    assert result.exit_code == 0, result.stderr
    golden(GOLDEN, result.stdout)


def test_json_to_stdout_by_default(invoke: Invoke, retail: Workspace) -> None:
    result = invoke(*RETAIL)
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["period"] == "2026-03"
    assert data["as_of"] == "2026-03-12"
    assert data["proration"]["text"] == "prorated by calendar days: 12 of 31"
    assert data["lines"] == {"counted": 101, "credited": 19, "ignored": 34, "read": 135}
    assert [p["payee"] for p in data["payees"]] == ["ana", "emma", "ben", "chloe", "dev", "femi"]
    first = data["payees"][0]
    assert set(first) >= {"attainment", "payout_to_date", "projected_payout", "measures"}
    assert isinstance(first["payout_to_date"], str)
    assert [b["count"] for b in data["distribution"]] == [2, 1, 0, 0, 3]
    assert set(data["totals"]) == {
        "payout_to_date",
        "projected_payout",
        "sales_measure",
        "sales_to_date",
        "projected_sales",
        "cost_share_to_date",
        "cost_share_projected",
    }


def test_html_file_when_output_ends_with_html(invoke: Invoke, retail: Workspace) -> None:
    result = invoke(*RETAIL, "-o", "out/standing.html")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "wrote out/standing.html\n"
    page = (retail.root / "out" / "standing.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.endswith("</html>\n")
    for needle in NETWORK:
        assert needle not in page
    assert page.count("<svg") == 3
    assert "prorated by calendar days: 12 of 31" in page
    assert "Ana Ruiz" in page
    assert "a projection" in page
    assert list((retail.root / "out").iterdir()) == [retail.root / "out" / "standing.html"]


def test_format_overrides_the_file_name(invoke: Invoke, retail: Workspace) -> None:
    assert invoke(*RETAIL, "-o", "standing.html", "--format", "json").exit_code == 0
    json.loads((retail.root / "standing.html").read_text(encoding="utf-8"))
    assert invoke(*RETAIL, "-o", "standing.txt", "--format", "json").exit_code == 0
    json.loads((retail.root / "standing.txt").read_text(encoding="utf-8"))
    assert invoke(*RETAIL, "-o", "standing.json").exit_code == 0
    json.loads((retail.root / "standing.json").read_text(encoding="utf-8"))
    result = invoke(*RETAIL, "--format", "html")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("name", ["standing.pdf", "standing", "standing.txt"])
def test_a_file_name_that_names_no_format_is_refused(
    invoke: Invoke, retail: Workspace, name: str
) -> None:
    # as plot and doc do: never JSON in a file whose name says something else
    result = invoke(*RETAIL, "-o", name)
    assert result.exit_code == 2
    assert result.stderr == f"error: `{name}`: name a .html, .htm or .json file, or give --format\n"
    assert not (retail.root / name).exists()


def test_the_same_bytes_twice_and_for_shuffled_rows(invoke: Invoke, retail: Workspace) -> None:
    first_json = invoke(*RETAIL).stdout
    first_html = invoke(*RETAIL, "--format", "html").stdout
    assert invoke(*RETAIL).stdout == first_json
    assert invoke(*RETAIL, "--format", "html").stdout == first_html
    for name in ("ledger.csv", "roster.csv", "quotas.csv", "metrics.csv"):
        path = retail.root / "retail" / name
        header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
        random.Random(7).shuffle(rows)
        path.write_text(header + "".join(rows), encoding="utf-8", newline="")
    assert invoke(*RETAIL).stdout == first_json
    assert invoke(*RETAIL, "--format", "html").stdout == first_html


def test_the_same_bytes_whatever_the_environment(retail: Workspace) -> None:
    outputs = set()
    for env in (
        {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C"},
        {"PYTHONHASHSEED": "99", "TZ": "Pacific/Kiritimati", "LC_ALL": "de_DE.UTF-8"},
    ):
        done = _subprocess(*RETAIL, "--format", "html", cwd=retail.root, env=env)
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2026-13-01", "`2026-13-01` is not a day of the calendar"),
        ("2026-02-30", "`2026-02-30` is not a day of the calendar"),
        ("12/03/2026", "`12/03/2026` is not a date; write it as YYYY-MM-DD"),
        ("2026-03", "`2026-03` is not a date"),
    ],
)
def test_a_bad_date_is_a_usage_error(
    invoke: Invoke, retail: Workspace, date: str, message: str
) -> None:
    result = invoke("report", "retail.plan", "--data", "retail", "--as-of", date, "-o", "x.html")
    assert result.exit_code == 2
    assert "Invalid value for '--as-of'" in result.stderr
    assert message in result.stderr
    assert not (retail.root / "x.html").exists()


def test_options_are_required(invoke: Invoke, ws: Workspace) -> None:
    assert invoke("report", "t.plan", "--data", "data").exit_code == 2
    assert invoke("report", "t.plan", "--as-of", "2026-03-12").exit_code == 2


def test_data_errors_are_reported_like_run(invoke: Invoke, retail: Workspace) -> None:
    retail.data("bad_cells", "bad")
    result = invoke("report", "t.plan", "--data", "bad", "--as-of", "2026-03-12", "-o", "x.json")
    run = invoke("run", "t.plan", "--data", "bad", "--period", "2026-03")
    assert result.exit_code == run.exit_code == 2
    assert result.stderr == run.stderr
    assert "error[D6" in result.stderr
    assert not (retail.root / "x.json").exists()
    missing = invoke("report", "t.plan", "--data", "nowhere", "--as-of", "2026-03-12")
    assert missing.exit_code == 2
    assert "error: data directory `nowhere` does not exist" in missing.stderr


def test_plan_and_evaluation_errors_exit_1(invoke: Invoke, ws: Workspace) -> None:
    ws.write("bad.plan", BAD_PLAN)
    result = invoke("report", "bad.plan", "--data", "data", "--as-of", "2026-03-12")
    assert result.exit_code == 1
    assert "error[" in result.stderr
    ws.write("zero.plan", DIVIDES_BY_ZERO)
    result = invoke("report", "zero.plan", "--data", "data", "--as-of", "2026-03-12")
    assert result.exit_code == 1
    assert result.stdout == ""


def test_an_output_that_cannot_be_written(invoke: Invoke, ws: Workspace) -> None:
    ws.write("file", "not a directory\n")
    result = invoke(
        "report", "t.plan", "--data", "data", "--as-of", "2026-03-12", "-o", "file/x.json"
    )
    assert result.exit_code == 2
    assert "cannot write `file/x.json`: `file` is a file, not a directory" in result.stderr
    (ws.root / "dir.html").mkdir()
    result = invoke("report", "t.plan", "--data", "data", "--as-of", "2026-03-12", "-o", "dir.html")
    assert result.exit_code == 2
    assert "cannot write `dir.html`: it is a directory" in result.stderr
    assert sorted(p.name for p in ws.root.iterdir() if p.name.endswith(".tmp")) == []


def test_a_plan_without_quota_and_a_formula_name(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("report", "t.plan", "--data", "data", "--as-of", "2026-03-06")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["primary"] is None
    assert [p["payee"] for p in data["payees"]] == ["alice", "bob", "mallory"]
    # alice: 1,000.00 - 250.50 = 749.50 to date, bob's 7 March line is after the date
    alice = data["payees"][0]
    # 6 of 31 days: pace 749.50 x 31/6 = 3,872.4166... -> 3,872.42; no quota, no target
    (sales,) = alice["measures"]
    assert (sales["value"], sales["pace"], sales["target"]) == ("749.50", "3872.42", None)
    # to date 5% x 749.50 = 37.475 -> 37.48. Projected: 1,000.00 x 31/6 -> 5,166.67 and
    # -250.50 x 31/6 = -1,294.25, sales 3,872.42: 5% x 1,000 + 8% x 2,872.42 = 279.7936
    # -> 279.79, and the 100 USD bonus for 1,000 or more
    assert (alice["payout_to_date"], alice["projected_payout"]) == ("37.48", "379.79")
    page = invoke("report", "t.plan", "--data", "data", "--as-of", "2026-03-06", "--format", "html")
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;click&#34;)" in page.stdout
    assert 'href="http' not in page.stdout


def _subprocess(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "LC_")) and key not in ("LANG", "TZ")
    }
    environment["PYTHONPATH"] = str(ROOT / "src")
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "from incentives.cli import main; main()", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        timeout=120,
        check=False,
    )
