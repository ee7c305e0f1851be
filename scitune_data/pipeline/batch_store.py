"""Batch outputs and completion markers: what makes a build resumable.

Batch ``i`` writes its figures part and its errors under the work folder (each atomically:
temp file, then rename) and then, last, its marker with the identity of its inputs and its
counts (names in :mod:`scitune_data.output_layout`). A rerun skips every batch whose marker
matches its inputs; a batch killed halfway has no marker and is redone whole. Output bytes
depend only on a batch's inputs and the build config, never on workers or order.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from scitune_data import output_layout as layout
from scitune_data import storage
from scitune_data.pipeline.papers import PaperOutcome
from scitune_data.schema.figures import ERRORS_SCHEMA, FIGURES_SCHEMA

COUNTS = ("inputs", "succeeded", "failed", "skipped", "pages", "figures", "tables", "errors")


class ConfigChanged(RuntimeError):
    """The output folder was built with other settings; mixing them would corrupt it."""


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
        self.figures_dir = storage.join(self.out, layout.FIGURES_DIR)
        self.work_dir = storage.join(self.out, layout.WORK_DIR)

    def figures_path(self, index: int) -> str:
        return storage.join(self.figures_dir, layout.figure_part(index))

    def errors_path(self, index: int) -> str:
        return storage.join(self.work_dir, layout.batch_errors(index))

    def marker_path(self, index: int) -> str:
        return storage.join(self.work_dir, layout.batch_marker(index))

    def check_config(self, config: dict, overwrite: bool) -> None:
        """Remember the config, or refuse one that differs from what the folder holds."""
        path = storage.join(self.work_dir, layout.CONFIG_FILE)
        if storage.exists(path):
            previous = storage.read_json(path)
            if previous != config:
                if not overwrite:
                    changed = sorted(k for k in set(previous) | set(config) if previous.get(k) != config.get(k))
                    raise ConfigChanged(
                        f"{self.out} was built with other settings ({', '.join(changed)} differ); "
                        "use a new --out, or --overwrite to rebuild it from scratch")
                self.clear()
        elif overwrite:
            self.clear()
        storage.write_json(config, path)

    def clear(self) -> None:
        for folder, pattern in ((self.figures_dir, layout.PARQUET_FILES), (self.work_dir, "*"),
                                (storage.join(self.out, layout.DATA_DIR), layout.PARQUET_FILES)):
            for location in storage.glob(folder, pattern):
                storage.remove(location)
        for name in (layout.ERRORS_FILE, layout.MANIFEST_FILE, layout.SUMMARY_FILE):
            storage.remove(storage.join(self.out, name))

    def done(self, index: int, identity: list) -> dict | None:
        """The batch's marker, when it finished with exactly these inputs."""
        path = self.marker_path(index)
        if not all(storage.exists(p) for p in (path, self.figures_path(index), self.errors_path(index))):
            return None
        marker = storage.read_json(path)
        return marker if marker.get("inputs") == identity else None

    def write(self, index: int, identity: list, outcomes: list[PaperOutcome]) -> dict:
        storage.write_parquet([row for o in outcomes for row in o.figures], FIGURES_SCHEMA, self.figures_path(index))
        storage.write_parquet([row for o in outcomes for row in o.errors], ERRORS_SCHEMA, self.errors_path(index))
        marker = {"batch": index, "inputs": identity, "counts": batch_counts(outcomes)}
        storage.write_json(marker, self.marker_path(index))
        return marker

    def prune(self, batches: int) -> None:
        """Drop outputs of batches that no longer exist (the input set shrank)."""
        for folder, pattern in ((self.figures_dir, layout.FIGURE_PARTS), (self.work_dir, layout.BATCH_ERRORS),
                                (self.work_dir, layout.BATCH_MARKERS)):
            for location in storage.glob(folder, pattern):
                if layout.index_of(location) >= batches:
                    storage.remove(location)

    def merge_errors(self, batches: int) -> None:
        tables = [storage.read_parquet(self.errors_path(i)) for i in range(batches)]
        rows = pa.concat_tables(tables).to_pylist() if tables else []
        storage.write_parquet(rows, ERRORS_SCHEMA, storage.join(self.out, layout.ERRORS_FILE))
