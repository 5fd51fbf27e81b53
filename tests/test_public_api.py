"""The public API in ``negotiation/__init__.py``: every name resolves, ``dir`` shows only
public names, and every public function and class documents a runnable example."""

from __future__ import annotations

import inspect

import pytest

import negotiation


def test_dir_lists_only_the_public_names():
    assert dir(negotiation) == sorted(negotiation.__all__)
    assert not {"Any", "TYPE_CHECKING", "annotations", "importlib"} & set(dir(negotiation))


@pytest.mark.parametrize("name", [n for n in negotiation.__all__ if n != "__version__"])
def test_every_public_name_resolves_and_has_an_example(name):
    value = getattr(negotiation, name)
    assert value.__module__.startswith("negotiation.")
    docs = [inspect.getdoc(value) or ""]
    if inspect.isclass(value):  # a class shows its use in its own or its methods' docs
        docs += [inspect.getdoc(m) or "" for k, m in vars(value).items() if not k.startswith("_")]
    assert any(">>> " in d for d in docs), f"{name} has no runnable example in its docs"


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="no attribute 'solve_everything'"):
        negotiation.solve_everything  # noqa: B018


def test_results_have_short_reprs_and_escaped_html():
    s = negotiation.load_scenario("us-china-export-controls-2025")
    c = negotiation.compare(s, tipping=False)
    r = negotiation.stability_report(s)
    for result in (c, r):
        assert len(repr(result)) < 400
        page = result._repr_html_()
        assert page.startswith("<table>") and "<script" not in page
    assert "baseline: stable" in repr(c)
    assert "δ* = 4/7" in repr(r)


def test_html_tables_escape_text_from_files():
    from negotiation.html_table import html_table

    page = html_table(["<script>alert(1)</script>"], [["a & b"]], caption='"x" <y>')
    assert "<script>" not in page and "&lt;script&gt;" in page and "a &amp; b" in page


def test_sweep_results_are_read_only():
    s = negotiation.load_scenario("prisoners-dilemma")
    result = negotiation.sweep(s, ["T=4:10:4"], strategies=["grim_trigger"])
    with pytest.raises(ValueError, match="read-only"):
        result.discount[0] = 0.5
    with pytest.raises(ValueError, match="read-only"):
        result.columns["critical"][0, 0] = 0.5
    with pytest.raises(TypeError):
        result.columns["critical"] = None  # type: ignore[index]
    assert "4 points" in repr(result)


def test_sustainability_to_dict_and_the_discount_check():
    from fractions import Fraction

    game = negotiation.StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    grim = [negotiation.strategy_for("grim_trigger", game, player, (0, 0)) for player in (0, 1)]
    sus = negotiation.sustainability(game, grim[0], grim[1], (0, 0))
    check = sus.at_discount(Fraction(1, 4))
    assert (check.spe, check.margin) == (False, Fraction(-4, 3))  # (-2 + 4δ) / (1 - δ)
    assert isinstance(check, negotiation.DiscountCheck)
    d = sus.to_dict()
    assert d["spe_region"] == [
        {"low": "1/2", "high": "1", "low_closed": True, "high_closed": False}
    ]
    eq = negotiation.extreme_equilibria(game).equilibria[0]
    assert eq.to_dict()["strategies"] == {
        "row": {"1": "0", "2": "1"},
        "column": {"1": "0", "2": "1"},
    }


def test_old_strategy_builders_still_work_with_a_deprecation_warning():
    game = negotiation.StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.warns(DeprecationWarning, match="strategy_for"):
        build = negotiation.build_strategy
    with pytest.warns(DeprecationWarning, match="strategy_for"):
        context = negotiation.context_for
    old = build("grim_trigger", context(game, 0, (0, 0)))
    assert old == negotiation.strategy_for("grim_trigger", game, 0, (0, 0))
    assert "build_strategy" not in dir(negotiation)


def test_strategy_for_takes_player_ids_and_move_labels():
    s = negotiation.load_scenario("us-china-export-controls-2025")
    game = negotiation.stage_game(s)
    by_name = negotiation.strategy_for("grim_trigger", game, "cn", ("roll_back", "roll_back"))
    by_index = negotiation.strategy_for("grim_trigger", game, 1, (0, 0))
    assert by_name == by_index
    with pytest.raises(negotiation.GameError, match="unknown player 'eu'"):
        negotiation.strategy_for("grim_trigger", game, "eu", (0, 0))
    with pytest.raises(negotiation.GameError, match="unknown move 'surrender'"):
        negotiation.strategy_for("grim_trigger", game, 0, ("surrender", "hold"))
    with pytest.raises(TypeError):
        negotiation.strategy_for("grim_trigger", game, 0, (0, 0), None)  # options by keyword


def test_seeds_accept_a_generator_and_record_the_seed_drawn():
    import numpy as np

    game = negotiation.StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    a = negotiation.trajectory(game, "fictitious", steps=20, seed=np.random.default_rng(5))
    b = negotiation.trajectory(game, "fictitious", steps=20, seed=a.seed)
    assert isinstance(a.seed, int)
    assert np.array_equal(a.row, b.row)
    s = negotiation.load_scenario("prisoners-dilemma")
    r = negotiation.robustness(s, samples=32, seed=np.random.default_rng(1), uniform_ranges=True)
    again = negotiation.robustness(s, samples=32, seed=r.seed, uniform_ranges=True)
    assert r.to_dict()["assumptions"] == again.to_dict()["assumptions"]
