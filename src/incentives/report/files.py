"""Writing output files atomically: a failed run leaves no partial file.

Contract: :func:`write_atomically` (plain file names, one directory) and
:func:`write_tree` (relative paths such as ``outputs/statements/2026-03/ana.html``
under one directory) take every file's bytes, already rendered, and write
them in two phases:

1. each file goes to a fresh temporary file in its own target directory (a
   hidden ``.NAME.<random>.tmp``, created exclusively, honouring the umask),
   is flushed and ``fsync``\\ ed; if anything fails here, every temporary file
   is removed, no target file is touched, and every directory this call
   created is removed again;
2. each temporary file is renamed over its target with :func:`os.replace`
   (atomic within a directory) in the order given, so the caller puts the
   manifest last, and every directory written to is synced so the renames
   last. A target that is a directory fails in phase 1; should a rename still
   fail, the temporary files not yet renamed are removed before the error
   is raised.

An error that a path blocks the writing names that path in its
``strerror`` (what the CLI shows): a directory where a file is to go
(``IsADirectoryError``, "`out/manifest.json` is a directory") or a file
where a directory is needed (``NotADirectoryError``, "`afile` is a file, not
a directory"), never the bare "File exists" of ``mkdir``.

A reader therefore sees each file either whole and old or whole and new.
Renames cannot run out of space; should the process die between two of them,
the manifest (renamed last, holding every other file's hash) still names the
previous outputs and an audit detects the mismatch.

:func:`check_relative_path` is the one rule for the relative paths a bundle
may name: ``/``-separated, each part a plain name (not empty, ``.`` or
``..``, no backslash, no drive), so a path can never leave its directory.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

__all__ = ["check_relative_path", "write_atomically", "write_tree"]


def check_relative_path(name: str) -> PurePosixPath:
    """``name`` as a relative path that stays inside its directory.

    >>> check_relative_path("outputs/statements.csv").parts
    ('outputs', 'statements.csv')

    Raises:
        ValueError: if ``name`` is empty, absolute, or has an empty, ``.``,
            ``..`` or otherwise unsafe part.
    """
    parts = name.split("/")
    for part in parts:
        if (
            not part
            or part in (".", "..")
            or "\\" in part
            or ":" in part
            or "\0" in part
            or (os.sep != "/" and os.sep in part)
        ):
            raise ValueError(f"`{name}` is not a relative path inside the directory")
    return PurePosixPath(*parts)


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
    for name, _ in files:
        if not name or name in (".", "..") or Path(name).name != name or os.sep in name:
            raise ValueError(f"`{name}` is not a plain file name")
    write_tree(directory, files)


def write_tree(directory: str | os.PathLike[str], files: Sequence[tuple[str, bytes]]) -> None:
    """Write ``files`` (relative path, bytes) under ``directory``, creating directories.

    Args:
        directory: the output directory, as the user gave it.
        files: ``/``-separated relative paths with their contents, in the
            order to publish them.

    Raises:
        ValueError: if a path is unsafe (see :func:`check_relative_path`),
            appears twice, or is also a directory of another path.
        OSError: if a directory or a file cannot be written; then no target
            file has changed and no directory this call created remains.
    """
    paths = [check_relative_path(name) for name, _ in files]
    if len(set(paths)) != len(paths):
        raise ValueError("a file name appears twice")
    parents = {parent for path in paths for parent in path.parents}
    if any(path in parents for path in paths):
        raise ValueError("a file name is also the directory of another file")
    target = Path(directory)
    created: list[Path] = []
    temporaries: list[tuple[Path, Path]] = []
    try:
        for path, (_, data) in zip(paths, files, strict=True):
            folder = target.joinpath(*path.parts[:-1])
            created.extend(_make_directories(folder))
            if (folder / path.name).is_dir():
                final = folder / path.name
                raise IsADirectoryError(errno.EISDIR, f"`{final}` is a directory", str(final))
            temporaries.append((_write_temporary(folder, path.name, data), folder / path.name))
    except BaseException:
        for temporary, _ in temporaries:
            _remove(temporary)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for done, (temporary, final) in enumerate(temporaries):
        try:
            temporary.replace(final)
        except BaseException:
            for left, _ in temporaries[done:]:
                _remove(left)
            raise
    touched = [final.parent for _, final in temporaries] + [f.parent for f in created]
    for folder in dict.fromkeys(touched):
        _sync_directory(folder)


def _make_directories(target: Path) -> list[Path]:
    """Create ``target`` and its missing parents; the ones this call created, outermost first."""
    missing: list[Path] = []
    folder = target
    while not folder.is_dir():
        if os.path.lexists(folder):
            # mkdir would say "File exists"; the cause is a file in the way.
            kind = "a file, not a directory" if folder.is_file() else "not a directory"
            reason = f"`{folder}` is {kind}"
            raise NotADirectoryError(errno.ENOTDIR, reason, str(folder))
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    made: list[Path] = []
    try:
        for folder in reversed(missing):
            folder.mkdir(exist_ok=True)
            made.append(folder)
    except BaseException:
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return made


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
