"""The training loop for both SciTune stages, on one process or many.

The model arrives built for its stage (:mod:`.builders`). The loop wraps it for the processes
at hand (:mod:`.distributed`), runs forward passes of ``train.batch_size`` records, accumulates
until the processes together have seen the recipe's global batch (:mod:`.plan`), clips, sets
the learning rate of the step from the schedule and steps AdamW. Checkpoints
(:mod:`.checkpoint`) hold everything a resumed run needs to continue the same loss curve, dropout
included: the DataLoader draws from its own generator, never from the RNG that dropout uses.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

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
    from scitune_data.validate.checks import SHARD_NAME, shard_files  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    total = 0
    for source in config.data.sources:
        for path in shard_files(Path(source.path)):
            match = SHARD_NAME.match(path.name)
            if match and match["split"] == config.data.split:
                total += pq.ParquetFile(path).metadata.num_rows
    return total


def _to_batch(raw: dict, device: torch.device) -> Batch:
    move = {k: raw[k].to(device) for k in ("input_ids", "attention_mask", "labels", "image_rows", "image_starts")}
    pixels = raw["pixel_values"].to(device) if raw["pixel_values"] is not None else None
    return Batch(pixel_values=pixels, **move)


def enable_gradient_checkpointing(model: VisionLanguageModel) -> None:
    language_model = model.language_model
    enable = getattr(language_model, "activation_checkpointing_enable", None) or language_model.gradient_checkpointing_enable
    enable()


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
    schedule = Schedule(options.lr, total, options.warmup_ratio, options.schedule)
    seed_everything(options.seed + runtime.rank)
    if options.gradient_checkpointing:
        enable_gradient_checkpointing(model)
    wrapped = wrap(model, runtime, options.parallel, options.bf16)
    trainable = [p for p in wrapped.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=options.lr, weight_decay=options.weight_decay)
    stream = ShardStream(list(config.data.sources), tokenizer, model.tower.preprocess, model.image_tokens,
                         options.max_length, options.batch_size, split=config.data.split, mode=config.data.mode,
                         seed=options.seed, window=options.window, rank=runtime.rank, world=runtime.world,
                         batches_per_step=plan.batches_per_step, prompt=config.data.prompt)
    step, epoch, position = 0, 0, 0
    previous = latest_checkpoint(output_dir)
    if previous is not None:
        progress = load_checkpoint(previous, wrapped, optimizer, runtime)
        step, epoch, position = progress["step"], progress["epoch"], progress["position"]
        if not progress["rng_restored"]:
            seed_everything(options.seed + runtime.rank + runtime.world * step)  # another world size: fresh draws
    if on_start is not None and runtime.is_main:
        on_start(RunPlan(plan, records, total, previous))
    wrapped.train()
    writer = _tensorboard(output_dir) if options.tensorboard and runtime.is_main else None
    result = TrainResult(output_dir=output_dir)
    started, stop_at = time.perf_counter(), min(total, step + max_steps) if max_steps else total
    micro, running, tokens = 0, 0.0, 0
    while epoch < options.epochs and step < stop_at:
        stream.set_position(epoch, position)
        loader = torch.utils.data.DataLoader(stream, batch_size=None, num_workers=options.num_workers,
                                             generator=torch.Generator().manual_seed(options.seed))
        for raw in loader:
            micro += 1
            last = micro == plan.accumulation
            with gradient_sync(wrapped, enabled=last):
                with runtime.autocast(options.bf16):
                    loss = wrapped(_to_batch(raw, runtime.device)).loss / plan.accumulation
                loss.backward()
            running += float(loss.detach())
            tokens += raw["tokens"]
            result.batches += 1
            result.skipped_too_long = raw["skipped_too_long"]
            if not last:
                continue
            micro = 0
            position = raw["batch_number"] - raw["batch_number"] % plan.batches_per_step + plan.batches_per_step
            norm = clip_gradients(trainable, options.max_grad_norm)
            lr = schedule.lr(step)
            for group in optimizer.param_groups:
                group["lr"] = lr
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            loss_sum, all_tokens = runtime.sum([running, tokens])
            running, tokens = 0.0, 0
            result.losses.append(loss_sum / runtime.world)
            result.learning_rates.append(lr)
            result.grad_norms.append(norm)
            result.tokens += int(all_tokens)
            entry = _log_entry(step, total, result, started)
            if writer is not None:
                for key in ("loss", "lr", "grad_norm"):
                    writer.add_scalar(f"train/{key}", entry[key], step)
            if on_log is not None and runtime.is_main and (step % options.log_every == 0 or step == stop_at):
                on_log(entry)
            if step % options.save_every == 0 or step == stop_at:
                save_checkpoint(output_dir / f"checkpoint-{step}", wrapped, optimizer,
                                {"step": step, "epoch": epoch, "position": position}, config.as_dict(), runtime)
            if step >= stop_at:
                break
        else:
            epoch, position = epoch + 1, 0
            continue
        break
    result.steps = step
    result.seconds = time.perf_counter() - started
    if step >= total or epoch >= options.epochs:  # finished (not stopped early by ``max_steps``)
        save_checkpoint(output_dir / "final", wrapped, optimizer,
                        {"step": step, "epoch": epoch, "position": position}, config.as_dict(), runtime)
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
