"""Writing output files so that a failure never leaves one half-written."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from casa1000.errors import InputError


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    The temporary name is only reserved, not created, so the writer creates the
    file with the user's usual permissions; it lives in the same folder, so the
    final rename is atomic.  On an exception it is removed and ``path`` is
    untouched.  Missing parent folders are created.  A write that fails for want of
    permission or space becomes one :class:`~casa1000.errors.InputError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_output(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            str(target), "folder", str(target.parent), f"a writable folder ({exc.strerror})"
        ) from None
    if target.is_dir():
        raise InputError(str(target), "file", str(target), "a file name, not a folder")
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex}{target.suffix}")
    try:
        try:
            yield temporary
        except (OSError, RuntimeError) as exc:
            # a read-only folder or a full disk (netCDF4 says "NetCDF: HDF error")
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise InputError(
                str(target), "file", str(target), f"a writable file with space to spare ({reason})"
            ) from None
        try:
            os.replace(temporary, target)
        except OSError as exc:
            raise InputError(
                str(target), "file", str(target), f"a writable file ({exc.strerror})"
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
