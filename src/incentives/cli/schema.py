"""``incentives schema [--output FILE]``: the JSON Schema of the results.

Prints the JSON Schema (draft 2020-12) of the JSON that ``incentives run
--format json --trace`` prints and that a bundle's
``outputs/statements.json`` holds (:mod:`incentives.report.schema`), as
canonical JSON: the same engine version always prints the same bytes. With
``--output FILE`` the schema is written to FILE atomically instead.

Exit: 0 on success; 2 if FILE cannot be written.
"""

from __future__ import annotations

import os

import click

from incentives.cli._common import emit
from incentives.errors import UsageError
from incentives.report.files import write_atomically
from incentives.report.schema import render_schema

__all__ = ["schema"]


@click.command("schema")
@click.option("--output", "output", metavar="FILE", help="write the schema to FILE")
def schema(output: str | None) -> None:
    """Print the JSON Schema of run results (statements.json)."""
    text = render_schema()
    if output is None:
        emit(text)
        return
    directory, name = os.path.split(output)
    if not name:
        raise UsageError(f"`{output}` names a directory, not a file")
    try:
        write_atomically(directory or ".", [(name, text.encode("utf-8"))])
    except OSError as exc:
        raise UsageError(f"cannot write `{output}`: {exc.strerror or exc}") from None
    emit(f"wrote {output}\n", err=True)


#: The subcommand (see ``incentives.cli.COMMANDS``).
command = schema
