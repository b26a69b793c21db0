#!/usr/bin/env python3
"""How fast plans are read, and how fast hostile ones are refused.

    python benchmarks/parse_bench.py            # full sizes (about a minute)
    python benchmarks/parse_bench.py --quick    # small sizes, a few seconds

Prints, for each input: its size, the best time of a few runs for parsing
alone (text → AST) and for loading (parse, check, compile), in CPU seconds of
this process (steadier than wall time on a shared machine), and the outcome
(``ok``, the first diagnostic's code, or the exception that escaped). Each
scalable input is measured at two sizes, n and 2n, and the ratio
t(2n) / t(n) is printed: about 2 means linear, about 4 quadratic.

Targets (from the robustness issue): a 1 MiB plan parses in under a second;
pathological inputs are refused fast. The "budget" column is the time over
one second (``x0.25`` is a quarter of the budget). Nothing here asserts; the
numbers are for people and for tracking over time.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import incentives  # noqa: E402
from incentives import SourceFile  # noqa: E402
from incentives.parse import parse  # noqa: E402

HEADER = """\
plan "Benchmark"
  version "1"
  currency USD
  period month
  rounding half_up to 0.01 on components

ledger columns
  units: count
  region: text

measure sales = sum amount
"""

MIB = 1024 * 1024


def realistic(size: int) -> str:
    """A plan of about ``size`` bytes made of the declarations real plans have."""
    parts = [HEADER]
    total, i = len(HEADER), 0
    while total < size:
        block = f"""
# Team {i}: its own measure, target, tiers, commission, bonus and example.
measure sales_{i} = sum amount where region = "r{i}" and units >= 1
quota target_{i}
  goal {10_000 + i:,} USD per month
let attainment_{i} = sales_{i} / target_{i}
tiers rates_{i} marginal
  band below 100%: 5%
  band at least 100% and below 150%: 8%
  band at least 150%: 10%
commission c_{i} "Commission {i}"
  pays rates_{i} on sales_{i} against target_{i}
  cap at {20_000 + i:,} USD
bonus b_{i} "Target bonus {i}"
  pays 250 USD
  when attainment_{i} >= 100%
example "Team {i}"
  period "2026-03"
  payee kim
  line t{i} 2026-03-02 kim: 1,250.00 USD, units 2, region "r{i}"
  expect kim c_{i}: 62.50 USD
