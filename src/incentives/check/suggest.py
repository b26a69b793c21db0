"""Did-you-mean suggestions: the closest known name to a name the plan misspells.

Contract: :func:`closest` gives exactly what
``difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.7)``
gives (the candidate with the highest similarity ratio, the greatest name
among equals, or None below the cutoff), with less work. :class:`NameIndex` gives the same
answer for many names against one large set of candidates without comparing
each name with every candidate, so a plan with thousands of unknown names
does not take time proportional to their number times the number of names
it declares.

How the index stays exact: ``difflib`` only computes a ratio for a candidate
whose *quick ratio* (the share of characters the two names have in common,
counted as multisets) reaches the cutoff, and the ratio never exceeds the
quick ratio. So a candidate that shares too few characters with the name can
be dropped unseen. The index keeps, for each character and each count of
it, the set of candidates holding that character at least that many times,
as the bits of a Python integer; adding those sets up bit-parallel gives,
for every candidate at once, how many characters it shares with the name.
The few candidates that share enough are then handed to ``difflib`` in
sorted order, which decides exactly as it would have over all of them.

>>> closest("sale", ["sales", "salary", "units"])
'sales'
>>> index = NameIndex(["sales", "salary", "units"])
>>> index.closest("unit"), index.closest("zzz") is None
('units', True)
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

__all__ = ["CUTOFF", "NameIndex", "closest"]

#: How similar (``difflib`` ratio) a name must be to be suggested.
CUTOFF = 0.7


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``name`` (see the module docstring), or None.

    ``difflib.get_close_matches`` computes the full ratio of every candidate
    that passes the quick tests; only the best one matters here, and the
    ratio never exceeds the quick ratio, so candidates are tried from the
    highest quick ratio down and the search stops when none left can win.
    """
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name)
    hopeful: list[tuple[float, str]] = []
    for candidate in set(candidates):
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= CUTOFF:
            quick = matcher.quick_ratio()
            if quick >= CUTOFF:
                hopeful.append((quick, candidate))
    hopeful.sort(reverse=True)
    best: tuple[float, str] | None = None
    for quick, candidate in hopeful:
        if best is not None and (quick, candidate) < best:
            break  # (ratio, name) of every candidate left is at most (quick, name)
        matcher.set_seq1(candidate)
        ratio = matcher.ratio()
        if ratio >= CUTOFF and (best is None or (ratio, candidate) > best):
            best = (ratio, candidate)
    return best[1] if best is not None else None


class NameIndex:
    """Many :func:`closest` questions against one fixed set of candidates."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self.names = sorted(set(candidates))
        count = len(self.names)
        #: (character, k) → bits of the candidates holding it at least k times.
        holders: dict[tuple[str, int], bytearray] = {}
        #: name length → bits of the candidates of that length.
        lengths: dict[int, bytearray] = {}
        size = (count + 7) // 8
        for position, candidate in enumerate(self.names):
            byte, bit = divmod(position, 8)
            for character, times in Counter(candidate).items():
                for k in range(1, times + 1):
                    holders.setdefault((character, k), bytearray(size))[byte] |= 1 << bit
            lengths.setdefault(len(candidate), bytearray(size))[byte] |= 1 << bit
        self._holders = {key: int.from_bytes(bits, "little") for key, bits in holders.items()}
        self._lengths = {key: int.from_bytes(bits, "little") for key, bits in lengths.items()}
        self._all = (1 << count) - 1
        self._answers: dict[str, str | None] = {}

    def closest(self, name: str) -> str | None:
        """What ``closest(name, candidates)`` gives, found through the index."""
        if name in self._answers:
            return self._answers[name]
        answer = closest(name, self._survivors(name))
        self._answers[name] = answer
        return answer

    def _survivors(self, name: str) -> list[str]:
        """The candidates that can reach the cutoff, in sorted order."""
        size = len(name)
        #: Fewest characters in common for the quick ratio to reach the cutoff →
        #: bits of the candidates of the lengths that need that many.
        needs: dict[int, int] = {}
        for length, bits in self._lengths.items():
            if _ratio(min(size, length), size + length) < CUTOFF:
                continue  # difflib's real_quick_ratio already refuses these lengths
            shared = next(
                k for k in range(min(size, length) + 1) if _ratio(k, size + length) >= CUTOFF
            )
            needs[shared] = needs.get(shared, 0) | bits
        window = 0
        for bits in needs.values():
            window |= bits
        if not window:
            return []
        # Bit-sliced counters: bit i of slices[j] is bit j of the number of
        # characters candidate i has in common with ``name``.
        slices: list[int] = []
        for character, times in Counter(name).items():
            for k in range(1, times + 1):
                carry = self._holders.get((character, k), 0) & window
                for j, bits in enumerate(slices):
                    if not carry:
                        break
                    slices[j], carry = bits ^ carry, bits & carry
                if carry:
                    slices.append(carry)
        mask = 0
        for shared, bits in needs.items():
            mask |= bits & _at_least(slices, shared, self._all)
        return [self.names[i] for i in _positions(mask)]


def _ratio(matches: int, length: int) -> float:
    """``difflib``'s own ratio formula (two empty names are alike)."""
    return 2.0 * matches / length if length else 1.0


def _at_least(slices: list[int], needed: int, every: int) -> int:
    """Bits of the candidates whose bit-sliced count is at least ``needed``."""
    if needed <= 0:
        return every
    if needed >= 1 << len(slices):
        return 0
    greater, equal = 0, every
    for j in range(len(slices) - 1, -1, -1):
        bits = slices[j]
        if needed >> j & 1:
            equal &= bits
        else:
            greater |= equal & bits
            equal &= ~bits
    return greater | equal


def _positions(mask: int) -> list[int]:
    """Indices of the set bits of ``mask``, lowest first."""
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found
