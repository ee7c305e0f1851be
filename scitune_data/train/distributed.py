"""One process or many: the process group, the device, and the model wrapped for data parallelism.

Launched by ``torchrun`` or ``accelerate launch`` (which set ``WORLD_SIZE``, ``RANK`` and
``LOCAL_RANK``), the trainer joins a process group (NCCL on GPUs, gloo on CPUs) and wraps the
model in DDP (a replica per process) or FSDP2 (parameters, gradients and optimizer state sharded;
each decoder layer its own unit). The same code runs on CPUs, which is how the tests run it.
"""

from __future__ import annotations

import os
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Iterator

import torch
import torch.distributed as dist
from torch import nn


@dataclass(frozen=True, slots=True)
class Runtime:
    rank: int
    world: int
    local_rank: int
    device: torch.device

    @property
    def distributed(self) -> bool:
        return self.world > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def barrier(self) -> None:
        if self.distributed:
            dist.barrier()

    def sum(self, values: list[float]) -> list[float]:
        """Element-wise sum over the processes."""
        tensor = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.distributed:
            dist.all_reduce(tensor)
        return tensor.tolist()

    def autocast(self, bf16: bool):
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=bf16)


def init_runtime() -> Runtime:
    """This process's place in the launch (joining the process group once per process)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank, local_rank = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    if torch.cuda.is_available():
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    if world > 1 and not dist.is_initialized():
        if device.type == "cuda":
            dist.init_process_group("nccl", device_id=device)  # barriers then know this process's GPU
        else:
            dist.init_process_group("gloo")
    return Runtime(rank, world, local_rank, device)


def close_runtime() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


def layer_classes(language_model: nn.Module) -> set[str]:
    """Names of the LM's repeated blocks (transformers lists them as ``_no_split_modules``)."""
    names = getattr(language_model, "_no_split_modules", None)
    if not names and hasattr(language_model, "get_base_model"):
        names = getattr(language_model.get_base_model(), "_no_split_modules", None)
    if not names:
        raise ValueError(f"{type(language_model).__name__} names no decoder-layer class to shard with FSDP")
    return set(names)


def wrap(model: nn.Module, runtime: Runtime, parallel: str, bf16: bool) -> nn.Module:
    """``model`` on the device, wrapped for ``parallel`` (``ddp`` or ``fsdp``) when distributed.
    Create the optimizer after this: FSDP replaces the parameters by sharded ones (and moves
    only its shard of each to the device)."""
    if not runtime.distributed or parallel == "ddp":
        model.to(runtime.device)
    if not runtime.distributed:
        return model
    if parallel == "ddp":
        from torch.nn.parallel import DistributedDataParallel  # noqa: PLC0415

        device_ids = [runtime.local_rank] if runtime.device.type == "cuda" else None
        return DistributedDataParallel(model, device_ids=device_ids)
    from torch.distributed.device_mesh import init_device_mesh  # noqa: PLC0415
    from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard  # noqa: PLC0415

    mesh = init_device_mesh(runtime.device.type, (runtime.world,))
    policy = MixedPrecisionPolicy(param_dtype=torch.bfloat16 if bf16 else None, reduce_dtype=torch.float32)
    blocks = layer_classes(model.language_model)
    for module in model.language_model.modules():
        if type(module).__name__ in blocks:
            fully_shard(module, mesh=mesh, mp_policy=policy)
    fully_shard(model, mesh=mesh, mp_policy=policy)
    return model


def unwrap(model: nn.Module) -> nn.Module:
    """The model itself (DDP holds it as ``module``; FSDP2 shards it in place)."""
    return getattr(model, "module", model)


@contextmanager
def gradient_sync(model: nn.Module, enabled: bool) -> Iterator[None]:
    """Forward and backward of one micro-batch; gradients are only reduced over the processes
    when ``enabled`` (the last micro-batch of an optimizer step)."""
    if hasattr(model, "set_requires_gradient_sync"):  # FSDP2
        model.set_requires_gradient_sync(enabled)
        yield
    else:
        with nullcontext() if enabled or not hasattr(model, "no_sync") else model.no_sync():
            yield


def clip_gradients(parameters: list[nn.Parameter], max_norm: float) -> float:
    """Clip the gradients of ``parameters`` (sharded or not) to ``max_norm`` in total; returns
    the norm before clipping, the same on every process."""
    norm = torch.nn.utils.clip_grad_norm_(parameters, max_norm)
    if hasattr(norm, "full_tensor"):
        norm = norm.full_tensor()
    return float(norm)
