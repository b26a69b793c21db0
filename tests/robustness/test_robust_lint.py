"""No eval, exec, pickle or dynamic import of anything derived from input.

Two guards: ruff's bandit rules (S102 exec, S307 eval, S301 pickle), which
``pyproject.toml`` selects for the whole project, are shown to fire; and an
AST scan of ``src/incentives`` finds no call of ``eval``, ``exec``,
``compile`` or ``__import__``, no import of a deserialiser that runs code, and
``importlib.import_module`` only where the CLI imports its subcommands.

Why that one import is safe: ``incentives.cli`` lists its subcommands in the
constant tuple ``COMMANDS``; ``get_command`` returns None for any name not in
``list_commands`` (which only filters ``COMMANDS``) before it imports
``incentives.cli.<name>``. A user's word can choose among those modules but
never name another one.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

from .support import REPO, SRC

PACKAGE = SRC / "incentives"
RULES = {"S102", "S307", "S301"}

#: Calls of builtins that run or compile code from text.
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "breakpoint"}
#: Modules that run code while loading data, or load code from a path.
FORBIDDEN_MODULES = {
    "pickle",
    "cPickle",
    "_pickle",
    "dill",
    "cloudpickle",
    "joblib",
    "marshal",
    "shelve",
    "runpy",
    "code",
    "codeop",
}
#: (module path, function) where importlib.import_module may appear.
ALLOWED_IMPORTS = {("cli/__init__.py", "get_command")}


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )


def test_the_project_selects_the_rules() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert set(lint["select"]) >= RULES
    assert not RULES & set(lint.get("ignore", []))
    for pattern, ignored in lint.get("per-file-ignores", {}).items():
        assert pattern.startswith("tests") or not {"S", *RULES} & set(ignored), pattern


def test_ruff_flags_eval_exec_and_pickle(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pickle\n\n\n"
        "def load(text: str, blob: bytes) -> object:\n"
        "    exec(text)\n"
        "    pickle.loads(blob)\n"
        "    return eval(text)\n",
        encoding="utf-8",
    )
    done = _ruff(
        "check",
        "--config",
        str(REPO / "pyproject.toml"),
        "--no-cache",
        "--output-format",
        "json",
        str(bad),
    )
    assert done.returncode == 1, done.stderr
    found = {finding["code"] for finding in json.loads(done.stdout)}
    assert found >= RULES, found


def test_the_package_is_clean_under_the_rules() -> None:
    done = _ruff(
        "check",
        "--config",
        str(REPO / "pyproject.toml"),
        "--no-cache",
        "--select",
        ",".join(sorted(RULES)),
        str(PACKAGE),
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _functions(tree: ast.Module) -> dict[ast.AST, str]:
    """Every node inside a function, mapped to that function's name."""
    owner: dict[ast.AST, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                owner[inner] = node.name
    return owner


def _problems(module: str, tree: ast.Module) -> list[str]:
    """Every call, import or dynamic import the rules above forbid in one module."""
    owner = _functions(tree)
    problems: list[str] = []
    for node in ast.walk(tree):
        where = f"{module}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                problems.append(f"{where}: call of {func.id}()")
            if isinstance(func, ast.Attribute) and func.attr in ("import_module", "__import__"):
                if (module, owner.get(node, "")) not in ALLOWED_IMPORTS:
                    problems.append(f"{where}: dynamic import outside {sorted(ALLOWED_IMPORTS)}")
            if isinstance(func, ast.Attribute) and func.attr in (
                "spec_from_file_location",
                "load_module",
                "exec_module",
            ):
                problems.append(f"{where}: loads code from a path ({func.attr})")
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                    problems.append(f"{where}: import {alias.name}")
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in FORBIDDEN_MODULES:
                problems.append(f"{where}: from {node.module} import …")
            if node.module == "importlib" and any(a.name == "import_module" for a in node.names):
                problems.append(f"{where}: import_module imported by name (use importlib.…)")
    return problems


def test_the_scan_finds_what_it_looks_for() -> None:
    bad = ast.parse(
        "import pickle\n"
        "from marshal import loads\n"
        "import importlib\n"
        "def plugin(name):\n"
        "    eval(name)\n"
        "    exec(name)\n"
        "    __import__(name)\n"
        "    return importlib.import_module(name)\n"
    )
    assert len(_problems("report/evil.py", bad)) == 6


def test_no_code_from_text_and_no_dynamic_import() -> None:
    problems = [p for module, tree in _modules() for p in _problems(module, tree)]
    assert not problems, problems


def test_the_cli_imports_only_its_own_commands() -> None:
    tree = ast.parse((PACKAGE / "cli" / "__init__.py").read_text(encoding="utf-8"))
    commands = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == "COMMANDS"
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    )
    assert isinstance(commands, ast.Tuple)
    assert all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in commands.elts)
    names = [str(e.value) for e in commands.elts if isinstance(e, ast.Constant)]
    assert all(name.isidentifier() for name in names), names

    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    listed = functions["list_commands"]
    assert any(isinstance(n, ast.Name) and n.id == "COMMANDS" for n in ast.walk(listed))

    get = functions["get_command"]
    guard = get.body[0]
    assert isinstance(guard, ast.If), "get_command starts by refusing unknown names"
    test = guard.test
    assert isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.NotIn)
    listing = test.comparators[0]
    assert isinstance(listing, ast.Call) and isinstance(listing.func, ast.Attribute)
    assert listing.func.attr == "list_commands"
    assert isinstance(guard.body[0], ast.Return)
    returned = guard.body[0].value
    assert returned is None or (isinstance(returned, ast.Constant) and returned.value is None)
