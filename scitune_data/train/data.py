"""Streaming training data from instruction shards.

Records are read row group by row group (never the whole dataset), in an order fixed by the
seed and epoch. Every ``window`` batches' worth of records is tokenized (cheap), sorted by
length into batches (length grouping: little padding), and the batches shuffled. That global
batch sequence is deterministic, so a run resumed at batch ``k`` continues exactly.

One optimizer step consumes ``batches_per_step`` consecutive global batches (world size x
accumulation); an epoch ends after the last complete group, so every process sees the same
number of batches (no process waits at the epoch's end in a collective the others never join)
and every optimizer step sees the whole global batch. Rank ``r`` takes the batches ``b`` with
``b % world == r``, and DataLoader worker ``w`` of ``W`` materializes (decodes and preprocesses
the images of) only its share, rotated so that the DataLoader's round-robin returns them in
order.

Mixtures: ``mixed`` interleaves several shard sets by weight (a seeded draw per record),
``sequential`` reads them one after the other.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pyarrow.parquet as pq
import torch
from torch.utils.data import IterableDataset, get_worker_info

from scitune_data.output_layout import shard_files
from scitune_data.train.config import DataSource
from scitune_data.train.conversation import IGNORE, TooLong, tokenize


@dataclass(slots=True)
class Skipped:
    """Records left out and why (shared counters, reported by the trainer)."""

    too_long: int = 0
    examples: list[str] = field(default_factory=list)


def _row_groups(source: DataSource, split: str) -> list[tuple[Path, int]]:
    files = shard_files(Path(source.path), split)
    if not files:
        raise FileNotFoundError(f"no {split} shards under {source.path}")
    return [(f, g) for f in files for g in range(pq.ParquetFile(f).num_row_groups)]


def _records(groups: list[tuple[Path, int]], rng: random.Random) -> Iterator[dict]:
    order = list(groups)
    rng.shuffle(order)
    for path, group in order:
        table = pq.ParquetFile(path, pre_buffer=False).read_row_group(group, columns=["id", "image", "conversations"])
        yield from table.to_pylist()


def record_stream(sources: list[DataSource], split: str, mode: str, seed: int) -> Iterator[dict]:
    rngs = [random.Random(f"{seed}:{i}") for i in range(len(sources))]
    streams = [_records(_row_groups(s, split), rng) for s, rng in zip(sources, rngs)]
    if mode == "sequential":
        for stream in streams:
            yield from stream
        return
    pick = random.Random(f"{seed}:mix")
    live = list(range(len(streams)))
    while live:
        index = pick.choices(live, weights=[sources[i].weight for i in live])[0]
        record = next(streams[index], None)
        if record is None:
            live.remove(index)
        else:
            yield record


@dataclass(slots=True)
class Example:
    record_id: str
    input_ids: list[int]
    labels: list[int]
    image_start: int
    image: bytes | None


class ShardStream(IterableDataset):
    """Collated batches (see the module docstring); ``preprocess`` turns a PIL image into the
    vision tower's input tensor."""

    def __init__(self, sources: list[DataSource], tokenizer, preprocess: Callable, image_tokens: int,
                 max_length: int, batch_size: int, split: str = "train", mode: str = "mixed", seed: int = 0,
                 window: int = 16, rank: int = 0, world: int = 1, batches_per_step: int = 1,
                 prompt: str = "v1") -> None:
        if batches_per_step % world:
            raise ValueError(f"batches_per_step {batches_per_step} must be a multiple of the world size {world}")
        self.sources, self.tokenizer, self.preprocess = sources, tokenizer, preprocess
        self.image_tokens, self.max_length, self.batch_size = image_tokens, max_length, batch_size
        self.split, self.mode, self.seed, self.window, self.prompt = split, mode, seed, window, prompt
        self.rank, self.world, self.batches_per_step = rank, world, batches_per_step
        self.epoch, self.start_batch = 0, 0
        self.skipped = Skipped()

    def set_position(self, epoch: int, start_batch: int) -> None:
        """Where the next iteration begins: this epoch's batch number ``start_batch``."""
        self.epoch, self.start_batch = epoch, start_batch

    def _examples(self) -> Iterator[Example]:
        for record in record_stream(self.sources, self.split, self.mode, self.seed + 1000 * self.epoch):
            try:
                tokens = tokenize(record["conversations"], self.tokenizer, self.image_tokens, self.max_length,
                                  self.prompt)
            except TooLong as error:
                self.skipped.too_long += 1
                if len(self.skipped.examples) < 5:
                    self.skipped.examples.append(f"{record['id']}: {error}")
                continue
            image = (record.get("image") or {}).get("bytes")
            yield Example(record["id"], tokens.input_ids, tokens.labels, tokens.image_start, image)

    def batches(self) -> Iterator[list[Example]]:
        """The global batch sequence of this epoch (all ranks and workers see the same)."""
        rng = random.Random(f"{self.seed}:{self.epoch}:batches")
        examples = self._examples()
        while True:
            chunk = [e for _, e in zip(range(self.window * self.batch_size), examples)]
            if not chunk:
                return
            chunk.sort(key=lambda e: len(e.input_ids))
            grouped = [chunk[i:i + self.batch_size] for i in range(0, len(chunk), self.batch_size)]
            rng.shuffle(grouped)
            yield from grouped

    def steps(self) -> Iterator[list[list[Example]]]:
        """The epoch's global batches in groups of ``batches_per_step``; an incomplete last group
        is dropped."""
        group: list[list[Example]] = []
        for batch in self.batches():
            group.append(batch)
            if len(group) == self.batches_per_step:
                yield group
                group = []

    def assigned(self) -> Iterator[tuple[int, list[Example]]]:
        """This rank's ``(global number, batch)`` pairs from ``start_batch`` on."""
        for index, group in enumerate(self.steps()):
            first = index * self.batches_per_step
            for offset in range(self.rank, self.batches_per_step, self.world):
                if first + offset >= self.start_batch:
                    yield first + offset, group[offset]

    def __iter__(self) -> Iterator[dict]:
        info = get_worker_info()
        workers, worker = (info.num_workers, info.id) if info else (1, 0)
        for local, (number, batch) in enumerate(self.assigned()):
            if local % workers == worker:
                yield self.collate(batch, number)

    def collate(self, batch: list[Example], number: int) -> dict:
        return collate(batch, self.tokenizer.pad_token_id, self.preprocess) | {
            "batch_number": number, "skipped_too_long": self.skipped.too_long}


