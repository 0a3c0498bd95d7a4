"""Checks on output paths, made before any long work starts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def check_output_path(path) -> None:
    """Refuse an output file that could not be written, naming what to fix.

    Standard output (``None`` or ``"-"``) and open files pass. Raises
    :class:`IsADirectoryError` when ``path`` is a folder, :class:`FileNotFoundError`
    when its folder does not exist, :class:`PermissionError` when nothing can be
    created there (a read-only folder or file system).
    """
    if path is None or hasattr(path, "write") or str(path) == "-":
        return
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; name a file to write")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise FileNotFoundError(f"cannot write {path}: the folder {folder} {what}")
    try:  # the only reliable test (root ignores permission bits, mounts can be read-only)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".textflow-write-test-")
    except OSError as error:
        raise PermissionError(
            f"cannot write {path}: the folder {folder} is not writable ({error.strerror})"
        ) from None
    os.close(handle)
    os.unlink(probe)
    if path.exists() and not os.access(path, os.W_OK):
        raise PermissionError(f"cannot write {path}: the file is read-only")
