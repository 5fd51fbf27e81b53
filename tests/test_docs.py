"""Docs that run: console examples in docs/ are executed, the CLI reference is checked
against the commands' own options. (Python examples in docs run as doctests.)"""

from __future__ import annotations

import re
import shlex
import tempfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from negotiation.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = [*sorted((ROOT / "docs").glob("**/*.md")), ROOT / "README.md"]


def console_examples():
    """(doc, command line, expected output or None) for each `$ negotiation ...` line."""
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
            lines = block.splitlines()
            k = 0
            while k < len(lines):
                line = lines[k]
                k += 1
                if not line.startswith("$ "):
                    continue
                expected = []
                while k < len(lines) and not lines[k].startswith("$ "):
                    expected.append(lines[k])
                    k += 1
                out.append((doc.name, line[2:], "\n".join(expected).strip() or None))
    return out


EXAMPLES = console_examples()


def split_redirect(words):
    """``[..., ">", "file"]`` -> (words without the redirection, "file"); else (words, None)."""
    if len(words) >= 2 and words[-2] == ">":
        return words[:-2], words[-1]
    return words, None


@pytest.mark.parametrize(
    ("doc", "command", "expected"), EXAMPLES, ids=[f"{d}:{c}" for d, c, _ in EXAMPLES]
)
def test_console_example_runs(doc, command, expected, tmp_path_factory, monkeypatch):
    # One working folder per document, so later examples see files earlier ones wrote.
    folder = (
        Path(tempfile.gettempdir())
        / f"negotiation-docs-{tmp_path_factory.getbasetemp().name}-{doc}"
    )
    folder.mkdir(exist_ok=True)
    monkeypatch.chdir(folder)
    words = shlex.split(command)
    program = Path(words[0]).name
    assert program == "negotiation", f"{doc}: console examples must call negotiation: {command}"
    words, target = split_redirect(words)
    result = CliRunner().invoke(main, words[1:])
    assert result.exit_code == 0, f"{doc}: {command}\n{result.output}"
    shown = result.output
    if target is not None:  # `> FILE`: stdout goes to the file, the terminal shows stderr
        Path(target).write_text(result.stdout, encoding="utf-8")
        assert result.stdout.strip(), f"{doc}: {command} wrote nothing"
        shown = result.stderr
    if expected is not None:
        assert _norm(shown) == _norm(expected), f"{doc}: {command}"


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def test_cli_reference_documents_every_command_and_option():
    text = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"## negotiation {name}" in text, (
            f"docs/reference/cli.md lacks a section for {name}"
        )
        section = text.split(f"## negotiation {name}", 1)[1].split("\n## ", 1)[0]
        for param in command.params:
            if isinstance(param, click.Option):
                assert any(opt in section for opt in param.opts), (
                    f"{name}: {param.opts} undocumented"
                )


def test_api_reference_lists_every_public_name():
    import negotiation

    text = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    missing = [n for n in negotiation.__all__ if n != "__version__" and f"`{n}" not in text]
    assert not missing, f"docs/reference/api.md does not mention {missing}"


def test_limits_page_matches_the_code():
    """Every row of docs/reference/limits.md names a constant and its value as the code has it."""
    import importlib

    rows = re.findall(
        r"^\| `(negotiation[\w.]*)\.([A-Z_]+)` \| ([^|]+) \|",
        (ROOT / "docs" / "reference" / "limits.md").read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    assert len(rows) >= 25
    for module, name, value in rows:
        actual = getattr(importlib.import_module(module), name)
        assert str(actual) == value.strip(), (module, name, actual, value)


def test_every_relative_link_in_the_docs_resolves():
    import re

    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)\s]*)?\)")
    broken = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for target in link.findall(text):
            if re.match(r"^[a-z]+:", target) or target.startswith("/"):
                continue
            if not (doc.parent / target).exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert not broken, broken
