"""What a plan carries from one pay period to the next, as data, and its file.

Contract: a :class:`StateSnapshot` is everything stage 4 needs to go on after
a given period: outstanding draw balances, amounts held back and when they
are released, cap excess withheld in a horizon, what a true-up has paid so
far in its horizon, and what recent lines earned (so a later refund can be
clawed back at the rate it was paid). A run of periods P1…Pn gives the same
statements as a run of P1…Pk whose ``closing`` snapshot is given as the
``opening`` of a run of Pk+1…Pn.

The state file (``incentives run --closing``, read back by ``--opening``) is
:func:`render_state`'s canonical JSON: keys sorted at every level, two-space
indent, non-ASCII as UTF-8, a final newline; amounts are strings of plain
decimal text, never numbers; every key of every object is always written.
Besides the snapshot's keys (``plan``, ``after``, ``payees``) it has
``state_format`` (:data:`STATE_FORMAT`) and ``sha256``: the SHA-256 of the
canonical JSON of every other key, that is of the file's exact bytes without
its ``  "sha256": …`` line. The same snapshot always gives the same bytes.

:func:`read_state` refuses, with :class:`~incentives.errors.DataError`, a
file that is not JSON, lacks a key, has a key no state has, a value of the
wrong type, or an amount that is not plain decimal text within
:func:`~incentives.money.parse_carried`'s bounds (a JSON number is refused:
it may have been a binary float); it lists each problem with its JSON path
(``payees.ana.draws.new_hire``), at most :data:`MAX_PROBLEMS`. A file whose
content does not match its ``sha256`` is refused as changed after it was
written. The hash catches edits and truncation, not forgery: anyone can
recompute it, so an audit still re-derives the state from the plan's start.
A snapshot read from a file remembers the file's name (:attr:`StateSnapshot.source`)
so that the run which checks it against the plan
(:mod:`incentives.evaluate.opening`) can name it; the name is not part of
its content, and two snapshots are equal when their content is.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from incentives.errors import DataError
from incentives.money import NumberTextError, format_decimal, parse_carried

__all__ = [
    "MAX_PROBLEMS",
    "STATE_FORMAT",
    "CapState",
    "HeldItem",
    "LineEarning",
    "PayeeState",
    "StateSnapshot",
    "TrueUpState",
    "read_state",
    "render_state",
    "state_digest",
    "state_path",
]

#: Version of the state file's layout; bumped when a key changes meaning.
STATE_FORMAT = 1
#: Most problems of one state file that are listed.
MAX_PROBLEMS = 20


def _amount(value: object, info: ValidationInfo) -> Decimal:
    if isinstance(value, Decimal) and info.mode == "python":
        return value  # built by the engine
    if isinstance(value, str):
        try:
            return parse_carried(value)
        except NumberTextError as exc:
            raise PydanticCustomError(
                "amount_text", "{message}; {hint}", {"message": exc.message, "hint": exc.hint}
            ) from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            "amount_number",
            "`{shown}` is a JSON number, not an amount; write amounts as strings of plain "
            'decimal text ("1234.50"): a number may have been a binary float',
            {"shown": str(value)},
        )
    raise PydanticCustomError(
        "amount_type",
        'expected an amount (a string of plain decimal text, like "1234.50"), found {found}',
        {"found": _json_type(value)},
    )


_Amount = Annotated[
    Decimal,
    PlainValidator(_amount, json_schema_input_type=str),
    PlainSerializer(format_decimal, return_type=str, when_used="always"),
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HeldItem(_Model):
    """An amount of a component held back, waiting for its release."""

    component: str
    amount: _Amount
    #: The period it was held in.
    held_in: str
    #: Released in this period (``for N periods``), or None.
    release_period: str | None
    #: Released in the period containing this date, or None.
    release_date: date | None
    #: Held for this ledger line (``until COLUMN``, or to forfeit it if the line is refunded).
    txn_id: str | None
    #: For ``until COLUMN``: no date yet, so held until the data gives one.
    waiting: bool


class CapState(_Model):
    """A cap over a horizon: what it has let through and what it withheld."""

    horizon: str
    paid: _Amount
    withheld: _Amount


class TrueUpState(_Model):
    horizon: str
    paid: _Amount


class LineEarning(_Model):
    """What one ledger line earned a payee in one component (for clawbacks)."""

    txn_id: str
    component: str
    amount: _Amount
    period: str
    line_date: date
    line_amount: _Amount


class PayeeState(_Model):
    draws: dict[str, _Amount]
    held: list[HeldItem]
    caps: dict[str, CapState]
    true_ups: dict[str, TrueUpState]
    earnings: list[LineEarning]


class StateSnapshot(_Model):
    """Every payee's carried state after ``after`` (a period label)."""

    plan: str
    after: str
    payees: dict[str, PayeeState]
    _source: str | None = PrivateAttr(default=None)

    @property
    def source(self) -> str | None:
        """The name of the file it was read from (see :func:`read_state`); None if built."""
        return self._source

    def __eq__(self, other: object) -> bool:
        """Snapshots are equal when their content is, wherever they were read from."""
        if not isinstance(other, StateSnapshot):
            return NotImplemented
        return (self.plan, self.after, self.payees) == (other.plan, other.after, other.payees)


