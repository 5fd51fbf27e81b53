"""Shared pieces of the figures: file checks, an Agg figure, colours, number formats.

Every string from a file (title, assumption, move, strategy and parameter names) goes
into a figure through :func:`text`: a ``$`` never starts matplotlib's maths mode and
control characters are drawn as visible escapes. Figures are saved atomically
(:func:`negotiation.output_files.atomic_path`): never half-written.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation.errors import NegotiationError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "MISSING_COLOUR",
    "NA_COLOUR",
    "SUFFIXES",
    "VERDICT_COLOURS",
    "check_path",
    "check_size",
    "figure",
    "fmt",
    "headline",
    "legend_patch",
    "number",
    "save",
    "side_legend",
    "text",
]

#: Resolution of PNG files.
DPI = 120
#: File types a figure can be saved as.
SUFFIXES = (".png", ".svg", ".pdf")
#: Colours of the verdicts (and of points that could not be analysed).
VERDICT_COLOURS = {
    "unsustainable": "#d7301f",
    "fragile": "#f39a2b",
    "stable": "#1a9850",
}
NA_COLOUR = "#9e9e9e"
#: Cells or points where a metric has no value ("never", "no sustained profile").
MISSING_COLOUR = "#bdbdbd"


def plot_install_hint() -> str:
    """How to get matplotlib for this install: from a source clone (an editable install,
    where ``negotiation[plot]`` from the index would be another copy), the clone's own
    extra; otherwise the published package's.

    Examples
    --------
    >>> "[plot]" in plot_install_hint()
    True
    """
    root = Path(__file__).resolve().parents[3]
    if (root / "setup.cfg").is_file() and (root / "negotiation").is_dir():
        return f"pip install -e '{root}[plot]' (this source clone's plot extra)"
    return "pip install 'negotiation[plot]'"


def check_path(path: str | os.PathLike[str]) -> Path:
    """The file to draw to; a NegotiationError for another suffix, a missing directory,
    a symbolic link or anything but a regular file (see
    :func:`negotiation.output_files.check_target`).

    Examples
    --------
    >>> check_path("figure.gif")
    Traceback (most recent call last):
    ...
    negotiation.errors.NegotiationError: cannot draw to 'figure.gif': the file name must end in .png, .svg or .pdf
    """  # noqa: E501
    from negotiation.output_files import check_target

    out = Path(path)
    if out.suffix.lower() not in SUFFIXES:
        raise NegotiationError(
            f"cannot draw to {str(out)!r}: the file name must end in .png, .svg or .pdf"
        )
    if not out.parent.is_dir():
        raise NegotiationError(f"cannot draw to {str(out)!r}: no directory {str(out.parent)!r}")
    return check_target(out)


def text(value: object) -> str:
    r"""A string from a file as a figure shows it literally: ``$`` escaped (no maths
    mode, whose parser fails on ``$#_x$``), control characters as visible escapes.

    Examples
    --------
    >>> print(text("costs $5 $x_1$"), text("a\x1b[2Jb"))
    costs \$5 \$x_1\$ a\x1b[2Jb
    """
    from negotiation.terminal import safe_text

    return safe_text(value).replace("$", "\\$")


#: Smallest and largest figure side, in inches (``size=``).
SIZE_RANGE = (2.0, 40.0)


def check_size(size: object) -> tuple[float, float] | None:
    """A figure size ``(width, height)`` in inches, checked, or None for the default.

    Examples
    --------
    >>> check_size((8, 4.5)), check_size(None)
    ((8.0, 4.5), None)
    >>> check_size((1e9, 3))
    Traceback (most recent call last):
    ...
    negotiation.errors.NegotiationError: a figure size is (width, height) in inches, each from 2 to 40, got (1000000000.0, 3)
    """  # noqa: E501
    if size is None:
        return None
    lo, hi = SIZE_RANGE
    try:
        w, h = (float(x) for x in size)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        w = h = math.nan
    if not (lo <= w <= hi and lo <= h <= hi):
        raise NegotiationError(
            f"a figure size is (width, height) in inches, each from {lo:g} to {hi:g}, got {size!r}"
        )
    return (w, h)


def headline(fig: Figure, default: str | None, title: str | None) -> None:
    """The figure's title: ``title`` when given (``""`` for none), else ``default``.

    Examples
    --------
    >>> fig = figure(3, 2)
    >>> headline(fig, "default", "mine"); fig.get_suptitle()
    'mine'
    """
    chosen = default if title is None else title
    if chosen:
        fig.suptitle(text(chosen))


def figure(width: float, height: float, size: tuple[float, float] | None = None) -> Figure:
    """A figure on its own Agg canvas, with constrained layout; ``size`` (checked by
    :func:`check_size`) replaces the default ``(width, height)``."""
    chosen = check_size(size)
    if chosen is not None:
        width, height = chosen
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise NegotiationError(f"plots need matplotlib: {plot_install_hint()}") from None
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, path: Path) -> Path:
    """Save a figure to ``path`` atomically, in the format its suffix names.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = save(figure(2, 2), Path(tmp) / "empty.svg")
    ...     sorted(p.name for p in Path(tmp).iterdir())
    ['empty.svg']
    """
    from negotiation.output_files import atomic_path

    with atomic_path(path) as part:
        fig.savefig(part, dpi=DPI, format=path.suffix.lower()[1:])
    return path


def legend_patch(colour: str, label: str, **kwargs: Any) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor="0.3", label=label, **kwargs)


def side_legend(ax: Axes, handles: list[Any]) -> None:
    """A legend to the right of the axes, top-aligned with them."""
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")


def number(value: Any) -> float:
    """A float of an exact number (Fraction, sympy number) or NaN for ``None``."""
    return math.nan if value is None else float(value)


def fmt(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3g}"
