"""The layers' import rule, checked on the source: scenario -> games -> repeated ->
analysis -> cli, imports pointing downward only (including imports inside functions).

Leaf modules at the top of the package (errors, numbers, limits, terminal text, output
files, the version) import no layer and may be used by every layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "negotiation"
LAYERS = ["scenario", "games", "repeated", "analysis", "cli"]


def _layer(module: str) -> int | None:
    """The rank of ``negotiation.<layer>...`` or None for a leaf or the package itself."""
    parts = module.split(".")
    if parts[0] != "negotiation" or len(parts) < 2:
        return None
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
    return out


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(rel.parts)


def test_imports_point_downward_only():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        if name == "negotiation.__init__":
            continue  # the public API names every layer (lazily)
        own = _layer(name)
        for line, target in _imports(path):
            rank = _layer(target)
            if rank is None or not target.startswith("negotiation"):
                continue
            if own is None or rank > own:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_leaf_modules_import_no_layer():
    leaves = [p for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert {p.stem for p in leaves} >= {"errors", "numbers", "limits", "terminal"}
    for path in leaves:
        for line, target in _imports(path):
            assert _layer(target) is None, f"{path.name}:{line} imports {target}"
