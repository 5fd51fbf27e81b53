"""Files the commands write: checked before any work, written atomically.

A file is written to a temporary file in its own directory and renamed into place only
when complete, so an error, Ctrl-C or SIGTERM never leaves a half-written file (the
temporary is removed; only SIGKILL can leave a hidden ``.NAME.*.tmp`` behind).
Symbolic links are refused rather than written through, and so is anything that is not
a regular file (a device, a FIFO); operating-system errors become a
:class:`~negotiation.errors.NegotiationError` naming the file. Standard library only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from negotiation.errors import NegotiationError

__all__ = ["atomic_path", "check_target", "write_text"]


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def check_target(path: str | os.PathLike[str], *, force: bool = True, probe: bool = False) -> Path:
    """The file ``path`` as one that may be written, or a NegotiationError saying why not.

    Refused: a symbolic link (even a dangling one), an existing file that is not a
    regular file, an existing file when not ``force``, a missing directory; with
    ``probe``, also a directory where no file can be made (tried with a temporary file,
    removed at once), so that a command fails before its work rather than after.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     check_target(Path(tmp) / "out.csv").name
    'out.csv'
    >>> check_target("no/such/dir/out.csv")
    Traceback (most recent call last):
    ...
    negotiation.errors.NegotiationError: cannot write no/such/dir/out.csv: no directory no/such/dir
    """
    target = Path(path)
    if not target.name or target.name in (".", ".."):
        raise NegotiationError(f"cannot write {target}: not a file name")
    try:
        if target.is_symlink():
            raise NegotiationError(
                f"cannot write {target}: it is a symbolic link (not followed); "
                "remove it or name the file it points to"
            )
        if target.exists():
            if not target.is_file():
                raise NegotiationError(f"cannot write {target}: it exists and is not a file")
            if not force:
                raise NegotiationError(f"{target} exists; use --force to overwrite it")
        if not target.parent.is_dir():
            raise NegotiationError(f"cannot write {target}: no directory {target.parent}")
        if probe:
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            os.close(fd)
            os.unlink(name)
    except OSError as exc:  # e.g. a name too long, a path through a file, /proc
        raise NegotiationError(f"cannot write {target}: {_why(exc)}") from None
    return target


def _mode(target: Path) -> int:
    """Permissions of the new file: the old file's, else the default of the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, force: bool = True) -> Iterator[Path]:
    """A temporary file to write, renamed onto ``path`` when the block succeeds.

    The target is checked by :func:`check_target` first. On any exception in the block
    (Ctrl-C included) the temporary file is removed and ``path`` is untouched.

    Raises
    ------
    NegotiationError
        The target is refused, or the operating system refuses to write it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with atomic_path(Path(tmp) / "out.txt") as part:
    ...         _ = part.write_text("done", encoding="utf-8")
    ...     sorted(p.name for p in Path(tmp).iterdir())
    ['out.txt']
    """
    target = check_target(path, force=force)
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise NegotiationError(f"cannot write {target}: {_why(exc)}") from None
    part = Path(name)
    done = False
    try:
        try:
            os.fchmod(fd, _mode(target))
        finally:
            os.close(fd)
        yield part
        if target.is_symlink():  # appeared while the file was being made
            raise NegotiationError(f"cannot write {target}: it became a symbolic link")
        os.replace(part, target)  # replaces a link itself, never what it points to
        done = True
    except OSError as exc:
        raise NegotiationError(f"cannot write {target}: {_why(exc)}") from None
    finally:
        if not done:
            with suppress(OSError):
                part.unlink()


def write_text(path: str | os.PathLike[str], text: str, *, force: bool = True) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_path`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_text(Path(tmp) / "a.yaml", "x: 1\\n")
    ...     write_text(out, "x: 2\\n", force=False)
    Traceback (most recent call last):
    ...
    negotiation.errors.NegotiationError: ... exists; use --force to overwrite it
    """
    with atomic_path(path, force=force) as part, open(part, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)
