"""Writing output files whole or not at all.

A report, a matrix or a CSV is first written to a hidden temporary file next to its
target and then renamed over it: a full disk or an interrupted run leaves the previous
file (or none), never a half-written one that looks finished.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` to fill a temporary file, then rename it to *path*."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write *text* (UTF-8) to *path* whole or not at all."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* whole or not at all."""
    write_atomic(path, lambda tmp: tmp.write_bytes(data))
