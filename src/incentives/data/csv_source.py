"""CSV files to raw tables.

Contract: :func:`read_csv` reads one file as UTF-8 (a leading BOM is
allowed and dropped) with the standard ``csv`` module in strict mode and
returns a :class:`~incentives.data.tables.RawTable` whose row numbers are the
physical line numbers on which rows start, plus every structural problem
found, as diagnostics:

* ``D601`` the bytes are not UTF-8 (names the line of the first bad byte);
* ``D608`` no header (the file is empty or blank);
* ``D609`` a column name is empty, padded with spaces, or used twice;
* ``D610`` the text is not valid CSV (a quote left open, text after a
  closing quote): no table is built; or a cell is longer than the csv
  module's size limit (``csv.field_size_limit()``, 131,072 characters unless
  changed): the row is read to its end anyway, reported at its row and
  column and kept apart in :attr:`RawTable.ragged` (as a ragged row is), and
  the rows after it are read;
* ``D607`` a row has more or fewer cells than the header (the row is kept
  out of the table's rows, in :attr:`RawTable.ragged`). When the header is a
  single cell holding ``;`` or a tab, the file was exported with another
  separator: one ``D607`` says so (at its first ragged row, or at the header
  when every row is a single cell too), and no table is built.

Fully blank lines are not rows and are skipped. When no usable table can be
built (D601, D608, invalid CSV, a cell too long in the header, a duplicate
column name, another separator) the table is None.

:func:`read_csv` reads only a regular file (or a link to one): a path that
does not exist, a directory, a named pipe, a device such as
``/dev/zero``, a link to nothing, or a file that cannot be read is the
caller's mistake, a :class:`UsageError`, raised before a byte is read
(:func:`read_file` raises :class:`UnreadableFile`, which
:meth:`Dataset.from_dir <incentives.data.dataset.Dataset.from_dir>` reports
as ``D620``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from pathlib import Path

from incentives.data import _report
from incentives.data.tables import RawRow, RawTable, header_problems, other_separator
from incentives.diagnostics import Diagnostic
from incentives.errors import UsageError

__all__ = ["UnreadableFile", "parse_csv", "read_bytes", "read_csv", "read_file"]

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def read_csv(path: str | os.PathLike[str], name: str) -> tuple[RawTable | None, list[Diagnostic]]:
    """Read one CSV file into a raw table.

    Args:
        path: the file; kept as given (never made absolute) to name it in
            diagnostics.
        name: the table it holds: ``ledger``, ``roster``, ``quotas`` or
            ``metrics``.

    Returns:
        The table (None if no table can be built) and the problems found.

    Raises:
        UsageError: if the file does not exist or cannot be read.
    """
    return parse_csv(read_bytes(path), source=os.fspath(path), name=name)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a file, or a :class:`UsageError` that says why not."""
    try:
        return read_file(path)
    except UnreadableFile as exc:
        raise UsageError(exc.message if exc.missing else f"{exc.message}; {exc.hint}") from None


