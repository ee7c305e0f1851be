"""Streaming shard writer: records go to a staging file per split as they come; on close each
split is cut into shards of at most ``max_bytes``, written atomically, with an entry per shard
(rows, bytes, hash) for the manifest, and the folder's own shards of an earlier run that were
not written again are removed (nothing else is). Text columns are zstd-compressed; the PNG bytes
are stored as they are (they do not compress: zstd would spend time for nothing). Memory holds
one row group at a time, whatever the corpus size. A write that fails (a full disk) leaves no
staging or temp file behind."""

from __future__ import annotations

import math
import os
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from scitune_data import storage
from scitune_data.hashing import file_sha256
from scitune_data.out_folder import OutFolder
from scitune_data.output_layout import DATA_DIR, PARQUET_FILES, SPLITS, shard_name, shard_split, staging_shard
from scitune_data.records.recipe import ShardSizes
from scitune_data.schema.records import RECORDS_SCHEMA
from scitune_data.storage import column_compression


@dataclass(slots=True)
class _Staging:
    path: Path
    writer: pq.ParquetWriter
    rows: int = 0
    bytes: int = 0
    buffer: list[dict] = field(default_factory=list)


class ShardWriter:
    def __init__(self, out: Path, sizes: ShardSizes) -> None:
        self.folder = OutFolder(out).claim()
        self.data_dir = out / DATA_DIR
        staging = [f"{DATA_DIR}/{staging_shard(split)}" for split in SPLITS]
        self.folder.own(staging)
        for name in staging:  # left by a run that was killed
            Path(self.folder.path(name)).unlink(missing_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._writing: Path | None = None  # the shard being cut (its temp file)
        self.sizes = sizes
        self.schema = RECORDS_SCHEMA
        self._staging: dict[str, _Staging] = {}
        self.counts: Counter[tuple[str, str]] = Counter()  # (split, task)

    def counts_by_split(self) -> dict[str, dict[str, int]]:
        """Records written so far, by split and task."""
        table: dict[str, dict[str, int]] = {}
        for (split, task), count in sorted(self.counts.items()):
            table.setdefault(split, {})[task] = count
        return table

    def add(self, record: dict) -> None:
        split = record["split"]
        staging = self._staging.get(split)
        if staging is None:
            path = self.data_dir / staging_shard(split)
            with storage.blamed_on(path):
                staging = self._staging[split] = _Staging(path, pq.ParquetWriter(path, self.schema,
                                                                                 compression="none"))
        staging.buffer.append(record)
        staging.rows += 1
        staging.bytes += len((record.get("image") or {}).get("bytes") or b"") + sum(
            len(turn["value"]) for turn in record["conversations"])
        self.counts[(split, record["task"])] += 1
        if len(staging.buffer) >= self.sizes.row_group_rows:
            self._flush(staging)

    def _flush(self, staging: _Staging) -> None:
        if staging.buffer:
            with storage.blamed_on(staging.path):
                staging.writer.write_table(pa.Table.from_pylist(staging.buffer, schema=self.schema))
            staging.buffer.clear()

    def close(self) -> list[dict]:
        """Cut the staged splits into shards; returns one entry per shard for the manifest."""
        try:
            shards = []
            for split in SPLITS:
                staging = self._staging.get(split)
                if staging is None:
                    continue
                self._flush(staging)
                with storage.blamed_on(staging.path):
                    staging.writer.close()
                shards.extend(self._cut(split, staging))
                staging.path.unlink()
            written = {shard["file"] for shard in shards}
            self.folder.remove([name for name in self.folder.owned_matching(f"{DATA_DIR}/{PARQUET_FILES}")
                                if shard_split(Path(name)) and name not in written])
            return shards
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Remove staging and temp files after a failure (the error goes on to the caller)."""
        for staging in self._staging.values():
            with suppress(Exception):
                staging.writer.close()
            staging.path.unlink(missing_ok=True)
        if self._writing is not None:
            storage.temporary(self._writing).unlink(missing_ok=True)

    def _cut(self, split: str, staging: _Staging) -> list[dict]:
        count = max(1, math.ceil(staging.bytes / self.sizes.max_bytes))
        per_shard = math.ceil(staging.rows / count)
        source = pq.ParquetFile(staging.path, pre_buffer=False)  # one row group in memory at a time
        batches = source.iter_batches(batch_size=min(self.sizes.row_group_rows, per_shard))
        self.folder.own([f"{DATA_DIR}/{shard_name(split, index, count)}" for index in range(count)])
        entries = []
        for index in range(count):
            final = self._writing = self.data_dir / shard_name(split, index, count)
            temporary = storage.temporary(final)
            written = 0
            with (storage.blamed_on(final),
                  pq.ParquetWriter(temporary, self.schema, compression=column_compression(self.schema)) as writer):
                while written < per_shard:
                    batch = next(batches, None)
                    if batch is None:
                        break
                    writer.write_table(pa.Table.from_batches([batch], schema=self.schema),
                                       row_group_size=self.sizes.row_group_rows)
                    written += batch.num_rows
            os.replace(temporary, final)
            self._writing = None
            entries.append({"file": f"{DATA_DIR}/{final.name}", "split": split, "rows": written,
                            "bytes": final.stat().st_size, "sha256": file_sha256(final)})
        return entries

