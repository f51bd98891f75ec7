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


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    The temporary file sits in the same directory, so os.replace is a rename on one file system.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 lets the umask decide the mode, as for any file the user creates.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