class UnreadableFile(Exception):
    """A path that is not a regular file that can be read.

    ``message`` says what it is (naming the path as given), ``hint`` what to
    do; ``missing`` is true when there is nothing at all at the path.
    """

    def __init__(self, message: str, hint: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.missing = missing


#: Open without blocking on a named pipe, and never hand the file to a child.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class FileTooLarge(Exception):
    """A regular file larger than the reader's limit (nothing of it was read)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def read_file(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """The bytes of a regular file (a link to one is followed).

    Anything else is refused before a byte is read: a directory, a named pipe
    (which would block), a device (``/dev/zero`` never ends), a socket, a link
    to nothing. The file is checked once opened (``fstat``), so what is read
    is what was checked.

    Raises:
        UnreadableFile: naming the path and what it is; a path that does not
            exist at all (not even as a link) too.
        FileTooLarge: the file has more than ``limit`` bytes (checked before
            reading, and again while reading a file that grows).
    """
    source = os.fspath(path)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise _missing(Path(path), source) from None
    except OSError as exc:
        if _is_dir(Path(path)):  # Windows cannot open a directory at all
            raise _not_a_file(Path(path), source, "a directory") from None
        raise _cannot_read(source, exc) from None
    try:
        kind = _kind(os.fstat(descriptor).st_mode)
    except OSError as exc:
        os.close(descriptor)
        raise _cannot_read(source, exc) from None
    if kind is not None:
        os.close(descriptor)
        raise _not_a_file(Path(path), source, kind)
    with os.fdopen(descriptor, "rb") as file:
        try:
            if limit is None:
                return file.read()
            size = os.fstat(file.fileno()).st_size
            if size > limit:
                raise FileTooLarge(size)
            data = file.read(limit + 1)
        except OSError as exc:
            raise _cannot_read(source, exc) from None
        if len(data) > limit:
            raise FileTooLarge(len(data))
        return data


_REPLACE = "put the CSV file itself in its place (export the table again)"


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long, a loop of links …
        return False


def _kind(mode: int) -> str | None:
    """What a file that is not a regular one is, as a person names it (None: regular)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _target(path: Path) -> str | None:
    """Where a symbolic link points, or None if ``path`` is not one."""
    try:
        return str(path.readlink()) if path.is_symlink() else None
    except (OSError, ValueError):
        return None


def _not_a_file(path: Path, source: str, kind: str) -> UnreadableFile:
    target = _target(path)
    link = f" (a link to `{target}`)" if target is not None else ""
    return UnreadableFile(f"`{source}`{link} is {kind}, not a file: it is not read", _REPLACE)


def _missing(path: Path, source: str) -> UnreadableFile:
    target = _target(path)
    if target is not None:
        return UnreadableFile(
            f"`{source}` is a link to `{target}`, which does not exist",
            "point the link at the CSV file, or delete the link",
        )
    return UnreadableFile(f"no such file: `{source}`", "check the path", missing=True)


def _cannot_read(source: str, exc: OSError) -> UnreadableFile:
    return UnreadableFile(
        f"`{source}` cannot be read: {exc.strerror or exc}",
        "check that the file exists and that you may read it",
    )


def parse_csv(data: bytes, *, source: str, name: str) -> tuple[RawTable | None, list[Diagnostic]]:
    """Split CSV bytes into a raw table (see the module contract).

    Args:
        data: the file's bytes.
        source: the name to give the file in diagnostics.
        name: the table it holds.

    Returns:
        The table (None if no table can be built) and the problems found.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(data, exc.start, source)]
    lines = _Lines(text)
    reader = csv.reader(lines, strict=True)
    found: list[Diagnostic] = []
    header: tuple[str, ...] | None = None
    header_line = 0
    rows: list[RawRow] = []
    ragged: list[RawRow] = []
    separator: str | None = None
    while True:
        line = lines.start_record()  # the physical line the next row starts on
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if not str(exc).startswith(_FIELD_LIMIT):
                found.append(_bad_csv(source, line, lines.count, exc))
                return None, found
            # The reader stopped inside the row: read the rest of it here, so
            # that the rows after it are read and checked as usual.
            long_row = _LongRow(csv.field_size_limit())
            for text_line in lines.pending:
                long_row.feed(text_line)
            while not long_row.done and (more := lines.next_line()) is not None:
                long_row.feed(more)
            long_row.finish()
            found.append(_too_long(source, line, long_row, header))
            if header is None:
                return None, found
            ragged.append(RawRow(line, tuple(long_row.cells)))
            continue
        if not cells:
            continue  # a blank line is not a row
        if header is None:
            header, header_line = tuple(cells), line
            found.extend(header_problems(header, source, line))
            separator = other_separator(header)
        elif len(cells) != len(header):
            if separator is not None:
                found.append(_separated(source, line, len(cells), separator))
                return None, found
            found.append(_ragged(source, line, len(cells), len(header)))
            ragged.append(RawRow(line, tuple(cells)))
        else:
            rows.append(RawRow(line, tuple(cells)))
    if header is None:
        return None, [
            _report.problem(
                _report.EMPTY_FILE,
                source,
                1,
                0,
                f"`{source}` is empty: it has no header row",
                "the first line must name the columns, like "
                + _EXAMPLE_HEADERS.get(name, "txn_id,date,payee,amount,currency"),
            )
        ]
    if separator is not None:
        # Every row is one cell too: no ragged row gave the separator away.
        found.append(_separated_header(source, header_line, header[0], separator))
        return None, found
    if len(set(header)) != len(header):
        return None, found
    return RawTable(name, source, header, tuple(rows), header_line, tuple(ragged)), found


#: How the csv module's message for a field beyond its size limit starts.
_FIELD_LIMIT = "field larger than field limit"


class _Lines:
    """The physical lines of a text, as the csv reader takes them, counted.

    ``pending`` holds the lines of the row being read, so that a row the
    reader gives up on (a cell beyond its size limit) can be read to its end
    by :class:`_LongRow` and the reader can go on with the next row.
    """

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self.count = 0
        self.pending: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        self.pending.append(line)
        return line

    def next_line(self) -> str | None:
        return next(self, None)

    def start_record(self) -> int:
        """Forget the lines read so far; the number of the line the next row starts on."""
        self.pending.clear()
        return self.count + 1


class _LongRow:
    """The cells of one row, read as the csv module's excel dialect reads them.

    Only used for a row the csv module refuses because a cell is longer than
    its limit; it notes the first such cell (1-based ``column``) and its length.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.cells: list[str] = []
        self.field: list[str] = []
        self.quoted = False  # inside a quoted field
        self.after_quote = False  # just after a quote inside a quoted field
        self.done = False
        self.column = 0
        self.length = 0
        self.unclosed = False  # the file ends inside a quoted cell

    def feed(self, line: str) -> None:
        for ch in line:
            if self.quoted:
                if ch == '"':
                    self.quoted, self.after_quote = False, True
                else:
                    self.field.append(ch)
                continue
            if ch == '"' and (self.after_quote or not self.field):
                # a doubled quote inside a quoted field, or the opening quote
                if self.after_quote:
                    self.field.append(ch)
                self.quoted, self.after_quote = True, False
            elif ch == ",":
                self._end_field()
            elif ch in "\r\n":
                self._end_field()
                self.done = True
                return
            else:
                self.field.append(ch)
                self.after_quote = False
        if not self.quoted and not line.endswith(("\r", "\n")):
            self._end_field()  # the last line of the file, without a line break
            self.done = True

    def finish(self) -> None:
        """End the row at the end of the file (inside a quote left open, if so)."""
        if not self.done:
            self.unclosed = self.quoted
            self._end_field()
            self.done = True

    def _end_field(self) -> None:
        text = "".join(self.field)
        if len(text) > self.limit and not self.column:
            self.column, self.length = len(self.cells) + 1, len(text)
        self.cells.append(text)
        self.field = []
        self.quoted = self.after_quote = False


def _too_long(source: str, line: int, row: _LongRow, header: tuple[str, ...] | None) -> Diagnostic:
    column = row.column
    if header is None:
        where = f"column {column} of the header"
    elif 0 < column <= len(header):
        where = f"row {line}, column `{header[column - 1]}`"
    else:
        where = f"row {line}, cell {column}"
    if row.unclosed:
        return _report.problem(
            _report.BAD_CSV,
            source,
            line,
            column,
            f"{where}: a quote is opened and never closed, so the cell runs to the end "
            f"of the file ({row.length:,} characters; a cell holds at most {row.limit:,})",
            'close the quote; a quote inside a value is doubled, like "27"" monitor"',
        )
    return _report.problem(
        _report.BAD_CSV,
        source,
        line,
        column,
        f"{where}: the cell is {row.length:,} characters long; a cell holds at most {row.limit:,}",
        "shorten the cell; if it should not be that long, look for a quote "
        "left open before it, which makes one cell of the lines after it",
    )


_EXAMPLE_HEADERS = {
    "ledger": "txn_id,date,payee,amount,currency",
    "roster": "payee,name,fte,start_date",
    "quotas": "payee,period,amount,currency",
    "metrics": "payee,period,name,value",
}


def _not_utf8(data: bytes, start: int, source: str) -> Diagnostic:
    before = data[:start]
    line = len(_LINE_BREAK.findall(before)) + 1
    return _report.problem(
        _report.NOT_UTF8,
        source,
        line,
        0,
        f"`{source}` is not UTF-8 text: byte 0x{data[start]:02X} on line {line} is not valid UTF-8",
        "re-export the file as UTF-8 (in Excel: Save As > CSV UTF-8)",
    )


def _ragged(source: str, line: int, cells: int, columns: int) -> Diagnostic:
    if cells > columns:
        hint = 'a value that contains a comma must be in double quotes, like "1,234"'
    else:
        hint = "add the missing cells; leave a cell empty if it has no value"
    return _report.problem(
        _report.RAGGED_ROW,
        source,
        line,
        0,
        f"row {line} has {_count(cells, 'cell')}, but the header has {_count(columns, 'column')}",
        hint,
    )


def _separated(source: str, line: int, cells: int, separator: str) -> Diagnostic:
    return _report.problem(
        _report.RAGGED_ROW,
        source,
        line,
        0,
        f"row {line} has {_count(cells, 'cell')}, but the header has 1 column: "
        f"the file is separated by {separator}, not by commas",
        "export it again as comma-separated CSV (in Excel: Save As > CSV UTF-8)",
    )


def _separated_header(source: str, line: int, header: str, separator: str) -> Diagnostic:
    shown = header if len(header) <= 60 else f"{header[:57]}..."
    return _report.problem(
        _report.RAGGED_ROW,
        source,
        line,
        0,
        f"the header is a single column, `{shown}`: "
        f"the file is separated by {separator}, not by commas",
        "export it again as comma-separated CSV (in Excel: Save As > CSV UTF-8)",
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _bad_csv(source: str, start: int, stop: int, exc: csv.Error) -> Diagnostic:
    where = f"row {start}" if stop <= start else f"the row from line {start} to {stop}"
    return _report.problem(
        _report.BAD_CSV,
        source,
        start,
        0,
        f"{where} is not valid CSV: {exc}",
        "a value with a comma, quote or line break must be in double quotes, with each quote "
        'inside doubled, like "27"" monitor"',
    )
