"""Local paths or any fsspec URL (``s3://``, ``gs://``, ``memory://``... when the user has the
filesystem package): the few operations batch outputs and markers need. Writes are atomic on
local disks (temp file, rename) and on object stores (an object appears whole)."""

from __future__ import annotations

import os
from pathlib import Path


def is_remote(location: str | Path) -> bool:
    text = str(location)
    return "://" in text and not text.startswith("file://")


def _fs(location: str):
    import fsspec  # noqa: PLC0415 - only for remote locations

    return fsspec.core.url_to_fs(location)


def join(base: str | Path, *parts: str) -> str:
    return "/".join([str(base).rstrip("/"), *parts])


def write_bytes(location: str | Path, data: bytes) -> None:
    if is_remote(location):
        fs, path = _fs(str(location))
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)  # a no-op on object stores
        fs.pipe(path, data)
        return
    path = Path(location)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def read_bytes(location: str | Path) -> bytes:
    if is_remote(location):
        fs, path = _fs(str(location))
        return fs.cat_file(path)
    return Path(location).read_bytes()


def exists(location: str | Path) -> bool:
    if is_remote(location):
        fs, path = _fs(str(location))
        return fs.exists(path)
    return Path(location).exists()


def remove(location: str | Path) -> None:
    if is_remote(location):
        fs, path = _fs(str(location))
        if fs.exists(path):
            fs.rm(path)
        return
    Path(location).unlink(missing_ok=True)


def glob(folder: str | Path, pattern: str) -> list[str]:
    """Sorted locations under ``folder`` matching ``pattern`` (one level)."""
    if is_remote(folder):
        fs, path = _fs(str(folder))
        protocol = str(folder).split("://", 1)[0]
        return sorted(f"{protocol}://{p}" for p in fs.glob(f"{path.rstrip('/')}/{pattern}"))
    return sorted(str(p) for p in Path(folder).glob(pattern))


def list_pdfs(root: str | Path) -> list[str]:
    """Every ``*.pdf`` below a local folder or a URL, sorted."""
    if is_remote(root):
        fs, path = _fs(str(root))
        protocol = str(root).split("://", 1)[0]
        return sorted(f"{protocol}://{p}" for p in fs.find(path) if p.lower().endswith(".pdf"))
    return [str(p) for p in sorted(Path(root).rglob("*"), key=lambda p: p.as_posix())
            if p.suffix.lower() == ".pdf" and not p.is_dir()]
