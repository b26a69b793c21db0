"""The documentation site (mkdocs.yml) builds offline, strictly, and shows what it should.

One ``mkdocs build --strict`` per session, into a temporary directory; every
test reads its output. Strict means any warning fails the build: a broken link
or anchor, a page missing from the nav, a fence the Markdown does not read.

The ``plan`` lexer reaches Pygments through the ``pygments.lexers`` entry point
in pyproject.toml, which exists once incentives is installed (``pip install
-e '.[dev]'``, as CI does). Where the tests run on ``PYTHONPATH=src`` without
an install, the build is given that same entry point, read from pyproject.toml,
in a throwaway ``.dist-info`` directory.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import click
import pytest

from incentives.cli import cli

ROOT = Path(__file__).resolve().parents[2]

#: A strict build takes a few seconds; this only stops a hung one.
TIMEOUT = 300

#: The XML namespace of inline SVG icons: a name, never fetched.
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"

#: Attributes and CSS that make a browser fetch something: these may not leave the site.
_FETCHES = re.compile(
    r"""<(?:script|link|img|iframe|source|audio|video|embed|object)\b[^>]*?"""
    r"""\b(?:src|href|srcset|data)\s*=\s*["']?\s*(?P<tag>[a-z]+:)?//"""
    r"""|url\(\s*["']?(?P<css>[a-z]+:)?//"""
    r"""|@import\s+["'](?P<imp>[a-z]+:)?//""",
    re.IGNORECASE,
)
_HEAD_AND_SCRIPTS = re.compile(r"<head>.*?</head>|<script\b.*?</script>", re.DOTALL)
_PLAN_BLOCK = re.compile(
    r'<div class="language-(?P<lang>plan[\w-]*) highlight">(?P<html>.*?)</div>', re.DOTALL
)


def _lexer_path(directory: Path) -> list[str]:
    """A ``.dist-info`` declaring pyproject's ``plan`` lexer, if incentives is not installed."""
    if any(ep.name == "plan" for ep in entry_points(group="pygments.lexers")):
        return []
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = project["project"]["entry-points"]["pygments.lexers"]["plan"]
    info = directory / "incentives_docs_lexer-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: incentives-docs-lexer\nVersion: 0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[pygments.lexers]\nplan = {target}\n", encoding="utf-8"
    )
    return [str(directory)]


@dataclass(frozen=True)
class Site:
    directory: Path
    #: What mkdocs printed.
    output: str

    def html(self, name: str) -> str:
        return (self.directory / name).read_text(encoding="utf-8")

    def pages(self) -> list[Path]:
        return sorted(self.directory.rglob("*.html"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    directory = tmp_path_factory.mktemp("site")
    paths = [str(ROOT / "src"), *_lexer_path(tmp_path_factory.mktemp("lexer"))]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(directory)]
    done = subprocess.run(
        [*command, "--config-file", str(ROOT / "mkdocs.yml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}{done.stderr}"
    return Site(directory, done.stdout + done.stderr)


def test_the_strict_build_succeeds_without_warnings(site: Site) -> None:
    assert "WARNING" not in site.output, site.output
    assert (site.directory / "index.html").is_file()


def test_no_page_fetches_anything_from_the_network(site: Site) -> None:
    found = []
    for page in site.pages():
        name = page.relative_to(site.directory).as_posix()
        text = page.read_text(encoding="utf-8")
        found += [f"{name}: {m[0]}" for m in _FETCHES.finditer(text)]
        # No address at all in the head or in inline scripts (a hyperlink in
        # the prose is a link to follow, not a resource, and is allowed).
        for part in _HEAD_AND_SCRIPTS.findall(text):
            urls = re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'<>)]*", part)
            found += [f"{name}: {url}" for url in urls if url != _SVG_NAMESPACE]
    assert not found, "\n".join(found)
    assert "fonts.googleapis" not in site.html("index.html")


def test_the_site_opens_from_the_file_system(site: Site) -> None:
    index = site.html("index.html")
    # Links to files, not to directories (use_directory_urls: false).
    assert 'href="tutorial.html"' in index
    assert 'href="how-to/tiers.html"' in index
    assert (site.directory / "how-to" / "tiers.html").is_file()


def test_plan_blocks_are_highlighted_by_the_plan_lexer(site: Site) -> None:
    blocks: dict[str, list[str]] = {}
    for page in ("index.html", "language.html", "errors.html", "how-to/tiers.html"):
        for match in _PLAN_BLOCK.finditer(site.html(page)):
            blocks.setdefault(match["lang"], []).append(match["html"])
    # A complete plan, a fragment, and a plan fenced with `triggers=…` for the tests.
    assert set(blocks) == {"plan", "plan-fragment"}
    for lang, found in blocks.items():
        # The text lexer would leave the code unmarked; the plan lexer marks
        # every token, and declarations (`plan`, `measure` …) as `kd`.
        assert all('<span class="' in html for html in found), lang
        assert sum('<span class="kd">' in html for html in found) > len(found) / 2, lang
    # Every plan fence of errors.md is a highlighted block, `plan triggers=E301`
    # and `plan-fragment triggers=W405` included.
    source = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    fences = re.findall(r"^```(plan\S*)( triggers=\S+)?", source, re.MULTILINE)
    assert any(triggers for _, triggers in fences)
    rendered = _PLAN_BLOCK.findall(site.html("errors.html"))
    assert sorted(lang for lang, _ in rendered) == sorted(lang for lang, _ in fences)


def test_the_cli_reference_lists_every_command(site: Site) -> None:
    page = site.html("cli.html")
    commands = cli.list_commands(click.Context(cli))
    assert len(commands) >= 10
    missing = [
        name
        for name in commands
        if f'id="incentives-{name}"' not in page or f"incentives {name} [OPTIONS]" not in page
    ]
    assert not missing, f"cli.md does not document {missing}"
    # Options as `--help` prints them, not click's internal placeholders.
    assert "Sentinel" not in page
    assert "--data DIR" in page
