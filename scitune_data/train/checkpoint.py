"""Checkpoints in safetensors: trainable weights, optimizer state, RNG state as tensors; the
step, data position and scheduler state as JSON. Nothing is unpickled on load."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file

WEIGHTS = "trainable.safetensors"
OPTIMIZER = "optimizer.safetensors"
STATE = "state.json"


def _full(tensor: torch.Tensor) -> torch.Tensor:
    """A plain CPU tensor (FSDP2 shards parameters as DTensors: gather them first)."""
    if hasattr(tensor, "full_tensor"):
        tensor = tensor.full_tensor()
    return tensor.detach().cpu().contiguous()


def trainable_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {name: _full(p) for name, p in model.named_parameters() if p.requires_grad}


def _optimizer_tensors(optimizer: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict]:
    state = optimizer.state_dict()
    tensors, scalars = {}, {}
    for index, values in state["state"].items():
        for key, value in values.items():
            if torch.is_tensor(value):
                tensors[f"{index}.{key}"] = _full(value)
            else:
                scalars[f"{index}.{key}"] = value
    return tensors, {"param_groups": state["param_groups"], "scalars": scalars}


def _rng_tensors() -> dict[str, torch.Tensor]:
    tensors = {"rng.torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        tensors["rng.cuda"] = torch.cuda.get_rng_state()
    return tensors


def save_checkpoint(folder: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer, scheduler,
                    progress: dict, config: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    save_file(trainable_state(model), str(folder / WEIGHTS))
    tensors, optimizer_meta = _optimizer_tensors(optimizer)
    save_file(tensors | _rng_tensors(), str(folder / OPTIMIZER))
    state = {
        "progress": progress, "optimizer": optimizer_meta, "scheduler": scheduler.state_dict(), "config": config,
        "python_random": [random.getstate()[0], list(random.getstate()[1]), random.getstate()[2]],
        "numpy_random": _numpy_state(),
    }
    (folder / STATE).write_text(json.dumps(state, indent=1))


def _numpy_state() -> list:
    kind, keys, position, has_gauss, cached = np.random.get_state()
    return [kind, keys.tolist(), int(position), int(has_gauss), float(cached)]


def load_checkpoint(folder: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer | None = None,
                    scheduler=None) -> dict:
    """Restore everything saved; returns the progress (step, epoch, batch position)."""
    weights = load_file(str(folder / WEIGHTS))
    missing = [name for name, p in model.named_parameters() if p.requires_grad and name not in weights]
    if missing:
        raise ValueError(f"checkpoint {folder} lacks trainable weights {missing[:3]}...")
    model.load_state_dict(weights, strict=False)
    state = json.loads((folder / STATE).read_text())
    if optimizer is not None:
        tensors = load_file(str(folder / OPTIMIZER))
        per_param: dict[int, dict] = {}
        for key, value in tensors.items():
            if not key.startswith("rng."):
                index, name = key.split(".", 1)
                per_param.setdefault(int(index), {})[name] = value
        for key, value in state["optimizer"]["scalars"].items():
            index, name = key.split(".", 1)
            per_param.setdefault(int(index), {})[name] = value
        optimizer.load_state_dict({"state": per_param, "param_groups": state["optimizer"]["param_groups"]})
        torch.set_rng_state(tensors["rng.torch"])
        if "rng.cuda" in tensors and torch.cuda.is_available():
            torch.cuda.set_rng_state(tensors["rng.cuda"])
        version, keys, gauss = state["python_random"]
        random.setstate((version, tuple(keys), gauss))
        kind, keys, position, has_gauss, cached = state["numpy_random"]
        np.random.set_state((kind, np.array(keys, dtype=np.uint32), position, has_gauss, cached))
    if scheduler is not None:
        scheduler.load_state_dict(state["scheduler"])
    return state["progress"]


def latest_checkpoint(output_dir: Path) -> Path | None:
    found = sorted(output_dir.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    complete = [p for p in found if (p / STATE).is_file()]
    return complete[-1] if complete else None
