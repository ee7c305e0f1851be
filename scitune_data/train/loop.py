"""The training loop for both SciTune stages.

Stage ``align`` trains the projector only (tower and LM frozen); stage ``instruct`` trains the
projector and the LM, fully or through LoRA adapters (peft). bf16 autocast on GPUs, gradient
checkpointing, gradient accumulation; one process, or many under ``torchrun`` / ``accelerate
launch`` (Accelerate handles DDP and FSDP). Checkpoints (:mod:`.checkpoint`) hold everything a
resumed run needs to continue the same loss curve.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from safetensors.torch import load_file

from scitune_data.train.checkpoint import WEIGHTS, latest_checkpoint, load_checkpoint, save_checkpoint
from scitune_data.train.config import TrainConfig
from scitune_data.train.data import ShardStream
from scitune_data.train.model import Batch, VisionLanguageModel


@dataclass(slots=True)
class TrainResult:
    steps: int = 0
    losses: list[float] = field(default_factory=list)  # one per optimizer step, this run
    skipped_too_long: int = 0
    tokens: int = 0
    seconds: float = 0.0
    output_dir: Path | None = None


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def set_trainable(model: VisionLanguageModel, config: TrainConfig) -> None:
    model.tower.requires_grad_(False)
    model.projector.requires_grad_(True)
    stage = config.train.stage
    if stage not in ("align", "instruct"):
        raise ValueError(f"train.stage must be align or instruct, not {stage!r}")
    if stage == "align":
        model.language_model.requires_grad_(False)
    elif config.lora.r > 0:
        from peft import LoraConfig, get_peft_model  # noqa: PLC0415

        lora = LoraConfig(r=config.lora.r, lora_alpha=config.lora.alpha, lora_dropout=config.lora.dropout,
                          target_modules=list(config.lora.target_modules), task_type="CAUSAL_LM")
        model.language_model = get_peft_model(model.language_model, lora)  # only adapters train
    else:
        model.language_model.requires_grad_(True)


def load_projector(model: VisionLanguageModel, checkpoint: str) -> None:
    """Start from a stage-1 projector."""
    weights = load_file(str(Path(checkpoint) / WEIGHTS))
    projector = {k.removeprefix("projector."): v for k, v in weights.items() if k.startswith("projector.")}
    if not projector:
        raise ValueError(f"{checkpoint} holds no projector weights")
    model.projector.load_state_dict(projector)


def lr_lambda(total: int, warmup_ratio: float, schedule: str) -> Callable[[int], float]:
    warmup = max(1, math.ceil(total * warmup_ratio)) if warmup_ratio > 0 else 0

    def factor(step: int) -> float:
        if warmup and step < warmup:
            return (step + 1) / warmup
        if schedule == "constant":
            return 1.0
        progress = (step - warmup) / max(1, total - warmup)
        return 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))
    return factor


def count_records(config: TrainConfig) -> int:
    """Records of the split in the sources' manifests (to size the schedule)."""
    from scitune_data.output_layout import SHARD_NAME, shard_files  # noqa: PLC0415
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


