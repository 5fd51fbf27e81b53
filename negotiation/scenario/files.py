"""Reading input files from strangers: bounded in size, regular files only, UTF-8.

Every file the package reads (scenario YAML, Gambit ``.nfg``) goes through
:func:`read_limited`: a FIFO, a device or a directory is refused before it is opened
for reading (opening a FIFO would block), the size is checked from the file's metadata
and again while reading (a file growing underneath is cut off at the limit, never read
whole), and every I/O problem becomes a located :class:`~negotiation.errors.ScenarioError`.
"""

from __future__ import annotations

import errno
import os
import stat

from negotiation.errors import ScenarioError

__all__ = ["read_limited"]


def _kb(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1000} kB"


def read_limited(path: str | os.PathLike[str], shown: str, max_bytes: int, what: str) -> str:
    """The text of a regular UTF-8 file of at most ``max_bytes`` bytes.

    Parameters
    ----------
    path : str or os.PathLike
    shown : str
        How errors name the file.
    max_bytes : int
    what : str
        What the file is, for the size message (e.g. ``"scenario files"``).

    Returns
    -------
    str

    Raises
    ------
    ScenarioError
        Not found, a symlink loop, not a regular file (FIFO, device, directory),
        larger than ``max_bytes``, unreadable or not UTF-8 (with the line of the first
        bad byte).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "a.yaml"
    ...     _ = p.write_text("schema: 1\\n", encoding="utf-8")
    ...     read_limited(p, "a.yaml", 1000, "scenario files")
    'schema: 1\\n'
    >>> try:
    ...     read_limited("/dev/null", "/dev/null", 1000, "scenario files")
    ... except ScenarioError as e:
    ...     print(e)
    /dev/null: (top level): not a regular file (a character device); give the path of a file
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ScenarioError(_reason(exc), file=shown) from None
    except ValueError:  # a NUL character in the path
        raise ScenarioError(
            "cannot read the file: its name holds a NUL character", file=shown
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(
            f"not a regular file ({_kind(info.st_mode)}); give the path of a file", file=shown
        )
    too_big = ScenarioError(
        f"the file is larger than {_kb(max_bytes)}; {what} are smaller", file=shown
    )
    if info.st_size > max_bytes:
        raise too_big
    try:
        # O_NONBLOCK: should the path have been swapped for a FIFO since the check,
        # opening it does not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ScenarioError(_reason(exc), file=shown) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ScenarioError("not a regular file; give the path of a file", file=shown)
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ScenarioError(_reason(exc), file=shown) from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise too_big
    data = b"".join(chunks)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})",
            file=shown,
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from None


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "cannot read the file: a loop of symbolic links"
    if exc.errno == errno.ENOENT:
        return "cannot read the file: no such file"
    return f"cannot read the file: {exc.strerror or exc}"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
