"""Files written whole: what the app stores on disk (photos, report exports, rewritten spreadsheets) is written
under a temporary name beside its place and renamed into it, so a reader never sees half a file and a crash
leaves none."""

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` whole (flushed to the disk before the rename); `mode` sets its permissions."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
