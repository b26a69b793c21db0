"""``incentives fmt [--check] [--diff] PLAN...``: rewrite plans in the canonical layout.

Each argument is a plan file, a directory (searched recursively for
``*.plan`` files, hidden directories skipped, in sorted order, as
``incentives test`` does) or ``-`` for standard input. The layout is
:func:`incentives.ast.printer.format_plan`'s.

* ``incentives fmt a.plan`` rewrites each plan whose bytes are not yet the
  formatted text (UTF-8, ``\\n`` line ends, no byte-order mark) in place and
  atomically (a temporary file in the same directory, renamed over it; its
  permissions are kept), and says ``reformatted a.plan`` or ``a.plan already
  formatted``.
* ``--check`` writes nothing and says ``would reformat a.plan`` for each plan
  that would change.
* ``--diff`` writes nothing and prints a unified diff of each plan that
  would change.
* ``-`` reads a plan from standard input and writes it, formatted, to
  standard output (with ``--check`` or ``--diff``: only the verdict or diff).

Standard output carries only plan text and diffs; the one-line verdicts and
all problems go to standard error. A plan that does not parse is reported
with its diagnostic and left untouched. Before anything is written, the
formatted text is parsed again and must give the same tree (comments
included); if not, that is a bug in incentives, the plan is left untouched
and the command exits 3.

Exit (see :mod:`incentives.cli`): 0 when all went well (with ``--check``:
nothing would change); 1 when a plan does not parse or, with ``--check``,
would change; 2 when a path cannot be read or a plan cannot be written; 3 for
an internal error. The highest code wins.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

import click

from incentives.ast.printer import format_plan, same_plan
from incentives.cli._common import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    emit,
    read_source,
    state,
)
from incentives.errors import PlanSyntaxError, UsageError
from incentives.parse import parse, parse_source
from incentives.report.diagnostics import render_text
from incentives.source import SourceFile

__all__ = ["fmt", "replace_file", "unified_diff"]

#: The name standard input goes by in messages and diagnostics.
STDIN_NAME = "<stdin>"


@click.command("fmt")
@click.argument("paths", metavar="PLAN...", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="write nothing; exit 1 if a plan would change")
@click.option("--diff", "show_diff", is_flag=True, help="print a unified diff, write nothing")
@click.pass_context
def fmt(ctx: click.Context, paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Rewrite plans in the one canonical layout (comments kept)."""
    if paths.count("-") > 1:
        raise click.UsageError("`-` (standard input) can be given only once")
    code = EXIT_OK
    seen: set[str] = set()
    for given in paths:
        if given == "-":
            code = max(code, _format_stdin(check, show_diff))
            continue
        try:
            files = _plan_files(given)
        except UsageError as exc:
            emit(f"error: {exc}\n", err=True)
            code = max(code, EXIT_USAGE)
            continue
        for path in files:
            if path not in seen:
                seen.add(path)
                code = max(code, _format_file(path, check, show_diff))
    ctx.exit(code)


def _plan_files(given: str) -> list[str]:
    """The plan files an argument names (a directory is searched).

    Raises:
        UsageError: the path does not exist, or a directory holds no plan.
    """
    path = Path(given)
    if not path.is_dir():
        if not path.exists():
            raise UsageError(f"{given}: no such plan file or directory")
        return [given]
    found = sorted(
        p.relative_to(path)
        for p in path.rglob("*.plan")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )
    if not found:
        raise UsageError(f"no .plan files in `{given}`")
    return [str(path / p) for p in found]


def _format_file(path: str, check: bool, show_diff: bool) -> int:
    try:
        source = read_source(path)
    except UsageError as exc:
        emit(f"error: {exc}\n", err=True)
        return EXIT_USAGE
    except PlanSyntaxError as exc:  # not UTF-8
        emit(f"{render_text(exc.diagnostics)}error: {path} was left as it is\n", err=True)
        return EXIT_FINDINGS
    formatted = _formatted(source)
    if isinstance(formatted, int):
        return formatted
    if hashlib.sha256(formatted.encode("utf-8")).hexdigest() == source.sha256:
        if not (check or show_diff):
            emit(f"{path} already formatted\n", err=True)
        return EXIT_OK
    if show_diff:
        emit(unified_diff(source.text, formatted, path))
    if check:
        emit(f"would reformat {path}\n", err=True)
        return EXIT_FINDINGS
    if show_diff:
        return EXIT_OK
    try:
        replace_file(Path(path), formatted.encode("utf-8"))
    except OSError as exc:
        emit(f"error: {path}: cannot write the plan ({exc.strerror or exc})\n", err=True)
        return EXIT_USAGE
    emit(f"reformatted {path}\n", err=True)
    return EXIT_OK


def _format_stdin(check: bool, show_diff: bool) -> int:
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        emit(f"error: {STDIN_NAME}: the plan is not UTF-8 text (byte {exc.start})\n", err=True)
        return EXIT_FINDINGS
    source = SourceFile(STDIN_NAME, text)
    state().sources[source.name] = source
    formatted = _formatted(source)
    if isinstance(formatted, int):
        return formatted
    changed = formatted.encode("utf-8") != data
    if show_diff and changed:
        emit(unified_diff(text, formatted, STDIN_NAME))
    if check:
        if changed:
            emit(f"would reformat {STDIN_NAME}\n", err=True)
        return EXIT_FINDINGS if changed else EXIT_OK
    if not show_diff:
        emit(formatted)
    return EXIT_OK


def _formatted(source: SourceFile) -> str | int:
    """The formatted text, or the exit code of why there is none (reported here)."""
    try:
        plan = parse_source(source)
    except PlanSyntaxError as exc:
        rendered = render_text(exc.diagnostics, {source.name: source})
        emit(f"{rendered}error: {source.name} does not parse; it was left as it is\n", err=True)
        return EXIT_FINDINGS
    text = format_plan(plan)
    try:
        same = same_plan(plan, parse(text, filename=source.name))
    except PlanSyntaxError:
        same = False
    if not same:
        emit(
            f"internal error: {source.name}: the formatted plan would not mean the same; "
            "it was left as it is, please report it\n",
            err=True,
        )
        return EXIT_INTERNAL
    return text


def unified_diff(old: str, new: str, name: str) -> str:
    """A unified diff from ``old`` to ``new`` (``---``/``+++`` lines name the file)."""
    lines = difflib.unified_diff(_lines(old), _lines(new), name, name, "(original)", "(formatted)")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines with their endings, split at ``\\n`` only (as the plan grammar does)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def replace_file(path: Path, data: bytes) -> None:
    """Replace a file's bytes atomically, keeping its permissions.

    The bytes go to a temporary file in the same directory, which is flushed,
    synced, given the old file's mode and renamed over it, so a reader sees the
    old plan or the new one, never a part. A symbolic link is followed: the
    file it points to is replaced and the link stays.

    Raises:
        OSError: the file cannot be replaced; it is then unchanged.
    """
    target = path.resolve()
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(mode)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    if os.name == "posix":  # make the rename durable; the plan is replaced either way
        with contextlib.suppress(OSError):
            directory = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = fmt
