"""Writing results: whole files or nothing, and the same bytes for the same input."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from schemas import ExtractionResult


def render_json(result: ExtractionResult) -> bytes:
    """The JSON text of a result. Deterministic (no timestamps), so reruns rewrite identical files."""
    return (json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# The umask the files a worker process publishes get (pipeline/workers.py): a worker works under
# umask 077, so that its page images and Tesseract's files are its own, but the JSON it writes
# for the user has the mode the user's umask gives. None: this process's umask.
published_umask: int | None = None


def write_atomic(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    The temporary file sits in the same directory, so os.replace is a rename on one file system;
    its name is short whatever the target's (a 250-byte name leaves no room to add to it), and
    says which process wrote it (a killed worker's is removed by its parent). With `replace`
    off, an existing `path` is kept and FileExistsError raised (no file of the user's is lost).
    """
    temporary = path.with_name(f".congvan-{os.getpid()}-{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 lets the umask decide the mode, as for any file the user creates.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        if published_umask is not None:
            os.fchmod(fd, 0o666 & ~published_umask)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            _publish_new(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _publish_new(temporary: Path, path: Path) -> None:
    try:
        os.link(temporary, path)  # fails if `path` exists, even as a (dangling) link
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: the check and the rename are two steps there
        if os.path.lexists(path):
            raise FileExistsError(17, "File exists", str(path)) from None
        os.rename(temporary, path)
        return
    os.unlink(temporary)


def temporary_pattern(pid: int) -> str:
    """A glob for the temporary files `write_atomic` of process `pid` makes."""
    return f".congvan-{pid}-*.tmp"
