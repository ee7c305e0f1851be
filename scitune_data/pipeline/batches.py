"""Batch outputs and completion markers: what makes a build resumable.

Batch ``i`` writes ``figures/part-{i:05d}.parquet`` and ``_build/errors-{i:05d}.parquet`` (each
atomically: temp file, then rename) and then, last, its marker ``_build/batch-{i:05d}.json``
with the identity of its inputs and its counts. A rerun skips every batch whose marker matches
its inputs; a batch killed halfway has no marker and is redone whole. Output bytes depend only
on a batch's inputs and the build config, never on workers or order.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from scitune_data import storage
from scitune_data.pipeline.papers import PaperOutcome
from scitune_data.schema.figures import ERRORS_SCHEMA, FIGURES_SCHEMA

FIGURES_DIR = "figures"
WORK_DIR = "_build"
ERRORS_FILE = "errors.parquet"
CONFIG_FILE = "config.json"
ROW_GROUP_ROWS = 100  # rows with embedded crops: row groups of tens of MB
COUNTS = ("inputs", "succeeded", "failed", "skipped", "pages", "figures", "tables", "errors")


class ConfigChanged(RuntimeError):
    """The output folder was built with other settings; mixing them would corrupt it."""


def write_parquet(rows: list[dict], schema: pa.Schema, location: str | Path) -> None:
    """Write atomically: a reader (or a resumed run) never sees a half-written file."""
    buffer = io.BytesIO()
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, buffer, row_group_size=ROW_GROUP_ROWS, compression=_compression(schema))
    storage.write_bytes(location, buffer.getvalue())


def _compression(schema: pa.Schema) -> dict[str, str]:
    """zstd for every column except PNG bytes, which do not compress (spending time for nothing)."""
    columns = {}
    for field in schema:
        if pa.types.is_struct(field.type):
            for child in field.type:
                columns[f"{field.name}.{child.name}"] = "none" if child.type == pa.binary() else "zstd"
        else:
            columns[field.name] = "zstd"
    return columns


def write_json(data: dict, location: str | Path) -> None:
    storage.write_bytes(location, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())


def read_json(location: str | Path) -> dict:
    return json.loads(storage.read_bytes(location))


def batch_counts(outcomes: list[PaperOutcome]) -> dict:
    counts = dict.fromkeys(COUNTS, 0)
    error_files = []
    for outcome in outcomes:
        counts["inputs"] += 1
        counts["skipped"] += outcome.skipped
        counts["failed"] += outcome.failed and not outcome.skipped
        counts["succeeded"] += not outcome.failed and not outcome.skipped
        counts["pages"] += outcome.pages
        counts["figures"] += sum(row["kind"] == "figure" for row in outcome.figures)
        counts["tables"] += sum(row["kind"] == "table" for row in outcome.figures)
        counts["errors"] += len(outcome.errors)
        if outcome.errors and not outcome.skipped:
            error_files.append(outcome.source_file)
    return counts | {"error_files": error_files}


class BatchStore:
    """Batch outputs under ``out``: a local folder or an fsspec URL."""

    def __init__(self, out: str | Path) -> None:
        self.out = str(out)
        self.figures_dir = storage.join(self.out, FIGURES_DIR)
        self.work_dir = storage.join(self.out, WORK_DIR)

    def figures_path(self, index: int) -> str:
        return storage.join(self.figures_dir, f"part-{index:05d}.parquet")

    def errors_path(self, index: int) -> str:
        return storage.join(self.work_dir, f"errors-{index:05d}.parquet")

    def marker_path(self, index: int) -> str:
        return storage.join(self.work_dir, f"batch-{index:05d}.json")

    def check_config(self, config: dict, overwrite: bool) -> None:
        """Remember the config, or refuse one that differs from what the folder holds."""
        path = storage.join(self.work_dir, CONFIG_FILE)
        if storage.exists(path):
            previous = read_json(path)
            if previous != config:
                if not overwrite:
                    changed = sorted(k for k in set(previous) | set(config) if previous.get(k) != config.get(k))
                    raise ConfigChanged(
                        f"{self.out} was built with other settings ({', '.join(changed)} differ); "
                        "use a new --out, or --overwrite to rebuild it from scratch")
                self.clear()
        elif overwrite:
            self.clear()
        write_json(config, path)

    def clear(self) -> None:
        for folder, pattern in ((self.figures_dir, "*.parquet"), (self.work_dir, "*"),
                                (storage.join(self.out, "data"), "*.parquet")):
            for location in storage.glob(folder, pattern):
                storage.remove(location)
        for name in (ERRORS_FILE, "manifest.json", "summary.json"):
            storage.remove(storage.join(self.out, name))

    def done(self, index: int, identity: list) -> dict | None:
        """The batch's marker, when it finished with exactly these inputs."""
        path = self.marker_path(index)
        if not all(storage.exists(p) for p in (path, self.figures_path(index), self.errors_path(index))):
            return None
        marker = read_json(path)
        return marker if marker.get("inputs") == identity else None

    def write(self, index: int, identity: list, outcomes: list[PaperOutcome]) -> dict:
        write_parquet([row for o in outcomes for row in o.figures], FIGURES_SCHEMA, self.figures_path(index))
        write_parquet([row for o in outcomes for row in o.errors], ERRORS_SCHEMA, self.errors_path(index))
        marker = {"batch": index, "inputs": identity, "counts": batch_counts(outcomes)}
        write_json(marker, self.marker_path(index))
        return marker

    def prune(self, batches: int) -> None:
        """Drop outputs of batches that no longer exist (the input set shrank)."""
        for folder, pattern in ((self.figures_dir, "part-*.parquet"), (self.work_dir, "errors-*.parquet"),
                                (self.work_dir, "batch-*.json")):
            for location in storage.glob(folder, pattern):
                if int(location.rsplit("-", 1)[-1].split(".")[0]) >= batches:
                    storage.remove(location)

    def merge_errors(self, batches: int) -> None:
        tables = [pq.read_table(io.BytesIO(storage.read_bytes(self.errors_path(i)))) for i in range(batches)]
        rows = pa.concat_tables(tables).to_pylist() if tables else []
        write_parquet(rows, ERRORS_SCHEMA, storage.join(self.out, ERRORS_FILE))
