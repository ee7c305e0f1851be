"""Checkpoints in safetensors: the trained weights, the optimizer state, and each process's RNG
state as tensors; the step, data position and optimizer settings as JSON. Nothing is unpickled
on load.

Saving and loading are collective: every process calls them (FSDP2 gathers sharded weights and
optimizer state on all ranks at once; the main process writes). Loading happens after the model
is wrapped and the optimizer created, so sharded state lands on the sharded parameters.
``state.json`` is written last: a checkpoint folder without it is incomplete and ignored.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torch import nn

from scitune_data.train.distributed import Runtime, unwrap

WEIGHTS = "trainable.safetensors"
OPTIMIZER = "optimizer.safetensors"
STATE = "state.json"
CONFIG = "train_config.json"


def _rng_file(rank: int) -> str:
    return f"rng-{rank}.safetensors"


def trainable_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """Full CPU copies of the trained weights, by name (collective under FSDP2)."""
    state = {}
    for name, parameter in unwrap(model).named_parameters():
        if parameter.requires_grad:
            tensor = parameter.full_tensor() if hasattr(parameter, "full_tensor") else parameter
            state[name] = tensor.detach().cpu().contiguous()
    return state


def _options(**extra):
    from torch.distributed.checkpoint.state_dict import StateDictOptions  # noqa: PLC0415

    return StateDictOptions(full_state_dict=True, **extra)


def _flatten(optimizer_state: dict) -> tuple[dict[str, torch.Tensor], dict]:
    tensors, scalars = {}, {}
    for fqn, values in optimizer_state.get("state", {}).items():
        for key, value in values.items():
            if torch.is_tensor(value):
                tensors[f"{fqn}.{key}"] = value.detach().cpu().contiguous()
            else:
                scalars[f"{fqn}.{key}"] = value
    return tensors, {"param_groups": optimizer_state.get("param_groups", []), "scalars": scalars}


def _unflatten(tensors: dict[str, torch.Tensor], meta: dict) -> dict:
    state: dict[str, dict] = {}
    for key, value in [*tensors.items(), *meta["scalars"].items()]:
        fqn, name = key.rsplit(".", 1)
        state.setdefault(fqn, {})[name] = value
    return {"state": state, "param_groups": meta["param_groups"]}


def _save_rng(path: Path) -> None:
    tensors = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        tensors["cuda"] = torch.cuda.get_rng_state()
    version, keys, gauss = random.getstate()
    kind, np_keys, position, has_gauss, cached = np.random.get_state()
    meta = {"python": json.dumps([version, list(keys), gauss]),
            "numpy": json.dumps([kind, np_keys.tolist(), int(position), int(has_gauss), float(cached)])}
    save_file(tensors, str(path), metadata=meta)


def _load_rng(path: Path) -> None:
    with safe_open(str(path), "pt") as handle:
        meta = handle.metadata()
        torch.set_rng_state(handle.get_tensor("torch"))
        if "cuda" in handle.keys() and torch.cuda.is_available():
            torch.cuda.set_rng_state(handle.get_tensor("cuda"))
    version, keys, gauss = json.loads(meta["python"])
    random.setstate((version, tuple(keys), gauss))
    kind, keys, position, has_gauss, cached = json.loads(meta["numpy"])
    np.random.set_state((kind, np.array(keys, dtype=np.uint32), position, has_gauss, cached))


def save_checkpoint(folder: Path, model: nn.Module, optimizer: torch.optim.Optimizer, progress: dict,
                    config: dict, runtime: Runtime) -> None:
    """Every process calls this (see the module docstring)."""
    from torch.distributed.checkpoint.state_dict import get_optimizer_state_dict  # noqa: PLC0415

    weights = trainable_state(model)
    optimizer_state = get_optimizer_state_dict(unwrap(model), optimizer, options=_options(cpu_offload=True))
    folder.mkdir(parents=True, exist_ok=True)
    runtime.barrier()
    _save_rng(folder / _rng_file(runtime.rank))
    if runtime.is_main:
        save_file(weights, str(folder / WEIGHTS))
        tensors, optimizer_meta = _flatten(optimizer_state)
        save_file(tensors, str(folder / OPTIMIZER))
        (folder / CONFIG).write_text(json.dumps(config, indent=1))
    runtime.barrier()
    if runtime.is_main:
        state = {"progress": progress, "optimizer": optimizer_meta, "world": runtime.world, "config": config}
        (folder / STATE).write_text(json.dumps(state, indent=1))
    runtime.barrier()


def load_checkpoint(folder: Path, model: nn.Module, optimizer: torch.optim.Optimizer, runtime: Runtime) -> dict:
    """Restore a checkpoint into the wrapped ``model`` and its ``optimizer`` (every process calls
    this); returns the progress (step, epoch, batch position) and whether this process's RNG
    state was restored (``rng_restored``: false when the world size changed)."""
    from torch.distributed.checkpoint.state_dict import set_model_state_dict, set_optimizer_state_dict  # noqa: PLC0415

    state = json.loads((folder / STATE).read_text())
    module = unwrap(model)
    with safe_open(str(folder / WEIGHTS), "pt") as handle:
        saved = set(handle.keys())
    missing = [name for name, p in module.named_parameters() if p.requires_grad and name not in saved]
    if missing:
        raise ValueError(f"checkpoint {folder} lacks trainable weights {missing[:3]}...")
    reads = runtime.is_main or not runtime.distributed  # the main process reads and broadcasts
    weights = load_file(str(folder / WEIGHTS)) if reads else {}
    options = _options(strict=False, broadcast_from_rank0=runtime.distributed)
    set_model_state_dict(module, weights, options=options)
    optimizer_state = _unflatten(load_file(str(folder / OPTIMIZER)), state["optimizer"]) if reads else {}
    set_optimizer_state_dict(module, optimizer, optimizer_state,
                             options=_options(broadcast_from_rank0=runtime.distributed))
    rng = folder / _rng_file(runtime.rank)
    restored = state.get("world") == runtime.world and rng.is_file()
    if restored:
        _load_rng(rng)
    return state["progress"] | {"rng_restored": restored}


def latest_checkpoint(output_dir: Path) -> Path | None:
    found = sorted(output_dir.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    complete = [p for p in found if (p / STATE).is_file()]
    return complete[-1] if complete else None
