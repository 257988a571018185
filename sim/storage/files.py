"""Output directories that are checked before the work and never left half-written.

:func:`check_destination` is called before an ensemble or a run starts: the directory must be
creatable and writable, and its file system must have room (a rough check: at least
:data:`MIN_FREE_BYTES`, or what the caller expects to write). :func:`atomic_dir` then writes every
file into a fresh temporary directory next to the destination and moves them into place only when
all were written: a failure (disk full, a killed process, an error while writing) leaves the
destination as it was and no temporary directory behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.errors import FlashpointError

__all__ = ["check_destination", "atomic_dir", "MIN_FREE_BYTES"]

#: The least free space an output directory's file system must have.
MIN_FREE_BYTES = 50 * 2**20


def _existing_ancestor(p: Path) -> Path:
    q = p
    while not q.exists():
        if q.parent == q:
            break
        q = q.parent
    return q


def check_destination(path: str | os.PathLike[str], expected_bytes: int = 0) -> Path:
    """Check that ``path`` can receive results, before any work is done.

    Raises:
        FlashpointError: ``path`` (or a parent) is a file, a parent is not writable, or the file
            system has less free space than ``max(expected_bytes, MIN_FREE_BYTES)``.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise FlashpointError(f"{p}: the output destination exists and is not a directory")
    base = _existing_ancestor(p.absolute())
    if not base.is_dir():
        raise FlashpointError(f"{p}: cannot create the output directory: {base} is not a directory")
    if not os.access(base, os.W_OK | os.X_OK):
        raise FlashpointError(f"{p}: cannot write the output directory: {base} is not writable")
    try:  # a real probe: permissions are not the whole story (read-only mounts, ACLs, root)
        with tempfile.TemporaryFile(dir=base, prefix=".flashpoint-probe-"):
            pass
    except OSError as exc:
        raise FlashpointError(f"{p}: cannot write the output directory: {base} is not writable "
                              f"({exc.strerror or exc})") from None
    need = max(int(expected_bytes), MIN_FREE_BYTES)
    try:
        free = shutil.disk_usage(base).free
    except OSError:
        free = None
    if free is not None and free < need:
        raise FlashpointError(f"{p}: not enough free disk space ({free / 2**20:,.0f} MB free, "
                              f"about {need / 2**20:,.0f} MB needed)")
    return p


@contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary directory whose files become ``path``'s when the block succeeds.

    The temporary directory is created next to ``path`` (same file system, so the moves are
    renames). On success each file (and sub-directory) is moved into ``path``, replacing a file of
    the same name; on any error the temporary directory is removed and ``path`` is unchanged.

    Raises:
        FlashpointError: the directory cannot be created or the files cannot be moved.
    """
    dest = Path(path)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent))
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the result gets the usual mode
    except OSError as exc:
        raise FlashpointError(f"cannot create the output directory {dest}: {exc.strerror or exc}") from None
    try:
        yield tmp
        if not dest.exists():
            os.replace(tmp, dest)
            return
        if not dest.is_dir():
            raise FlashpointError(f"{dest}: the output destination exists and is not a directory")
        for item in sorted(tmp.iterdir()):
            target = dest / item.name
            if item.is_dir() and target.is_dir():
                shutil.rmtree(target)
            os.replace(item, target)
    except OSError as exc:
        raise FlashpointError(f"cannot write {dest}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
