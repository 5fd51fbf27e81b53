"""Paper-ready tables (negotiation.analysis.paper_tables): readable names, numbers in
maths mode, escaping of file text, and every LaTeX table of every shipped scenario
compiled by a real LaTeX engine without an overfull box."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from fractions import Fraction

import sympy
from hypothesis import given
from hypothesis import strategies as st
from shipped_results import (
    SHIPPED,
    require_program,
    shipped_comparison,
    shipped_stability,
    without_tipping,
)

import negotiation as ng
from negotiation.analysis.compare import compare
from negotiation.analysis.paper_cells import (
    Number,
    PaperTable,
    Text,
    _parts,
    latex_cell,
    latex_tables,
    latex_text,
    markdown_text,
    unicode_number,
)
from negotiation.cli.main import main
from negotiation.repeated.report import stability_report
from negotiation.scenario import load_scenario
from negotiation.terminal import UNSAFE_CHARACTERS

HOSTILE = "Evil \\input{/etc/passwd} $x$ 100% #1 _a^b ~{}& <b>|\x1b[2J\u202e\n\nend 中 ą"


def test_numbers_in_maths_mode():
    assert latex_cell((Number(Fraction(4, 7)),)) == r"$\frac{4}{7} \approx 0.5714$"
    root = sympy.sqrt(57) / 6 - sympy.S.Half
    assert latex_cell((Number(root),)) == r"$-\frac{1}{2} + \frac{\sqrt{57}}{6} \approx 0.7583$"
    assert latex_cell((Number(Fraction(1, 4)),)) == "$0.25$"  # the decimal is exact
    assert latex_cell((Number(None, none="never"),)) == "never"
    assert latex_cell((Number(2.5e20, "decimal"),)) == r"$2.5 \times 10^{20}$"
    assert latex_cell((Number(Fraction(10) ** 40 / 3),)) == r"$\approx 3.3333 \times 10^{39}$"
    x = sympy.Symbol("x")
    assert latex_cell((Number(sympy.CRootOf(x**3 + x**2 + x - 1, 0)),)) == (
        r"$\approx 0.5437$ (root of $x^{3} + x^{2} + x - 1$)"
    )
    assert unicode_number(root) == "-1/2 + √57/6 ≈ 0.7583"


def test_file_text_is_escaped_for_latex_and_markdown():
    tex = latex_text(HOSTILE)
    assert tex.isascii() and "\\input{" not in tex and "\n" not in tex
    assert r"\textbackslash{}input\{/etc/passwd\} \$x\$ 100\% \#1 \_a\textasciicircum{}b" in tex
    assert "[U+4E2D]" in tex and r"\textbackslash{}x1b[2J" in tex  # visible, not raw
    md = markdown_text(HOSTILE)
    assert "\\<b\\>\\|" in md and not UNSAFE_CHARACTERS.search(md)


@given(st.text(max_size=40))
def test_latex_text_is_ascii_with_balanced_braces(text):
    tex = latex_text(text)
    assert tex.isascii() and "\n" not in tex
    depth = 0
    for ch in tex.replace("\\\\", "").replace("\\{", "").replace("\\}", ""):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert "$" not in tex.replace("\\$", "")  # no maths mode opened by the text


#: Characters random texts are drawn from in the compile test: LaTeX specials, accents,
#: Greek, symbols, scripts pdfLaTeX cannot set, control and bidi characters.
ALPHABET = "ab \\{}$&#^_%~<>|\"'`-éüçñåøłąőÅΩδε→≈≤×−–—“”…€中🕊\x00\x1b\x7f\x9b\u202e\u2028\t\n"


def _random_texts(count: int) -> list[str]:
    """Random texts (fixed under CI, fresh otherwise, like the hypothesis profiles)."""
    import os
    import random

    rng = random.Random(0 if os.environ.get("CI") else None)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def test_parts_are_balanced_and_cover_everything():
    assert [list(r) for r in _parts(5, 3)] == [[0, 1, 2], [3, 4]]
    assert [len(r) for r in _parts(7, 3)] == [3, 2, 2]
    assert [len(r) for r in _parts(4, 3)] == [2, 2]
    for n in range(1, 20):
        for most in range(1, 6):
            parts = _parts(n, most)
            assert [i for r in parts for i in r] == list(range(n))
            assert max(map(len, parts)) - min(map(len, parts)) <= 1
            assert max(map(len, parts)) <= most


def test_a_table_splits_into_parts_that_repeat_the_labels():
    cols = tuple((Text(f"c{k}"),) for k in range(5))
    rows = tuple(((Text(f"r{i}"),), tuple((Number(i + k),) for k in range(5))) for i in range(3))
    parts = latex_tables(PaperTable("t", "T", "", cols, rows), max_columns=2)
    assert len(parts) == 3 and all(p.count("r1 &") == 1 for p in parts)
    assert "(part 3 of 3)" in parts[2] and r"\label{tab:t:3}" in parts[2]


def test_comparison_tables_read_well():
    c = compare(load_scenario("chicken"), strategies=["k_period_punishment(k=2)"])
    tex = ng.comparison_latex(c)
    assert r"k-period punishment (k=2) & $-\frac{1}{2} + \frac{\sqrt{5}}{2} \approx 0.618$" in tex
    assert "k\\_period" not in tex and "\\toprule" in tex and "tabularx" in tex
    md = ng.comparison_markdown(c)
    assert "| Critical δ: k-period punishment (k=2) | -1/2 + √5/2 ≈ 0.618 |" in md
    # the tipping table names parameters by their descriptions, symbols and units
    s = load_scenario("us-china-export-controls-2025")
    tex = ng.comparison_latex(shipped_comparison(s.id))
    assert r"Chinese dependence on US technology inputs, $\theta_{cn}$ (share)" in tex
    assert r"$\frac{2}{9} \approx 0.2222$: unsustainable \ensuremath{\to} fragile" in tex
    assert "tipping points" in tex and "tipping points" not in ng.comparison_latex(
        without_tipping(shipped_comparison(s.id))
    )


def test_overrides_are_in_the_notes():
    c = compare(load_scenario("chicken"), ["baseline"], {"g": "2"}, tipping=False)
    assert "With g = 2 under every assumption." in ng.comparison_markdown(c)


def test_stability_tables_show_each_player_and_who_binds():
    r = stability_report(load_scenario("us-china-export-controls-2025"))
    md = ng.stability_markdown(r, players=["United States", "China"])
    assert "| Critical δ: United States | 1/8 = 0.125 |" not in md  # exact decimal alone
    assert "| Critical δ: United States | 0.125 |" in md
    assert "| Binding side | China | China | – | – |" in md
    assert "`h_us/(L_us*theta_us*x_hold)`" in md
    tex = ng.stability_latex(r)
    assert r"\delta^{*} = \frac{h_{us}}{L_{us} \theta_{us} x_{hold}}" in tex


def test_cli_formats_call_the_library():
    from click.testing import CliRunner

    runner = CliRunner()
    r = runner.invoke(main, ["compare", "chicken", "--no-tipping", "--format", "latex"])
    assert r.exit_code == 0 and r.output.startswith("% negotiation tables:")
    c = compare(load_scenario("chicken"), tipping=False)
    assert r.output == ng.comparison_latex(c) + "\n"
    r = runner.invoke(main, ["stability", "chicken", "--format", "markdown"])
    assert r.exit_code == 0 and "| Critical δ: Row player | 0.5 |" in r.output


def _hostile_scenario():
    """Prisoner's Dilemma with a title full of LaTeX specials and control characters
    (files refuse control characters; a Scenario built in Python may hold them)."""
    return dataclasses.replace(load_scenario("prisoners-dilemma"), title=HOSTILE)


def _compile(tmp_path, document: str) -> str:
    engine = require_program("pdflatex", "texlive-latex-recommended")
    (tmp_path / "tables.tex").write_text(document, encoding="utf-8")
    done = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "tables.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (tmp_path / "tables.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log[-3000:]
    return log


def test_every_latex_table_of_the_shipped_scenarios_fits_the_page(tmp_path):
    bodies = []
    for name in SHIPPED:
        c = shipped_comparison(name)
        bodies += [
            ng.comparison_latex(c, label=f"tab:{name}:tipping"),
            r"\clearpage",
            ng.comparison_latex(without_tipping(c), label=f"tab:{name}:no-tipping"),
            r"\clearpage",
            ng.stability_latex(shipped_stability(name)),
            r"\clearpage",
        ]
    log = _compile(tmp_path, ng.latex_document(*bodies))
    problems = re.findall(
        r"^(Overfull \\[hv]box.*|LaTeX Warning: Float too large.*|LaTeX Warning: Label .* multiply.*)$",
        log,
        flags=re.MULTILINE,
    )
    assert not problems, "\n".join(problems)
    assert log.count("Overfull") == 0 and "Output written" in log


def test_a_hostile_title_compiles(tmp_path):
    s = _hostile_scenario()
    c = compare(s, ["baseline"], strategies=["grim_trigger"], tipping=False)
    r = stability_report(s, strategies=["grim_trigger"])
    texts = " \\par ".join(latex_text(t) for t in _random_texts(300))
    log = _compile(
        tmp_path,
        ng.latex_document(ng.comparison_latex(c), ng.stability_latex(r), texts, title=HOSTILE),
    )
    assert "Evil" in log or "Output written" in log
