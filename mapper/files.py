"""Files written whole or not at all: a failed write leaves no partial file and any old one intact."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, OutputError


def read_bytes(path: str | Path, what: str) -> bytes:
    """The bytes of a file, or an `InputError` naming it (`what` says what it should have been)."""
    try:
        # open(), not Path(path).read_bytes(): a national corpus is read twice (`peek_council`),
        # and building the Path cost more than reading a small file. Unbuffered: the file is
        # read whole in one call, and a buffer object in front of it only cost time.
        with open(path, "rb", buffering=0) as file:
            return file.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not {what}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[BinaryIO]:
    """A binary stream that becomes the file at `path` only when the block completes.

    The data goes to a temporary file in the same directory, which replaces `path` in one step
    (`os.replace`). If the block raises, the temporary file is removed and `path` is untouched: a
    reader never sees half a file, and an existing file survives a failed export. (Click's
    `open_file(atomic=True)` is no substitute: it replaces the file even when the block raises.)
    """
    path = Path(path)
    directory = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise


def _mode_for(path: Path) -> int:
    # mkstemp makes the file private (0600); give it what a plain open() would have: the old
    # file's mode when replacing one, else 0666 less the umask.
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` through `atomic_output`."""
    with atomic_output(path) as out:
        out.write(data)