class _StateFile(StateSnapshot):
    state_format: Literal[1]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


def _canonical(data: Any) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def state_digest(content: dict[str, Any]) -> str:
    """The SHA-256 (hex) of a state file's content, its ``sha256`` key left out.

    ``content`` is the file's JSON data; the digest is of its canonical JSON
    (see the module contract), so it does not depend on how the file is laid out.
    """
    rest = {key: value for key, value in content.items() if key != "sha256"}
    return hashlib.sha256(_canonical(rest)).hexdigest()


def render_state(state: StateSnapshot) -> bytes:
    """A state snapshot as the bytes of its file: canonical JSON with its format and SHA-256."""
    data = json.loads(state.model_dump_json())
    data["state_format"] = STATE_FORMAT
    data["sha256"] = state_digest(data)
    return _canonical(data)


def read_state(data: bytes, name: str) -> StateSnapshot:
    """An opening state from the bytes of its file (``name`` is how messages call it).

    Raises:
        DataError: the bytes are not a state file written by :func:`render_state`,
            or were changed after it was written; ``details`` lists each problem.
    """
    refused = f"{name}: not an opening state written by `incentives run --closing`"
    again = "write it again with `incentives run … --closing FILE`"
    try:
        content = json.loads(data, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError(f"{refused}: not JSON ({exc}); {again}") from None
    if not isinstance(content, dict):
        raise DataError(f"{refused}: not a JSON object; {again}")
    try:
        found = _StateFile.model_validate_json(data, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        details = [f"{name}: {state_path(e['loc'])}: {_message(e)}" for e in errors[:MAX_PROBLEMS]]
        if len(errors) > MAX_PROBLEMS:
            details.append(f"{name}: … and {len(errors) - MAX_PROBLEMS} more problems")
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        raise DataError(f"{refused} ({count}); {again}", details=details) from None
    if content["sha256"] != state_digest(content):
        raise DataError(
            f"{name}: the state was changed after `incentives run --closing` wrote it, "
            "or it is not a state written by incentives: its content does not match its "
            f"sha256; use the file as it was written, or {again}"
        )
    snapshot = StateSnapshot(plan=found.plan, after=found.after, payees=found.payees)
    snapshot._source = name
    return snapshot


def _no_constant(text: str) -> None:
    raise ValueError(f"{text} is not a JSON value")


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def state_path(loc: tuple[int | str, ...]) -> str:
    """A location in a state file as a JSON path: ``payees.ana.earnings[3].amount``.

    >>> state_path(("payees", "ana", "held", 0, "component"))
    'payees.ana.held[0].component'
    >>> state_path(("payees", "a b", "draws"))
    'payees["a b"].draws'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out or "(the file)"


_EXPECTED = {
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "a list",
    "date_type": "a date (2026-03-31)",
}


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing; every key `--closing` writes is required"
    if kind == "extra_forbidden":
        return "not a key of a state"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, found {_json_type(error['input'])}"
    if kind == "literal_error" and error["loc"] == ("state_format",):
        return (
            f"this incentives reads state format {STATE_FORMAT}, not {json.dumps(error['input'])}"
        )
    if kind == "string_pattern_mismatch" and error["loc"] == ("sha256",):
        return "expected 64 lowercase hex digits"
    message = error["msg"]
    return message[:1].lower() + message[1:]


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 24 else f"{value[:20]}…"
        return f"the text {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, list):
        return "a list"
    return "an object"
