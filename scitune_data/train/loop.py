"""The training loop for both SciTune stages, on one process or many.

The model arrives built for its stage (:mod:`.builders`). The loop wraps it for the processes
at hand (:mod:`.distributed`), runs forward passes of ``train.batch_size`` records, accumulates
until the processes together have seen the recipe's global batch (:mod:`.plan`), clips, sets
the learning rate of the step from the schedule and steps AdamW. Checkpoints
(:mod:`.checkpoint`) hold everything a resumed run needs to continue the same loss curve, dropout
included: the DataLoader draws from its own generator, never from the RNG that dropout uses.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pyarrow.parquet as pq
import torch

from scitune_data.output_layout import shard_files
from scitune_data.train.checkpoint import latest_checkpoint, load_checkpoint, save_checkpoint
from scitune_data.train.config import TrainConfig
from scitune_data.train.data import ShardStream
from scitune_data.train.distributed import Runtime, clip_gradients, gradient_sync, init_runtime, wrap
from scitune_data.train.model import Batch, VisionLanguageModel
from scitune_data.train.plan import BatchPlan, Schedule, total_steps


@dataclass(slots=True)
class TrainResult:
    steps: int = 0
    losses: list[float] = field(default_factory=list)  # one per optimizer step of this call, mean over processes
    learning_rates: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)  # before clipping
    batches: int = 0  # forward passes of this process
    skipped_too_long: int = 0
    tokens: int = 0  # all processes
    seconds: float = 0.0
    output_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class RunPlan:
    """What the log prints at the start: the batch arithmetic and the length of the run."""

    batches: BatchPlan
    records: int
    total_steps: int
    resumed_from: Path | None = None

    def describe(self) -> str:
        resumed = f"; resuming from {self.resumed_from}" if self.resumed_from else ""
        return f"{self.batches.describe()}; {self.records} records, {self.total_steps} optimizer steps{resumed}"


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def count_records(config: TrainConfig) -> int:
    """Records of the split in the sources' shards (to size the schedule)."""
    split = config.data.split
    return sum(pq.ParquetFile(path).metadata.num_rows
               for source in config.data.sources for path in shard_files(Path(source.path), split))


def _to_batch(raw: dict, device: torch.device) -> Batch:
    move = {k: raw[k].to(device) for k in ("input_ids", "attention_mask", "labels", "image_rows", "image_starts")}
    pixels = raw["pixel_values"].to(device) if raw["pixel_values"] is not None else None
    return Batch(pixel_values=pixels, **move)


def enable_gradient_checkpointing(model: VisionLanguageModel) -> None:
    language_model = model.language_model
    enable = getattr(language_model, "activation_checkpointing_enable", None) or language_model.gradient_checkpointing_enable
    enable()


@dataclass(frozen=True, slots=True)
class StepStats:
    """One optimizer step on this process."""

    loss: float  # mean over its micro-batches
    lr: float
    grad_norm: float  # before clipping, over all processes
    tokens: int
    last_batch: int  # global number of its last micro-batch
    skipped_too_long: int


class Trainer:
    """The model wrapped for the processes at hand, its AdamW and schedule; :meth:`step` runs one
    optimizer step. :func:`train` drives it over the data; ``benchmarks/train_gpu.py`` over
    synthetic batches."""

    def __init__(self, config: TrainConfig, model: VisionLanguageModel, runtime: Runtime, plan: BatchPlan,
                 total: int) -> None:
        options = config.train
        self.options, self.runtime, self.plan = options, runtime, plan
        self.schedule = Schedule(options.lr, total, options.warmup_ratio, options.schedule)
        if options.gradient_checkpointing:
            enable_gradient_checkpointing(model)
        self.model = wrap(model, runtime, options.parallel, options.bf16)
        self.trainable = [p for p in self.model.parameters() if p.requires_grad]  # after wrap: FSDP's shards
        self.optimizer = torch.optim.AdamW(self.trainable, lr=options.lr, weight_decay=options.weight_decay)

    def step(self, batches: Iterator[dict], step: int) -> StepStats | None:
        """Optimizer step ``step`` (0-based) over the next ``accumulation`` collated batches of
        ``batches``; None when ``batches`` is exhausted."""
        first = next(batches, None)
        if first is None:
            return None
        accumulation = self.plan.accumulation
        loss, tokens = 0.0, 0
        for index, raw in enumerate(itertools.chain([first], itertools.islice(batches, accumulation - 1))):
            with gradient_sync(self.model, enabled=index == accumulation - 1):
                with self.runtime.autocast(self.options.bf16):
                    scaled = self.model(_to_batch(raw, self.runtime.device)).loss / accumulation
                scaled.backward()
            loss += float(scaled.detach())
            tokens += raw["tokens"]
        norm = clip_gradients(self.trainable, self.options.max_grad_norm)
        lr = self.schedule.lr(step)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        return StepStats(loss, lr, norm, tokens, raw.get("batch_number", -1), raw.get("skipped_too_long", 0))