def train(config: TrainConfig, model: VisionLanguageModel, tokenizer, output_dir: Path,
          on_log: Callable[[dict], None] | None = None, max_steps: int | None = None) -> TrainResult:
    """Train, resuming from the latest checkpoint in ``output_dir`` if there is one.
    ``max_steps`` stops this call early (a test's way to simulate an interrupted run)."""
    from accelerate import Accelerator  # noqa: PLC0415

    options = config.train
    accelerator = Accelerator(mixed_precision="bf16" if options.bf16 and torch.cuda.is_available() else "no")
    seed_everything(options.seed)
    if options.init_projector:
        load_projector(model, options.init_projector)
    set_trainable(model, config)
    if options.gradient_checkpointing and torch.cuda.is_available():
        model.language_model.gradient_checkpointing_enable()
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=options.lr, weight_decay=options.weight_decay)
    per_step = options.batch_size * options.grad_accum * accelerator.num_processes
    total = options.max_steps or max(1, options.epochs * math.ceil(count_records(config) / per_step))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(total, options.warmup_ratio, options.schedule))
    stream = ShardStream(list(config.data.sources), tokenizer, model.tower.preprocess, model.image_tokens,
                         options.max_length, options.batch_size, split=config.data.split, mode=config.data.mode,
                         seed=options.seed, window=options.window, rank=accelerator.process_index,
                         world=accelerator.num_processes)
    step, epoch, position = 0, 0, 0
    previous = latest_checkpoint(output_dir)
    if previous is not None:
        progress = load_checkpoint(previous, model, optimizer, scheduler)
        step, epoch, position = progress["step"], progress["epoch"], progress["position"]
    model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)
    writer = _tensorboard(output_dir) if options.tensorboard and accelerator.is_main_process else None
    result = TrainResult(output_dir=output_dir)
    started, stop_at = time.perf_counter(), min(total, step + max_steps) if max_steps else total
    micro, running, tokens = 0, 0.0, 0
    while epoch < options.epochs and step < stop_at:
        stream.set_position(epoch, position)
        loader = torch.utils.data.DataLoader(stream, batch_size=None, num_workers=options.num_workers)
        for raw in loader:
            batch = _to_batch(raw, accelerator.device)
            with accelerator.autocast():
                loss = model(batch).loss / options.grad_accum
            accelerator.backward(loss)
            running += float(loss.detach())
            tokens += raw["tokens"]
            micro += 1
            position = raw["batch_number"] + accelerator.num_processes
            result.skipped_too_long = raw["skipped_too_long"]
            if micro % options.grad_accum:
                continue
            accelerator.clip_grad_norm_(parameters, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            result.losses.append(running)
            entry = _log_entry(step, total, running, scheduler, tokens, started, result)
            running = 0.0
            if writer is not None:
                writer.add_scalar("train/loss", entry["loss"], step)
                writer.add_scalar("train/lr", entry["lr"], step)
            if on_log is not None and accelerator.is_main_process and (step % options.log_every == 0 or step == stop_at):
                on_log(entry)
            if step % options.save_every == 0 or step == stop_at:
                _save(accelerator, output_dir / f"checkpoint-{step}", model, optimizer, scheduler,
                      {"step": step, "epoch": epoch, "position": position}, config)
            if step >= stop_at:
                break
        else:
            epoch, position = epoch + 1, 0
            continue
        break
    result.steps, result.tokens = step, tokens
    result.seconds = time.perf_counter() - started
    if step >= total or epoch >= options.epochs:  # finished (not stopped early by ``max_steps``)
        _save(accelerator, output_dir / "final", model, optimizer, scheduler,
              {"step": step, "epoch": epoch, "position": position}, config)
        if accelerator.is_main_process:
            tokenizer.save_pretrained(output_dir / "final")
    if writer is not None:
        writer.close()
    return result


def _log_entry(step: int, total: int, loss: float, scheduler, tokens: int, started: float, result: TrainResult) -> dict:
    elapsed = time.perf_counter() - started
    per_step = elapsed / max(1, len(result.losses))
    return {"step": step, "total": total, "loss": loss, "lr": scheduler.get_last_lr()[0],
            "tokens_per_s": tokens / max(elapsed, 1e-9), "eta_s": per_step * (total - step),
            "skipped_too_long": result.skipped_too_long}


def _save(accelerator, folder: Path, model, optimizer, scheduler, progress: dict, config: TrainConfig) -> None:
    accelerator.wait_for_everyone()
    if accelerator.is_main_process:
        save_checkpoint(folder, accelerator.unwrap_model(model), optimizer, scheduler, progress, config.as_dict())
        (folder / "train_config.json").write_text(json.dumps(config.as_dict(), indent=1))


def _tensorboard(output_dir: Path):
    from torch.utils.tensorboard import SummaryWriter  # noqa: PLC0415

    return SummaryWriter(str(output_dir / "tensorboard"))
