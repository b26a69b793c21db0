"""Writing output files atomically: a failed run leaves no partial file.

Contract: :func:`write_atomically` takes every file's bytes, already
rendered, and writes them into one directory in two phases:

1. each file goes to a fresh temporary file in the target directory (a
   hidden ``.NAME.<random>.tmp``, created exclusively, honouring the umask),
   is flushed and ``fsync``\\ ed; if anything fails here, every temporary file
   is removed, no target file is touched, and a directory this call created
   is removed again;
2. each temporary file is renamed over its target with :func:`os.replace`
   (atomic within a directory) in the order given, so the caller puts the
   manifest last, and the directory itself is synced so the renames last.

A reader therefore sees each file either whole and old or whole and new.
Renames cannot run out of space; should the process die between two of them,
the manifest (renamed last, holding every other file's hash) still names the
previous outputs and an audit detects the mismatch.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(directory: str | os.PathLike[str], files: Sequence[tuple[str, bytes]]) -> None:
    """Write ``files`` (name, bytes) into ``directory``, creating it if missing.

    Args:
        directory: the output directory, as the user gave it.
        files: plain file names (no separators) with their contents, in the
            order to publish them.

    Raises:
        ValueError: if a name is not a plain file name or appears twice.
        OSError: if the directory or a file cannot be written; then no
            target file has changed.
    """
    names = [name for name, _ in files]
    for name in names:
        if not name or name in (".", "..") or Path(name).name != name or os.sep in name:
            raise ValueError(f"`{name}` is not a plain file name")
    if len(set(names)) != len(names):
        raise ValueError("a file name appears twice")
    target = Path(directory)
    created = _make_directory(target)
    temporaries: list[tuple[Path, Path]] = []
    try:
        for name, data in files:
            temporaries.append((_write_temporary(target, name, data), target / name))
    except BaseException:
        for temporary, _ in temporaries:
            _remove(temporary)
        if created:
            with contextlib.suppress(OSError):
                target.rmdir()
        raise
    for temporary, final in temporaries:
        temporary.replace(final)
    _sync_directory(target)


def _make_directory(target: Path) -> bool:
    """Create ``target`` (and its parents); whether this call created it."""
    if target.is_dir():
        return False
    target.mkdir(parents=True, exist_ok=True)
    return True


def _write_temporary(directory: Path, name: str, data: bytes) -> Path:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        path = directory / f".{name}.{secrets.token_hex(8)}.tmp"
        try:
            fd = os.open(path, flags, 0o666)
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        _remove(path)
        raise
    return path


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _sync_directory(directory: Path) -> None:
    # Windows cannot open a directory; its renames are durable enough there.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
