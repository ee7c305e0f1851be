"""Streaming shard writer: records go to a staging file per split as they come; on close each
split is cut into shards of at most ``max_bytes``, written atomically, with an entry per shard
(rows, bytes, hash) for the manifest. Text columns are zstd-compressed; the PNG bytes are stored
as they are (they do not compress: zstd would spend time for nothing). Memory holds one row group at a time, whatever the
corpus size."""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from scitune_data.hashing import file_sha256
from scitune_data.output_layout import DATA_DIR, PARQUET_FILES, SPLITS, shard_name
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
        self.data_dir = out / DATA_DIR
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.data_dir.glob(PARQUET_FILES):
            stale.unlink()
        self.sizes = sizes
        self.schema = RECORDS_SCHEMA
        self._staging: dict[str, _Staging] = {}
        self.counts: Counter[tuple[str, str]] = Counter()  # (split, task)

    def add(self, record: dict) -> None:
        split = record["split"]
        staging = self._staging.get(split)
        if staging is None:
            path = self.data_dir / f".staging-{split}.parquet"
            staging = self._staging[split] = _Staging(path, pq.ParquetWriter(path, self.schema, compression="none"))
        staging.buffer.append(record)
        staging.rows += 1
        staging.bytes += len((record.get("image") or {}).get("bytes") or b"") + sum(
            len(turn["value"]) for turn in record["conversations"])
        self.counts[(split, record["task"])] += 1
        if len(staging.buffer) >= self.sizes.row_group_rows:
            self._flush(staging)

    def _flush(self, staging: _Staging) -> None:
        if staging.buffer:
            staging.writer.write_table(pa.Table.from_pylist(staging.buffer, schema=self.schema))
            staging.buffer.clear()

    def close(self) -> list[dict]:
        """Cut the staged splits into shards; returns one entry per shard for the manifest."""
        shards = []
        for split in SPLITS:
            staging = self._staging.get(split)
            if staging is None:
                continue
            self._flush(staging)
            staging.writer.close()
            shards.extend(self._cut(split, staging))
            staging.path.unlink()
        return shards

    def _cut(self, split: str, staging: _Staging) -> list[dict]:
        count = max(1, math.ceil(staging.bytes / self.sizes.max_bytes))
        per_shard = math.ceil(staging.rows / count)
        source = pq.ParquetFile(staging.path, pre_buffer=False)  # one row group in memory at a time
        batches = source.iter_batches(batch_size=min(self.sizes.row_group_rows, per_shard))
        entries = []
        for index in range(count):
            final = self.data_dir / shard_name(split, index, count)
            temporary = final.with_name(f".{final.name}.tmp")
            written = 0
            with pq.ParquetWriter(temporary, self.schema, compression=column_compression(self.schema)) as writer:
                while written < per_shard:
                    batch = next(batches, None)
                    if batch is None:
                        break
                    writer.write_table(pa.Table.from_batches([batch], schema=self.schema),
                                       row_group_size=self.sizes.row_group_rows)
                    written += batch.num_rows
            os.replace(temporary, final)
            entries.append({"file": f"{DATA_DIR}/{final.name}", "split": split, "rows": written,
                            "bytes": final.stat().st_size, "sha256": file_sha256(final)})
        return entries

