"""How a recipe's global batch and schedule map onto the processes at hand.

The recipe states the global batch (records per optimizer step); each process runs forward
passes of ``batch_size`` records and accumulates gradients until the processes together have
seen the global batch. The number of optimizer steps, and so the learning-rate schedule, depends
only on the data and the global batch, never on how many processes share the work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scitune_data.train.config import OptimConfig, TrainConfigError


@dataclass(frozen=True, slots=True)
class BatchPlan:
    global_batch: int
    per_device: int
    world: int

    @classmethod
    def for_world(cls, options: OptimConfig, world: int) -> BatchPlan:
        if options.global_batch_size % (options.batch_size * world):
            raise TrainConfigError(
                f"train.global_batch_size {options.global_batch_size} is not a multiple of train.batch_size "
                f"{options.batch_size} x {world} processes; change either so that accumulation is whole")
        return cls(options.global_batch_size, options.batch_size, world)

    @property
    def accumulation(self) -> int:
        """Forward passes per process per optimizer step."""
        return self.global_batch // (self.per_device * self.world)

    @property
    def batches_per_step(self) -> int:
        """Loader batches consumed by one optimizer step, over all processes."""
        return self.global_batch // self.per_device

    def steps_per_epoch(self, records: int) -> int:
        """Whole optimizer steps in one pass over ``records`` (an incomplete last step is dropped)."""
        return math.ceil(records / self.per_device) // self.batches_per_step

    def describe(self) -> str:
        processes = "process" if self.world == 1 else "processes"
        steps = "step" if self.accumulation == 1 else "steps"
        return (f"global batch {self.global_batch} = {self.per_device} per device x {self.world} {processes} "
                f"x {self.accumulation} accumulation {steps}")


@dataclass(frozen=True, slots=True)
class Schedule:
    """Learning rate of optimizer step ``step`` (0-based): linear warm-up, then cosine or constant."""

    base_lr: float
    total: int
    warmup_ratio: float = 0.0
    kind: str = "cosine"

    @property
    def warmup(self) -> int:
        return max(1, math.ceil(self.total * self.warmup_ratio)) if self.warmup_ratio > 0 else 0

    def lr(self, step: int) -> float:
        if self.warmup and step < self.warmup:
            return self.base_lr * (step + 1) / self.warmup
        if self.kind == "constant":
            return self.base_lr
        progress = (step - self.warmup) / max(1, self.total - self.warmup)
        return self.base_lr * 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))


def total_steps(options: OptimConfig, plan: BatchPlan, records: int) -> int:
    if options.max_steps:
        return options.max_steps
    per_epoch = plan.steps_per_epoch(records)
    if per_epoch == 0:
        raise TrainConfigError(f"{records} records make no whole global batch of {plan.global_batch}: "
                               "lower train.global_batch_size")
    return options.epochs * per_epoch
