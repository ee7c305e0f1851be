"""Local paths or any fsspec URL (``s3://``, ``gs://``, ``memory://``... when the user has the
filesystem package): the few operations outputs need, and Parquet and JSON files written
through them. Writes are atomic on local disks (temp file, rename) and on object stores (an
object appears whole), so a reader or a resumed run never sees a half-written file; a write that
fails (a full disk, no permission) removes its temp file before the error goes on."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 100  # rows with embedded crops: row groups of tens of MB
TEMPORARY_SUFFIX = ".tmp"


def is_remote(location: str | Path) -> bool:
    text = str(location)
    return "://" in text and not text.startswith("file://")


def use_options(locations: list[str | Path | None], options: dict) -> dict[str, str]:
    """Give the filesystems of these URLs ``options`` (e.g. ``{"requester_pays": true}`` for
    arXiv's S3 bucket) through fsspec's own configuration variables (``FSSPEC_S3``), which every
    process started from here inherits; returns the variables set."""
    protocols = sorted({str(loc).split("://", 1)[0] for loc in locations if loc is not None and is_remote(loc)})
    variables = {}
    for protocol in protocols:
        name = f"FSSPEC_{protocol.upper()}"
        merged = {**json.loads(os.environ.get(name, "{}")), **options}
        variables[name] = os.environ[name] = json.dumps(merged)
        import fsspec.config  # noqa: PLC0415 - read its environment at import: update it if imported before

        fsspec.config.conf.setdefault(protocol, {}).update(options)
    return variables


def fsspec_variables() -> dict[str, str]:
    """fsspec's configuration variables of this process (to hand to processes started elsewhere)."""
    return {name: value for name, value in os.environ.items() if name.startswith("FSSPEC_")}


def _fs(location: str):
    import fsspec  # noqa: PLC0415 - only for remote locations

    return fsspec.core.url_to_fs(location)


def join(base: str | Path, *parts: str) -> str:
    return "/".join([str(base).rstrip("/"), *parts])


@contextmanager
def blamed_on(location: str | Path) -> Iterator[None]:
    """Name ``location`` in an OSError that names no file (a failed ``write`` or pyarrow's
    errors do not), so the user learns where the disk was full or the permission missing."""
    try:
        yield
    except OSError as error:
        if error.filename is not None:
            raise
        raise OSError(error.errno, error.strerror or str(error), str(location)) from error


def temporary(path: Path) -> Path:
    """Where a local file is written before it is renamed into place."""
    return path.with_name(f".{path.name}{TEMPORARY_SUFFIX}")


def write_bytes(location: str | Path, data: bytes) -> None:
    if is_remote(location):
        fs, path = _fs(str(location))
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)  # a no-op on object stores
        fs.pipe(path, data)
        return
    path = Path(location)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = temporary(path)
    try:
        with blamed_on(path):
            staged.write_bytes(data)
            os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def read_bytes(location: str | Path) -> bytes:
    if is_remote(location):
        fs, path = _fs(str(location))
        return fs.cat_file(path)
    return Path(location).read_bytes()


DECOMPRESSORS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


@contextmanager
def open_stream(location: str | Path) -> Iterator[BinaryIO]:
    """A file read front to back (binary, iterable by lines), decompressed as it is read when its
    name ends in ``.gz``, ``.bz2`` or ``.xz``; nothing is read ahead of need."""
    if is_remote(location):
        import fsspec  # noqa: PLC0415 - only for remote locations

        with fsspec.open(str(location), "rb", compression="infer") as handle:
            yield handle
        return
    opener = DECOMPRESSORS.get(Path(location).suffix.lower(), open)
    with opener(location, "rb") as handle:
        yield handle


def open_input(location: str | Path, block_size: int | None = None) -> BinaryIO:
    """A seekable binary handle on a local file or an object (``block_size``: bytes an object
    store fetches per request; small for reading headers here and there, large for streaming)."""
    if is_remote(location):
        fs, path = _fs(str(location))
        return fs.open(path, "rb", **({"block_size": block_size} if block_size else {}))
    return open(location, "rb")


def exists(location: str | Path) -> bool:
    if is_remote(location):
        fs, path = _fs(str(location))
        return fs.exists(path)
    return Path(location).exists()


def is_file(location: str | Path) -> bool:
    if is_remote(location):
        fs, path = _fs(str(location))
        return fs.isfile(path)
    return Path(location).is_file()


def names_in(folder: str | Path) -> list[str]:
    """The names directly inside a folder (none when it does not exist), sorted."""
    if is_remote(folder):
        fs, path = _fs(str(folder))
        if not fs.isdir(path):
            return []
        return sorted(entry.rstrip("/").rsplit("/", 1)[-1] for entry in fs.ls(path, detail=False))
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []


def make_folder(location: str | Path) -> None:
    if is_remote(location):
        fs, path = _fs(str(location))
        fs.makedirs(path, exist_ok=True)
        return
    Path(location).mkdir(parents=True, exist_ok=True)


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


def find_files(root: str | Path, wanted: Callable[[str], bool]) -> list[str]:
    """Every file below a URL whose name ``wanted`` accepts, sorted."""
    fs, path = _fs(str(root))
    protocol = str(root).split("://", 1)[0]
    return sorted(f"{protocol}://{p}" for p in fs.find(path) if wanted(p.rsplit("/", 1)[-1]))


def write_parquet(rows: list[dict], schema: pa.Schema, location: str | Path) -> None:
    buffer = io.BytesIO()
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, buffer, row_group_size=ROW_GROUP_ROWS, compression=column_compression(schema))
    write_bytes(location, buffer.getvalue())


def column_compression(schema: pa.Schema) -> dict[str, str]:
    """zstd for every leaf column except binary ones (PNG bytes), which do not compress
    (spending time for nothing). Keys are Parquet's leaf paths (``image.bytes``,
    ``conversations.list.element.value``): a column left out would not be compressed at all."""
    return {path: "none" if kind == pa.binary() else "zstd" for field in schema
            for path, kind in _leaves(field.name, field.type)}


def _leaves(path: str, kind: pa.DataType):
    if pa.types.is_struct(kind):
        for child in kind:
            yield from _leaves(f"{path}.{child.name}", child.type)
    elif pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        yield from _leaves(f"{path}.list.element", kind.value_type)
    else:
        yield path, kind


def read_parquet(location: str | Path) -> pa.Table:
    return pq.read_table(io.BytesIO(read_bytes(location)))


def write_json(data: dict, location: str | Path, indent: int = 1) -> None:
    write_bytes(location, (json.dumps(data, indent=indent, sort_keys=True) + "\n").encode())


def read_json(location: str | Path) -> dict:
    return json.loads(read_bytes(location))
