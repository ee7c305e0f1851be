"""The figures table and the errors table: Arrow schemas and row builders.

The figures table is the contract between extraction and everything downstream (see
README "Record format"). Images use the Hugging Face ``Image`` storage (``{bytes, path}``)
and the schema carries ``datasets`` feature metadata, so ``load_dataset("parquet", ...)``
decodes them to PIL without extra arguments.
"""

from __future__ import annotations

import json

import pyarrow as pa

FIGURES_SCHEMA_VERSION = "1.1"

BBOX = pa.list_(pa.float64(), 4)
IMAGE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])

_FIGURE_FIELDS = [
    ("paper_id", pa.string()),
    ("pdf_sha256", pa.string()),
    ("source_file", pa.string()),
    ("figure_id", pa.string()),
    ("kind", pa.string()),
    ("label", pa.string()),
    ("page", pa.int32()),
    ("bbox", BBOX),
    ("caption", pa.string()),
    ("caption_no_index", pa.string()),
    ("caption_normalized", pa.string()),
    ("caption_page", pa.int32()),
    ("caption_bbox", BBOX),
    ("figure_type", pa.string()),
    ("figure_type_source", pa.string()),
    ("ocr", pa.list_(pa.string())),
    ("ocr_source", pa.string()),
    ("mentions", pa.list_(pa.string())),
    ("mention_sentences", pa.list_(pa.string())),
    ("is_vector", pa.bool_()),
    ("dpi", pa.int32()),
    ("width", pa.int32()),
    ("height", pa.int32()),
    ("image", IMAGE),
]


def hf_feature(arrow_type: pa.DataType) -> dict:
    """The ``datasets`` feature description of an Arrow column type (Image for image structs)."""
    if arrow_type == IMAGE:
        return {"_type": "Image"}
    if pa.types.is_fixed_size_list(arrow_type):
        return {"_type": "List", "feature": hf_feature(arrow_type.value_type),
                "length": arrow_type.list_size}
    if pa.types.is_list(arrow_type):
        return {"_type": "List", "feature": hf_feature(arrow_type.value_type)}
    if pa.types.is_struct(arrow_type):
        return {field.name: hf_feature(field.type) for field in arrow_type}
    return {"_type": "Value", "dtype": "binary" if arrow_type == pa.binary() else str(arrow_type)}


def with_hf_features(fields: list[tuple[str, pa.DataType]], metadata: dict[str, str]) -> pa.Schema:
    features = {name: hf_feature(arrow_type) for name, arrow_type in fields}
    return pa.schema(fields, metadata={**metadata,
                                       "huggingface": json.dumps({"info": {"features": features}})})


FIGURES_SCHEMA = with_hf_features(
    _FIGURE_FIELDS,
    {"scitune_data.table": "figures", "scitune_data.schema_version": FIGURES_SCHEMA_VERSION},
)

ERRORS_SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("sha256", pa.string()),
        ("stage", pa.string()),
        ("error_type", pa.string()),
        ("message", pa.string()),
        ("page", pa.int32()),
    ],
    metadata={"scitune_data.table": "errors", "scitune_data.schema_version": "1.0"},
)