def collate(batch: list[Example], pad_token_id: int, preprocess: Callable) -> dict:
    """Right-padded token ids, labels and attention mask; the images decoded and preprocessed,
    with the rows and first image-token positions they belong to."""
    from PIL import Image  # noqa: PLC0415

    width = max(len(e.input_ids) for e in batch)
    input_ids = torch.full((len(batch), width), pad_token_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    attention = torch.zeros((len(batch), width), dtype=torch.long)
    pixels, image_rows, image_starts = [], [], []
    for row, example in enumerate(batch):
        length = len(example.input_ids)
        input_ids[row, :length] = torch.tensor(example.input_ids)
        labels[row, :length] = torch.tensor(example.labels)
        attention[row, :length] = 1
        if example.image is not None and example.image_start >= 0:
            with Image.open(io.BytesIO(example.image)) as picture:
                pixels.append(preprocess(picture.convert("RGB")))
            image_rows.append(row)
            image_starts.append(example.image_start)
    return {
        "input_ids": input_ids, "labels": labels, "attention_mask": attention,
        "pixel_values": torch.stack(pixels) if pixels else None,
        "image_rows": torch.tensor(image_rows, dtype=torch.long),
        "image_starts": torch.tensor(image_starts, dtype=torch.long),
        "tokens": int(attention.sum()),
    }
