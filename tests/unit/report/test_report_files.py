"""report.files: atomic writing of output files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from incentives.report.files import check_relative_path, write_atomically, write_tree

FILES = [("a.json", b"{}\n"), ("b.csv", b"x\n"), ("manifest.json", b"[]\n")]


def test_writes_every_file_and_creates_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "x" / "y"
    write_atomically(target, FILES)
    assert sorted(os.listdir(target)) == ["a.json", "b.csv", "manifest.json"]
    assert (target / "b.csv").read_bytes() == b"x\n"


def test_replaces_existing_files_and_leaves_others(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"old")
    (tmp_path / "keep.txt").write_bytes(b"mine")
    write_atomically(tmp_path, FILES)
    assert (tmp_path / "a.json").read_bytes() == b"{}\n"
    assert (tmp_path / "keep.txt").read_bytes() == b"mine"
    assert sorted(os.listdir(tmp_path)) == ["a.json", "b.csv", "keep.txt", "manifest.json"]


def test_files_are_published_in_order_manifest_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published: list[str] = []
    real = Path.replace

    def replace(self: Path, target: Path) -> Path:
        published.append(Path(target).name)
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    write_atomically(tmp_path, FILES)
    assert published == ["a.json", "b.csv", "manifest.json"]


def test_permissions_follow_the_umask(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path, FILES)
    finally:
        os.umask(old)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_a_failed_write_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    (tmp_path / "a.json").write_bytes(b"old")
    calls = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == failing_call:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(tmp_path, FILES)
    assert os.listdir(tmp_path) == ["a.json"]
    assert (tmp_path / "a.json").read_bytes() == b"old"


def test_a_failed_write_removes_a_directory_it_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError):
        write_atomically(tmp_path / "new", FILES)
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "../x"])
def test_names_must_be_plain(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="plain file name"):
        write_atomically(tmp_path / "out", [(name, b"")])
    assert not (tmp_path / "out").exists()


def test_names_must_be_unique(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="twice"):
        write_atomically(tmp_path, [("a", b"1"), ("a", b"2")])


TREE = [
    ("plan/t.plan", b"plan"),
    ("outputs/statements/2026-03/alice.html", b"<html>"),
    ("outputs/statements.json", b"{}"),
    ("manifest.json", b"[]"),
]


def test_write_tree_creates_nested_directories(tmp_path: Path) -> None:
    write_tree(tmp_path / "out", TREE)
    found = sorted(p.relative_to(tmp_path / "out").as_posix() for p in tmp_path.rglob("*.*"))
    assert found == sorted(name for name, _ in TREE)
    assert (tmp_path / "out/outputs/statements/2026-03/alice.html").read_bytes() == b"<html>"


def test_write_tree_publishes_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    published: list[str] = []
    real = Path.replace

    def replace(self: Path, target: Path) -> Path:
        published.append(Path(target).relative_to(tmp_path).as_posix())
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    write_tree(tmp_path, TREE)
    assert published == [name for name, _ in TREE]


@pytest.mark.parametrize("failing_call", [1, 2, 4])
def test_a_failed_tree_write_removes_every_directory_it_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "statements.json").write_bytes(b"old")
    calls = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == failing_call:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError, match="No space left"):
        write_tree(tmp_path, TREE)
    found = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert found == ["outputs", "outputs/statements.json"]
    assert (tmp_path / "outputs" / "statements.json").read_bytes() == b"old"


@pytest.mark.parametrize("name", ["", "/abs", "a//b", "a/./b", "../x", "a/..", "a\\b", "c:x", "a/"])
def test_tree_paths_stay_inside(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="relative path inside"):
        write_tree(tmp_path / "out", [(name, b"")])
    assert not (tmp_path / "out").exists()


def test_a_file_cannot_also_be_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="also the directory"):
        write_tree(tmp_path, [("a", b"1"), ("a/b", b"2")])
    assert os.listdir(tmp_path) == []


def test_check_relative_path() -> None:
    assert check_relative_path("a/b.csv").as_posix() == "a/b.csv"


def test_a_target_that_is_a_directory_fails_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "b.txt").mkdir()
    (tmp_path / "a.txt").write_bytes(b"old")
    with pytest.raises(IsADirectoryError):
        write_atomically(tmp_path, [("a.txt", b"new"), ("b.txt", b"x")])
    assert (tmp_path / "a.txt").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_a_blocking_path_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # mkdir says "File exists" for `afile/sub`; the cause is that `afile` is a file.
    monkeypatch.chdir(tmp_path)
    Path("afile").write_bytes(b"x")
    with pytest.raises(NotADirectoryError) as caught:
        write_atomically("afile/sub", [("a.txt", b"1")])
    assert caught.value.strerror == "`afile` is a file, not a directory"
    Path("out").mkdir()
    Path("out/part").write_bytes(b"x")
    with pytest.raises(NotADirectoryError) as caught:
        write_tree("out", [("part/x.txt", b"2")])
    assert caught.value.strerror == "`out/part` is a file, not a directory"
    Path("out/manifest.json").mkdir()
    with pytest.raises(IsADirectoryError) as blocked:
        write_tree("out", [("manifest.json", b"{}")])
    assert blocked.value.strerror == "`out/manifest.json` is a directory"
    assert sorted(p.name for p in Path("out").iterdir()) == ["manifest.json", "part"]


def test_a_failed_rename_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.replace

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if Path(target).name == "b.txt":
            raise OSError("disk gone")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(OSError, match="disk gone"):
        write_atomically(tmp_path, [("a.txt", b"1"), ("b.txt", b"2"), ("c.txt", b"3")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