def train(config: TrainConfig, model: VisionLanguageModel, tokenizer, output_dir: Path,
          on_log: Callable[[dict], None] | None = None, on_start: Callable[[RunPlan], None] | None = None,
          max_steps: int | None = None, runtime: Runtime | None = None) -> TrainResult:
    """Train ``model`` (from :func:`.builders.build_model`), resuming from the latest checkpoint
    in ``output_dir`` if there is one. ``on_start`` and ``on_log`` are called on the main process.
    ``max_steps`` stops this call early (a test's way to simulate an interrupted run)."""
    runtime = runtime or init_runtime()
    options = config.train
    plan = BatchPlan.for_world(options, runtime.world)
    records = count_records(config)
    total = total_steps(options, plan, records)
    seed_everything(options.seed + runtime.rank)
    trainer = Trainer(config, model, runtime, plan, total)
    stream = ShardStream(list(config.data.sources), tokenizer, model.tower.preprocess, model.image_tokens,
                         options.max_length, options.batch_size, split=config.data.split, mode=config.data.mode,
                         seed=options.seed, window=options.window, rank=runtime.rank, world=runtime.world,
                         batches_per_step=plan.batches_per_step, prompt=config.data.prompt)
    step, epoch, position = 0, 0, 0
    previous = latest_checkpoint(output_dir)
    if previous is not None:
        progress = load_checkpoint(previous, trainer.model, trainer.optimizer, runtime)
        step, epoch, position = progress["step"], progress["epoch"], progress["position"]
        if not progress["rng_restored"]:
            seed_everything(options.seed + runtime.rank + runtime.world * step)  # another world size: fresh draws
    if on_start is not None and runtime.is_main:
        on_start(RunPlan(plan, records, total, previous))
    trainer.model.train()
    writer = _tensorboard(output_dir) if options.tensorboard and runtime.is_main else None
    result = TrainResult(output_dir=output_dir)
    started, stop_at = time.perf_counter(), min(total, step + max_steps) if max_steps else total

    def save(folder: Path) -> None:
        save_checkpoint(folder, trainer.model, trainer.optimizer, {"step": step, "epoch": epoch, "position": position},
                        config.as_dict(), runtime)

    while epoch < options.epochs and step < stop_at:
        stream.set_position(epoch, position)
        batches = iter(torch.utils.data.DataLoader(stream, batch_size=None, num_workers=options.num_workers,
                                                   generator=torch.Generator().manual_seed(options.seed)))
        while step < stop_at and (stats := trainer.step(batches, step)) is not None:
            step += 1
            position = stats.last_batch - stats.last_batch % plan.batches_per_step + plan.batches_per_step
            loss_sum, tokens = runtime.sum([stats.loss, stats.tokens])
            result.losses.append(loss_sum / runtime.world)
            result.learning_rates.append(stats.lr)
            result.grad_norms.append(stats.grad_norm)
            result.tokens += int(tokens)
            result.batches += plan.accumulation
            result.skipped_too_long = stats.skipped_too_long
            entry = _log_entry(step, total, result, started)
            if writer is not None:
                for key in ("loss", "lr", "grad_norm"):
                    writer.add_scalar(f"train/{key}", entry[key], step)
            if on_log is not None and runtime.is_main and (step % options.log_every == 0 or step == stop_at):
                on_log(entry)
            if step % options.save_every == 0 or step == stop_at:
                save(output_dir / f"checkpoint-{step}")
        if step < stop_at:  # the epoch's batches are spent
            epoch, position = epoch + 1, 0
    result.steps = step
    result.seconds = time.perf_counter() - started
    if step >= total or epoch >= options.epochs:  # finished (not stopped early by ``max_steps``)
        save(output_dir / "final")
        if runtime.is_main:
            tokenizer.save_pretrained(output_dir / "final")
    if writer is not None:
        writer.close()
    return result


def _log_entry(step: int, total: int, result: TrainResult, started: float) -> dict:
    elapsed = time.perf_counter() - started
    per_step = elapsed / max(1, len(result.losses))
    return {"step": step, "total": total, "loss": result.losses[-1], "lr": result.learning_rates[-1],
            "grad_norm": result.grad_norms[-1], "tokens_per_s": result.tokens / max(elapsed, 1e-9),
            "eta_s": per_step * (total - step), "skipped_too_long": result.skipped_too_long}


def _tensorboard(output_dir: Path):
    from torch.utils.tensorboard import SummaryWriter  # noqa: PLC0415

    return SummaryWriter(str(output_dir / "tensorboard"))