"""
        parts.append(block)
        total += len(block)
        i += 1
    return "".join(parts)


def comments(size: int) -> str:
    return HEADER + "# " + "x" * size + "\ncommission c pays 5% of sales\n"


def long_chain(size: int) -> str:
    terms = max(1, size // len("1% of sales + "))
    return HEADER + "commission c pays " + " + ".join(["1% of sales"] * terms) + "\n"


def deep_parentheses(size: int) -> str:
    depth = max(1, size // 2)
    return HEADER + "commission c pays " + "(" * depth + "5% of sales" + ")" * depth + "\n"


def deep_if(size: int) -> str:
    depth = max(1, size // len("if sales > 0 USD then  else 0 USD"))
    body = "if sales > 0 USD then " * depth + "5% of sales" + " else 0 USD" * depth
    return HEADER + "commission c pays " + body + "\n"


def huge_literal(size: int) -> str:
    return HEADER + f"commission c pays 5% of sales\n  cap at {'9' * size} USD\n"


def huge_string(size: int) -> str:
    return HEADER + f'commission c "{"x" * size}" pays 5% of sales\n'


def garbage(size: int) -> str:
    return "\x00" * size


def unknown_names(size: int) -> str:
    count = max(1, size // len("commission c0000 pays 5% of s0000\n"))
    return HEADER + "".join(f"commission c{i} pays 5% of s{i}\n" for i in range(count))


def let_chain(size: int) -> str:
    count = max(2, size // len("let a0000 = a0000 + 1 USD\n"))
    lets = "".join(f"let a{i} = a{i - 1} + 1 USD\n" for i in range(1, count))
    return HEADER + "let a0 = sales\n" + lets + f"commission c pays 5% of a{count - 1}\n"


def let_cycle(size: int) -> str:
    count = max(2, size // len("let a0000 = a0000 + 1 USD\n"))
    lets = "".join(f"let a{i} = a{(i + 1) % count} + 1 USD\n" for i in range(count))
    return HEADER + lets + "commission c pays 5% of a0\n"


def rate_table(size: int) -> str:
    rows = max(1, size // len('  "r0000": 1%\n'))
    body = "".join(f'  "r{i}": 1%\n' for i in range(rows))
    return (
        HEADER
        + "rate table rates by region\n"
        + body
        + "commission c pays rates of amount per line\n"
    )


def many_bands(size: int) -> str:
    bands = max(2, size // len("  band at least 0000 USD and below 0000 USD: 1%\n"))
    body = "".join(f"  band at least {i} USD and below {i + 1} USD: 1%\n" for i in range(1, bands))
    return (
        HEADER
        + "tiers rates marginal\n  band below 1 USD: 1%\n"
        + body
        + f"  band at least {bands} USD: 2%\ncommission c pays rates on sales\n"
    )


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[int], str]
    #: Size in bytes (approximately) at full scale and in --quick mode.
    size: int
    quick: int
    #: Measure at n and 2n and print the ratio.
    scale: bool = True


CASES = [
    Case("realistic plan", realistic, MIB, 64 * 1024),
    Case("one long comment", comments, MIB, 64 * 1024),
    Case("string literal", huge_string, MIB, 64 * 1024),
    Case("over the size limit", comments, 4 * MIB + 1, 4 * MIB + 1, scale=False),
    Case("NUL bytes", garbage, MIB, 64 * 1024),
    Case("literal of n digits", huge_literal, 100_000, 10_000),
    Case("long sum (E005)", long_chain, 256 * 1024, 16 * 1024),
    Case("deep if (E005)", deep_if, 64 * 1024, 8 * 1024),
    Case("deep parentheses", deep_parentheses, 256 * 1024, 16 * 1024),
    Case("chain of lets", let_chain, 256 * 1024, 16 * 1024),
    Case("cycle of lets (E401)", let_cycle, 16 * 1024, 4 * 1024),
    Case("unknown names (E101)", unknown_names, 32 * 1024, 4 * 1024),
    Case("rate table rows", rate_table, 32 * 1024, 4 * 1024),
    Case("tier bands", many_bands, 128 * 1024, 16 * 1024),
]


def _outcome(run: Callable[[], object]) -> tuple[float, str]:
    start = time.process_time()
    try:
        result = run()
    except incentives.IncentivesError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else None
        outcome = (
            f"{first.code} at {first.span.line}:{first.span.column}"
            if first
            else type(exc).__name__
        )
    except RecursionError:
        outcome = "CRASH RecursionError"
    except Exception as exc:
        outcome = f"CRASH {type(exc).__name__}"
    else:
        outcome = "ok"
        if isinstance(result, tuple) and result[0] is None:
            errors = [d for d in result[1] if d.is_error]
            outcome = f"{errors[0].code} at {errors[0].span.line}:{errors[0].span.column}"
    return time.process_time() - start, outcome


def measure(text: str, repeat: int) -> tuple[float, float, str]:
    """Best parse time, best load time, and the load's outcome."""
    parse_times, load_times = [], []
    outcome = ""
    for _ in range(repeat):
        seconds, _ = _outcome(lambda: parse(text, filename="bench.plan"))
        parse_times.append(seconds)
        seconds, outcome = _outcome(lambda: incentives.check_source(SourceFile("bench.plan", text)))
        load_times.append(seconds)
        if min(load_times) > 5:  # slow enough: one run says it
            break
    return min(parse_times), min(load_times), outcome


def _size(n: int) -> str:
    return f"{n / MIB:.2f} MiB" if n >= MIB else f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} B"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; the best counts")
    parser.add_argument("--case", action="append", help="only cases whose name contains this")
    args = parser.parse_args(argv)
    parse('plan "warm-up"\n', filename="warm.plan")  # build the parser once, outside timings

    print(f"incentives {incentives.__version__}, Python {sys.version.split()[0]}; CPU seconds")
    print(
        f"{'input':<24} {'size':>9} {'parse s':>9} {'load s':>9} {'budget':>8} "
        f"{'t(2n)/t(n)':>10}  outcome"
    )
    for case in CASES:
        if args.case and not any(c in case.name for c in args.case):
            continue
        size = case.quick if args.quick else case.size
        text = case.build(size)
        parsed, loaded, outcome = measure(text, args.repeat)
        ratio = ""
        if case.scale:
            _, loaded_twice, _ = measure(case.build(2 * size), max(1, args.repeat - 1))
            ratio = f"{loaded_twice / loaded:.1f}" if loaded > 0 else "-"
        budget = f"x{loaded / 1.0:.2f}"
        print(
            f"{case.name:<24} {_size(len(text.encode('utf-8', 'surrogatepass'))):>9} "
            f"{parsed:>9.3f} {loaded:>9.3f} {budget:>8} {ratio:>10}  {outcome}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
