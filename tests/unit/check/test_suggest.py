"""Did-you-mean suggestions (check/suggest.py): exactly difflib's answer, found faster."""

from __future__ import annotations

import difflib
import random

import pytest

from incentives.check.suggest import NameIndex, closest

WORDS = (
    "sales", "sale", "salez", "attainment", "attainmnt", "region", "regoin", "units", "amount",
    "amout", "quota", "target", "rates", "rate", "c", "payee", "payees", "txn_id", "", "ab", "ba",
)  # fmt: skip


def _difflib(name: str, candidates: list[str]) -> str | None:
    found = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.7)
    return found[0] if found else None


def _random_names(rng: random.Random, alphabet: str, count: int) -> list[str]:
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(5))
def test_closest_and_the_index_agree_with_difflib(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        candidates = rng.sample(WORDS, rng.randint(0, len(WORDS)))
        candidates += _random_names(rng, "abcde_1", rng.randint(0, 40))
        index = NameIndex(candidates)
        for name in [*rng.sample(WORDS, 3), *_random_names(rng, "abcdex_1", 5)]:
            expected = _difflib(name, candidates)
            assert closest(name, candidates) == expected, (name, candidates)
            assert index.closest(name) == expected, (name, candidates)


def test_ties_go_to_the_greatest_name_as_in_difflib() -> None:
    candidates = ["sales_a", "sales_b"]  # both 6/7 alike to "sales_c"
    assert closest("sales_c", candidates) == _difflib("sales_c", candidates) == "sales_b"
    assert NameIndex(candidates).closest("sales_c") == "sales_b"


def test_many_names_against_many_candidates() -> None:
    # How fast this is is for benchmarks/parse_bench.py ("unknown names"); here,
    # that the index answers as difflib does when most candidates look alike.
    names = [f"c{i}" for i in range(2_000)]
    index = NameIndex(names)
    for unknown in ("s1234", "s7", "c12345", "x", "s1999"):
        assert index.closest(unknown) == _difflib(unknown, names)
