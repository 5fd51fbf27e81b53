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
