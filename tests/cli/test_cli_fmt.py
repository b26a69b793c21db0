"""``incentives fmt``: rewriting in place, --check, --diff, stdin, and what is never touched."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import incentives.cli.fmt as fmt_module
from incentives.ast.printer import format_plan
from incentives.cli import cli
from incentives.parse import parse

from .cli_support import BAD_PLAN, PLAN, Invoke, Workspace

#: PLAN in the canonical layout.
FORMATTED = format_plan(parse(PLAN))
#: A plan that does not parse (the `version` has no text).
BROKEN = 'plan "T" version\n'


def stdin(text: str | bytes, *args: str) -> Result:
    return CliRunner().invoke(cli, ["fmt", *args, "-"], input=text, catch_exceptions=False)


def test_rewrites_a_plan_in_place(invoke: Invoke, ws: Workspace) -> None:
    assert FORMATTED != PLAN
    result = invoke("fmt", "t.plan")
    assert result.exit_code == 0
    assert result.stderr == "reformatted t.plan\n"
    assert result.stdout == ""
    assert (ws.root / "t.plan").read_text(encoding="utf-8") == FORMATTED
    again = invoke("fmt", "t.plan")
    assert again.exit_code == 0
    assert again.stderr == "t.plan already formatted\n"


def test_formatting_keeps_the_plan_and_its_comments(invoke: Invoke, ws: Workspace) -> None:
    text = "# about the plan\n" + PLAN.replace("measure sales", "# sales\nmeasure sales", 1)
    ws.write("c.plan", text)
    assert invoke("fmt", "c.plan").exit_code == 0
    out = (ws.root / "c.plan").read_text(encoding="utf-8")
    assert [c.text for c in parse(out).comments] == ["# about the plan", "# sales"]
    assert out.startswith('# about the plan\nplan "T"\n  version "1"\n')
    assert "\n# sales\nmeasure sales = sum amount\n" in out


def test_check_writes_nothing_and_lists_what_would_change(invoke: Invoke, ws: Workspace) -> None:
    ws.write("done.plan", FORMATTED)
    result = invoke("fmt", "--check", "t.plan", "done.plan")
    assert result.exit_code == 1
    assert result.stderr == "would reformat t.plan\n"
    assert result.stdout == ""
    assert (ws.root / "t.plan").read_text(encoding="utf-8") == PLAN
    clean = invoke("fmt", "--check", "done.plan")
    assert (clean.exit_code, clean.stdout, clean.stderr) == (0, "", "")


def test_diff_prints_a_unified_diff_and_writes_nothing(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("fmt", "--diff", "t.plan")
    assert result.exit_code == 0
    assert result.stdout.startswith("--- t.plan\t(original)\n+++ t.plan\t(formatted)\n@@ ")
    assert '-plan "T" version "1" currency USD' in result.stdout
    assert '+plan "T"\n+  version "1"\n' in result.stdout
    assert (ws.root / "t.plan").read_text(encoding="utf-8") == PLAN
    checked = invoke("fmt", "--check", "--diff", "t.plan")
    assert checked.exit_code == 1
    assert checked.stdout == result.stdout
    assert checked.stderr == "would reformat t.plan\n"


def test_diff_of_a_file_without_a_final_newline(invoke: Invoke, ws: Workspace) -> None:
    ws.write("n.plan", FORMATTED.rstrip("\n"))
    result = invoke("fmt", "--diff", "n.plan")
    assert result.stdout.endswith(
        "-  when sales >= 1,000 USD\n\\ No newline at end of file\n+  when sales >= 1,000 USD\n"
    )


def test_a_byte_order_mark_or_windows_line_ends_are_a_change(invoke: Invoke, ws: Workspace) -> None:
    (ws.root / "bom.plan").write_bytes(b"\xef\xbb\xbf" + FORMATTED.encode("utf-8"))
    (ws.root / "crlf.plan").write_bytes(FORMATTED.replace("\n", "\r\n").encode("utf-8"))
    result = invoke("fmt", "bom.plan", "crlf.plan")
    assert result.stderr == "reformatted bom.plan\nreformatted crlf.plan\n"
    for name in ("bom.plan", "crlf.plan"):
        assert (ws.root / name).read_bytes() == FORMATTED.encode("utf-8")


def test_standard_input_to_standard_output() -> None:
    result = stdin(PLAN)
    assert result.exit_code == 0
    assert result.stdout == FORMATTED
    assert result.stderr == ""
    assert stdin(FORMATTED).stdout == FORMATTED
    assert stdin("\ufeff" + PLAN).stdout == FORMATTED


def test_standard_input_with_check_and_diff() -> None:
    checked = stdin(PLAN, "--check")
    assert (checked.exit_code, checked.stdout, checked.stderr) == (
        1,
        "",
        "would reformat <stdin>\n",
    )
    assert stdin(FORMATTED, "--check").exit_code == 0
    assert stdin("\ufeff" + FORMATTED, "--check").exit_code == 1
    diff = stdin(PLAN, "--diff")
    assert diff.exit_code == 0
    assert diff.stdout.startswith("--- <stdin>\t(original)\n+++ <stdin>\t(formatted)\n")


def test_standard_input_that_does_not_parse() -> None:
    result = stdin(BROKEN)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("<stdin>:1:17: error[E002]: ")
    assert '    1 | plan "T" version\n' in result.stderr
    assert result.stderr.endswith("error: <stdin> does not parse; it was left as it is\n")
    latin1 = stdin('plan "Caf\xe9"\n'.encode("latin-1"))
    assert latin1.exit_code == 1
    assert "not UTF-8" in latin1.stderr


def test_standard_input_only_once(invoke: Invoke) -> None:
    result = invoke("fmt", "-", "-")
    assert result.exit_code == 2
    assert "can be given only once" in result.stderr


def test_a_plan_that_does_not_parse_is_reported_and_left_alone(
    invoke: Invoke, ws: Workspace
) -> None:
    ws.write("broken.plan", BROKEN)
    ws.write("bad.plan", BAD_PLAN)  # parses (its errors are the checker's): formatted
    result = invoke("fmt", "broken.plan", "t.plan", "bad.plan")
    assert result.exit_code == 1
    assert (ws.root / "broken.plan").read_text(encoding="utf-8") == BROKEN
    assert result.stderr.startswith("broken.plan:1:17: error[E002]: ")
    assert "error: broken.plan does not parse; it was left as it is\n" in result.stderr
    assert result.stderr.endswith("reformatted t.plan\nreformatted bad.plan\n")
    check = invoke("fmt", "--check", "broken.plan")
    assert check.exit_code == 1
    assert "would reformat" not in check.stderr


def test_a_plan_that_is_not_utf8(invoke: Invoke, ws: Workspace) -> None:
    (ws.root / "latin1.plan").write_bytes('plan "Caf\xe9"\n'.encode("latin-1"))
    result = invoke("fmt", "latin1.plan")
    assert result.exit_code == 1
    assert "E006" in result.stderr
    assert (ws.root / "latin1.plan").read_bytes() == 'plan "Caf\xe9"\n'.encode("latin-1")


def test_a_missing_file_is_exit_2_and_the_others_are_still_formatted(
    invoke: Invoke, ws: Workspace
) -> None:
    ws.write("broken.plan", BROKEN)
    result = invoke("fmt", "missing.plan", "broken.plan", "t.plan")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: missing.plan: no such plan file or directory\n")
    assert result.stderr.endswith("reformatted t.plan\n")


def test_directories_are_searched_for_plans(invoke: Invoke, ws: Workspace) -> None:
    ws.write("plans/a.plan", PLAN)
    ws.write("plans/deeper/b.plan", FORMATTED)
    ws.write("plans/.hidden/c.plan", PLAN)
    ws.write("plans/notes.txt", PLAN)
    result = invoke("fmt", "plans", "plans/a.plan")
    assert result.exit_code == 0
    a, b = str(Path("plans/a.plan")), str(Path("plans/deeper/b.plan"))
    assert result.stderr == f"reformatted {a}\n{b} already formatted\n"
    assert (ws.root / "plans/.hidden/c.plan").read_text(encoding="utf-8") == PLAN
    assert (ws.root / "plans/notes.txt").read_text(encoding="utf-8") == PLAN
    (ws.root / "empty").mkdir()
    empty = invoke("fmt", "empty")
    assert empty.exit_code == 2
    assert empty.stderr == "error: no .plan files in `empty`\n"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symbolic links")
def test_permissions_and_symbolic_links_are_kept(invoke: Invoke, ws: Workspace) -> None:
    plan = ws.root / "t.plan"
    plan.chmod(0o640)
    (ws.root / "link.plan").symlink_to("t.plan")
    result = invoke("fmt", "link.plan")
    assert result.exit_code == 0
    assert (ws.root / "link.plan").is_symlink()
    assert plan.read_text(encoding="utf-8") == FORMATTED
    assert stat.S_IMODE(plan.stat().st_mode) == 0o640
    assert sorted(p.name for p in ws.root.iterdir()) == ["data", "link.plan", "t.plan"]


def test_a_plan_that_cannot_be_written_is_exit_2(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(fmt_module, "replace_file", refuse)
    result = invoke("fmt", "t.plan")
    assert result.exit_code == 2
    assert result.stderr == "error: t.plan: cannot write the plan (Permission denied)\n"
    assert (ws.root / "t.plan").read_text(encoding="utf-8") == PLAN


def test_replace_file_leaves_no_temporary_file_behind(tmp_path: Path) -> None:
    target = tmp_path / "x.plan"
    target.write_bytes(b"old")
    fmt_module.replace_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["x.plan"]
    with pytest.raises(FileNotFoundError):
        fmt_module.replace_file(tmp_path / "missing.plan", b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["x.plan"]


def test_a_formatting_that_would_change_the_meaning_is_never_written(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulate a printer bug: the text it returns parses to a different plan.
    monkeypatch.setattr(fmt_module, "format_plan", lambda plan: FORMATTED.replace("5%", "6%"))
    result = invoke("fmt", "t.plan")
    assert result.exit_code == 3
    assert result.stderr == (
        "internal error: t.plan: the formatted plan would not mean the same; "
        "it was left as it is, please report it\n"
    )
    assert (ws.root / "t.plan").read_text(encoding="utf-8") == PLAN
    monkeypatch.setattr(fmt_module, "format_plan", lambda plan: "not a plan")
    assert invoke("fmt", "t.plan").exit_code == 3
    assert (ws.root / "t.plan").read_text(encoding="utf-8") == PLAN


def test_fmt_is_listed_in_the_help(invoke: Invoke) -> None:
    result = invoke("--help")
    assert "fmt" in result.stdout
    assert "canonical layout" in invoke("fmt", "--help").stdout
