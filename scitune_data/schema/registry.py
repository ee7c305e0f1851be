"""Versioned JSON Schemas (``scitune_data/schema/json_schemas/``, linked as ``schemas/`` at the top
of the repository) are the single source of truth for every table: writers build their Arrow schemas
from them, ``validate`` checks rows against them.

Each property carries ``x-arrow``, the Arrow type it is stored as. The Parquet schema metadata
records the table name and version, and ``datasets`` feature metadata so images decode to PIL.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import pyarrow as pa

IMAGE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
BBOX = pa.list_(pa.float64(), 4)
CONVERSATIONS = pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())]))
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "float64": pa.float64(),
    "bool": pa.bool_(), "list<string>": pa.list_(pa.string()), "bbox": BBOX, "image": IMAGE,
    "conversations": CONVERSATIONS,
}
CURRENT = {"figures": "1.3", "records": "1.1", "errors": "1.1"}


@cache
def json_schema(table: str, version: str | None = None) -> dict:
    """The JSON Schema of ``table`` (its current version unless one is named)."""
    version = version or CURRENT[table]
    path = resources.files(__package__) / "json_schemas" / f"{table}-{version}.json"
    if not path.is_file():
        raise KeyError(f"no schema for table {table!r} version {version!r}")
    return json.loads(path.read_text(encoding="utf-8"))


def hf_feature(arrow_type: pa.DataType) -> dict:
    """The ``datasets`` feature description of an Arrow column type (Image for image structs)."""
    if arrow_type == IMAGE:
        return {"_type": "Image"}
    if pa.types.is_fixed_size_list(arrow_type):
        return {"_type": "List", "feature": hf_feature(arrow_type.value_type), "length": arrow_type.list_size}
    if pa.types.is_list(arrow_type):
        return {"_type": "List", "feature": hf_feature(arrow_type.value_type)}
    if pa.types.is_struct(arrow_type):
        return {field.name: hf_feature(field.type) for field in arrow_type}
    return {"_type": "Value", "dtype": "binary" if arrow_type == pa.binary() else str(arrow_type)}


@cache
def arrow_schema(table: str, version: str | None = None) -> pa.Schema:
    schema = json_schema(table, version)
    fields = [pa.field(name, ARROW_TYPES[spec["x-arrow"]], nullable=True)
              for name, spec in schema["properties"].items()]
    features = {f.name: hf_feature(f.type) for f in fields}
    return pa.schema(fields, metadata={
        "scitune_data.table": schema["x-table"],
        "scitune_data.schema_version": schema["x-version"],
        "huggingface": json.dumps({"info": {"features": features}}),
    })


def table_of(schema: pa.Schema) -> tuple[str, str] | None:
    """``(table, version)`` recorded in a Parquet file's schema metadata."""
    metadata = schema.metadata or {}
    table = metadata.get(b"scitune_data.table")
    version = metadata.get(b"scitune_data.schema_version")
    return (table.decode(), version.decode()) if table and version else None
