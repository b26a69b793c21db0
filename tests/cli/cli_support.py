"""Plans, datasets and helpers shared by the CLI tests (fixtures are in conftest.py).

Every test runs inside a temporary working directory holding ``t.plan`` and a
copy of a dataset from ``tests/cli/data`` under ``data/``, so the paths the
CLI prints are short, relative and the same on every machine.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from click.testing import Result

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"

#: A tiered commission and a threshold bonus, enough for every command.
PLAN = """\
plan "T" version "1" currency USD period month rounding half_up to 0.01 on components
measure sales = sum amount
tiers rates marginal
  band below 1,000 USD: 5%
  band at least 1,000 USD: 8%
commission c "Commission" pays rates on sales
bonus b "Big month" pays 100 USD when sales >= 1,000 USD
"""

#: A name used nowhere (a warning) and a misspelt measure (an error).
BAD_PLAN = """\
plan "T" version "1" currency USD period month rounding half_up to 0.01 on components
measure sales = sum amount
measure unused = count
commission c pays 5% of sale
"""

#: A measure used nowhere: a warning, not an error.
WARNING_ONLY = """\
plan "T" version "1" currency USD period month rounding half_up to 0.01 on components
measure sales = sum amount
measure unused = count
commission c pays 5% of sales
"""

#: A plan that divides by zero for every payee: an evaluation error.
DIVIDES_BY_ZERO = """\
plan "T" version "1" currency USD period month rounding half_up to 0.01 on components
measure sales = sum amount
measure big = count where amount > 1,000,000 USD
let per_big = sales / big
commission c pays 5% of per_big
"""

#: Examples that pass and fail (alice's March is 749.50 × 5% = 37.475 → 37.48).
EXAMPLES_PLAN = (
    PLAN
    + """
example "March"
  period "2026-03"
  payee alice
  line t1 2026-03-05 alice: 1,000 USD
  line t2 2026-03-06 alice: -250.50 USD
  expect alice c: 37.48 USD
  expect alice total: 37.48 USD

example "Wrong on purpose"
  period "2026-03"
  payee alice
  line t1 2026-03-05 alice: 1,000 USD
  expect alice c: 49.00 USD
  expect alice total: 50 USD
"""
)


@dataclass
class Workspace:
    """The temporary working directory of one test."""

    root: Path

    def write(self, name: str, text: str) -> str:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return name

    def data(self, name: str = "basic", target: str = "data") -> str:
        shutil.copytree(DATA / name, self.root / target)
        return target


Invoke = Callable[..., Result]
Golden = Callable[[Path, str], None]
