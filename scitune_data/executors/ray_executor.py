"""The Ray executor: the same batches, as plain Ray tasks.

Plain tasks rather than Ray Data: a batch is already the unit of resume (its outputs and marker
are written by the task that made them), each PDF needs a subprocess with a time limit and a
memory cap inside the task, and output bytes must not depend on scheduling; Ray Data's blocks
would move PDF bytes through the object store and re-chunk them by size. Each task returns
only its counts, so the driver holds no data. Inputs and outputs may be local paths on a shared
filesystem or fsspec URLs (``s3://``, ``gs://``) readable from every node.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from scitune_data.executors.local import Limits, run_batches
from scitune_data.pipeline.batches import BatchStore
from scitune_data.pipeline.build import BuildConfig, BuildSummary, finish_build, plan_build
from scitune_data.pipeline.inputs import InputFile
from scitune_data.pipeline.papers import ExtractOptions


def process_batch(out: str, index: int, identity: list, inputs: list[InputFile], options: ExtractOptions,
                  limits: Limits) -> dict:
    """One batch on a Ray worker: its papers one at a time in a spawned subprocess (a Ray
    worker's threads make forking unsafe), then its outputs and marker."""
    single = replace(limits, workers=1, start_method="spawn")
    ((_, outcomes),) = list(run_batches([(index, inputs)], options, single))
    return BatchStore(out).write(index, identity, outcomes)["counts"]


def run_build_ray(config: BuildConfig, address: str | None = None,
                  on_batch: Callable[[dict], None] | None = None) -> BuildSummary:
    try:
        import ray  # noqa: PLC0415 - optional dependency
    except ImportError as error:
        raise RuntimeError("--executor ray needs Ray: pip install 'scitune-data[ray]'") from error
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    plan = plan_build(config)
    task = ray.remote(num_cpus=1)(process_batch)
    running = [task.remote(str(config.out), index, plan.identity(index), inputs, config.options, config.limits)
               for index, inputs in plan.pending]
    while running:
        done, running = ray.wait(running, num_returns=1)
        counts = ray.get(done[0])
        plan.summary.add(counts)
        if on_batch is not None:
            on_batch(counts)
    return finish_build(config, plan)
