"""Hit policies of rate tables (check/rate_tables.py): indexed, same findings as pairwise.

The checker used to compare every row with every earlier row; it now looks
rows up by the keys they match. These tests compare its findings with the
pairwise definition on random tables, keys given as values, ``any`` and
equal numbers written differently (``1`` and ``1.0``).
"""

from __future__ import annotations

import random

import pytest

from incentives.ast import nodes as n
from incentives.parse import parse
from plan_doc import diagnostics

HEADER = (
    'plan "T" version "1" currency USD period month rounding half_up to 0.01 on components\n'
    "ledger columns\n  region: text\n  units: count\n  tier: text\n"
)
FOOTER = "commission c pays rates of amount per line\n"
CELLS = {"region": ('"a"', '"b"', "any"), "units": ("1", "1.0", "2", "any"), "tier": ('"x"', "any")}


def _table(rng: random.Random, policy: str) -> str:
    keys = rng.sample(list(CELLS), rng.randint(1, 3))
    rows = "".join(
        "  " + ", ".join(rng.choice(CELLS[k]) for k in keys) + f": {i + 1}%\n"
        for i in range(rng.randint(1, 14))
    )
    using = " using first match" if policy == "first" else ""
    return f"rate table rates by {', '.join(keys)}{using}\n{rows}"


def _pairwise(text: str, policy: str) -> list[tuple[str, int, int | None]]:
    """The findings as the definition states them: each row against each earlier row."""
    plan = parse(text, filename="test.plan")
    (decl,) = [d for d in plan.declarations if isinstance(d, n.RateTableDecl)]
    rows = [r for r in decl.rows if not r.otherwise]

    def any_(cell: object) -> bool:
        return isinstance(cell, n.AnyKey)

    found: list[tuple[str, int, int | None]] = []
    for i, later in enumerate(rows):
        for earlier in rows[:i]:
            pairs = list(zip(earlier.keys, later.keys, strict=True))
            if policy == "first":
                if all(any_(a) or (not any_(b) and a.value == b.value) for a, b in pairs):  # type: ignore[union-attr]
                    found.append(("W416", later.span.line, None))
                    break
            elif all(any_(a) or any_(b) or a.value == b.value for a, b in pairs):  # type: ignore[union-attr]
                found.append(("E411", later.span.line, earlier.span.line))
                break
    return found


@pytest.mark.parametrize("policy", ["unique", "first"])
@pytest.mark.parametrize("seed", range(4))
def test_findings_equal_the_pairwise_definition(policy: str, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        text = HEADER + _table(rng, policy) + FOOTER
        found = [
            (d.code, d.span.line, d.related[0].span.line if d.related else None)
            for d in diagnostics(text)
            if d.code in ("E411", "W416")
        ]
        assert found == _pairwise(text, policy), text


def test_the_first_overlapping_row_is_the_one_named() -> None:
    text = (
        HEADER
        + (
            "rate table rates by region, units\n"
            '  "a", 2: 1%\n  any, 1: 2%\n  "a", any: 3%\n  "a", 1.0: 4%\n'
        )
        + FOOTER
    )
    e411 = [d for d in diagnostics(text) if d.code == "E411"]
    assert [(d.span.line, d.related[0].span.line) for d in e411] == [(9, 7), (10, 8)]
    assert "units 1.0" in e411[1].message or "units 1" in e411[1].message
