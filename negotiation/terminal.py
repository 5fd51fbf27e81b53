r"""Text made safe for a terminal: control characters shown as visible escapes.

A leaf module (standard library only), used wherever text from a file can reach a
terminal or a figure: the CLI's tables and messages, and the plots' labels.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE_CHARACTERS", "safe_text"]

#: Characters never sent raw to a terminal: C0 controls (but tab and newline), DEL, C1
#: controls, bidirectional embeddings, overrides, isolates and marks, line and
#: paragraph separators, byte-order marks, interlinear annotations, and lone surrogates
#: (which cannot even be encoded).
UNSAFE_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    r"\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(text: object) -> str:
    r"""``text`` with every :data:`UNSAFE_CHARACTERS` replaced by a visible escape.

    Newlines and tabs are kept; anything else that a terminal could act on (escape
    sequences, carriage returns, bidi overrides) is shown as a hexadecimal escape,
    ``\x1b``, ``\x0d`` or ``\u202e``. Idempotent; printable text (accents, δ, CJK,
    emoji) is unchanged.

    Examples
    --------
    >>> print(safe_text("\x1b[2Jtitle\x07 δ\u202e\r\n"))
    \x1b[2Jtitle\x07 δ\u202e\x0d
    <BLANKLINE>
    >>> safe_text(safe_text("\x9b")) == safe_text("\x9b") == r"\x9b"
    True
    """
    return UNSAFE_CHARACTERS.sub(_visible, text if isinstance(text, str) else str(text))
