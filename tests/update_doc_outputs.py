"""Rewrite the expected output of console examples in docs/ (run on request only).

Usage: python tests/update_doc_outputs.py docs/tutorials/getting-started.md [...]

Only examples that already show an output are rewritten; review the diff before
committing it, since the docs' prose must still match what the output says.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from negotiation.cli.main import main as cli


def rewrite(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    here = os.getcwd()
    os.chdir(tempfile.mkdtemp())
    try:

        def block(match: re.Match[str]) -> str:
            lines = match.group(1).splitlines()
            out: list[str] = []
            k = 0
            while k < len(lines):
                line = lines[k]
                k += 1
                if not line.startswith("$ "):
                    out.append(line)
                    continue
                shown = []
                while k < len(lines) and not lines[k].startswith("$ "):
                    shown.append(lines[k])
                    k += 1
                out.append(line)
                words = shlex.split(line[2:])
                target = None
                if len(words) >= 2 and words[-2] == ">":
                    words, target = words[:-2], words[-1]
                result = CliRunner().invoke(cli, words[1:])
                text_out = result.output
                if target is not None:
                    Path(target).write_text(result.stdout, encoding="utf-8")
                    text_out = result.stderr
                if any(s.strip() for s in shown):
                    out.extend(x.rstrip() for x in text_out.rstrip("\n").splitlines())
            return "```console\n" + "\n".join(out) + "\n```"

        text = re.sub(r"```console\n(.*?)```", block, text, flags=re.S)
    finally:
        os.chdir(here)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        rewrite(Path(name))
