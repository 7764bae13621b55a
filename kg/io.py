"""Atomic file output: write beside the target, then rename, so a crash never leaves half a file."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterable


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` by rename; `durable=False` skips the fsync where a torn file after a
    power cut is harmless (a cache entry that fails to parse is a miss)."""
    atomic_write_chunks(path, (data,), durable)


def atomic_write_parts(path: Path, parts: Iterable[str], durable: bool = True) -> str:
    """Write the text `parts` to `path` as UTF-8 by rename, one part at a time (a big graph is never
    copied into one string); return the SHA-256 of the bytes written."""
    digest = hashlib.sha256()

    def encoded() -> Iterable[bytes]:
        for part in parts:
            data = part.encode("utf-8")
            digest.update(data)
            yield data
    atomic_write_chunks(path, encoded(), durable)
    return digest.hexdigest()


def atomic_write_chunks(path: Path, chunks: Iterable[bytes], durable: bool = True) -> None:
    """Write `chunks` one after another to `path` by rename (see atomic_write_bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (mkstemp creates 0600 files; outputs should be as readable as any file)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str, durable: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), durable)
