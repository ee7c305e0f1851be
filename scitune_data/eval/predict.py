"""Batched generation over a shard set, written as JSONL (``id``, ``task``, ``template_id``,
``prompt``, ``output``, ``reference``) and resumable: ids already in the file are skipped."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pyarrow.parquet as pq
import torch

from scitune_data.output_layout import shard_files
from scitune_data.train.conversation import prompt_ids
from scitune_data.train.model import Batch, VisionLanguageModel


@dataclass(frozen=True, slots=True)
class Sampling:
    max_new_tokens: int = 256
    do_sample: bool = False  # greedy by default
    temperature: float = 1.0
    top_p: float = 1.0


def iter_records(data: Path, split: str) -> Iterator[dict]:
    for path in shard_files(data, split):
        for batch in pq.ParquetFile(path, pre_buffer=False).iter_batches(batch_size=64):
            yield from batch.to_pylist()


def _done(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()}


@torch.no_grad()
def generate(model: VisionLanguageModel, tokenizer, records: list[dict], sampling: Sampling,
             prompt: str = "v1") -> list[str]:
    """Answers to the first human turn of ``records``, in the run's prompt format ``prompt``."""
    from PIL import Image  # noqa: PLC0415

    device = next(model.projector.parameters()).device
    prompts = [prompt_ids(r["conversations"][0]["value"], tokenizer, model.image_tokens, prompt) for r in records]
    width = max(len(ids) for ids, _ in prompts)
    pad = tokenizer.pad_token_id
    input_ids = torch.full((len(records), width), pad, dtype=torch.long)
    attention = torch.zeros_like(input_ids)
    pixels, rows, starts = [], [], []
    preprocess = model.tower.preprocess
    for row, ((ids, start), record) in enumerate(zip(prompts, records)):
        offset = width - len(ids)  # left padding: generation continues every row at the end
        input_ids[row, offset:] = torch.tensor(ids)
        attention[row, offset:] = 1
        image = (record.get("image") or {}).get("bytes")
        if image is not None and start >= 0:
            with Image.open(io.BytesIO(image)) as picture:
                pixels.append(preprocess(picture.convert("RGB")))
            rows.append(row)
            starts.append(start + offset)
    batch = Batch(input_ids.to(device), attention.to(device), input_ids.to(device),
                  torch.stack(pixels).to(device) if pixels else None, torch.tensor(rows), torch.tensor(starts))
    embeddings = model.embed(batch)
    output = model.language_model.generate(
        inputs_embeds=embeddings, attention_mask=batch.attention_mask, max_new_tokens=sampling.max_new_tokens,
        do_sample=sampling.do_sample, temperature=sampling.temperature, top_p=sampling.top_p,
        pad_token_id=pad, eos_token_id=tokenizer.eos_token_id)
    return [text.strip() for text in tokenizer.batch_decode(output, skip_special_tokens=True)]


def predict(model: VisionLanguageModel, tokenizer, data: Path, out: Path, split: str = "test",
            batch_size: int = 8, sampling: Sampling = Sampling(),
            on_batch: Callable[[int], None] | None = None, prompt: str = "v1") -> int:
    """Predictions for every record of ``split`` not yet in ``out``; returns how many were written."""
    done = _done(out)
    written = 0
    pending: list[dict] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:
        def flush() -> None:
            nonlocal written
            for record, text in zip(pending, generate(model, tokenizer, pending, sampling, prompt)):
                handle.write(json.dumps({
                    "id": record["id"], "task": record["task"], "template_id": record["template_id"],
                    "prompt": record["conversations"][0]["value"], "output": text,
                    "reference": record["conversations"][1]["value"]}, ensure_ascii=False) + "\n")
            handle.flush()
            written += len(pending)
            if on_batch is not None:
                on_batch(len(pending))
            pending.clear()

        for record in iter_records(data, split):
            if record["id"] in done:
                continue
            pending.append(record)
            if len(pending) == batch_size:
                flush()
        if pending:
            flush()
    return written
