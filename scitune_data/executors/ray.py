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

from scitune_data.executors.base import Limits
from scitune_data.executors.local import run_batches
from scitune_data.pipeline.batch_store import BatchStore
from scitune_data.pipeline.build import (
    BuildConfig, BuildSummary, OnProgress, ProgressReport, finish_build, no_progress, plan_build)
from scitune_data.pipeline.inputs import InputFile
from scitune_data.pipeline.papers import ExtractOptions


def process_batch(out: str, index: int, identity: list, inputs: list[InputFile], options: ExtractOptions,
                  limits: Limits) -> dict:
    """One batch on a Ray worker: its papers one at a time in a spawned subprocess (a Ray
    worker's threads make forking unsafe), then its outputs and marker."""
    single = replace(limits, workers=1, start_method="spawn")
    ((_, outcomes),) = list(run_batches([(index, inputs)], options, single))
    return BatchStore(out).write(index, identity, outcomes)["counts"]


class RayExecutor:
    """One Ray task (one CPU) per pending batch, on the cluster at ``address`` (None: the Ray
    instance already started in this process, or a new local one)."""

    def __init__(self, address: str | None = None) -> None:
        self.address = address

    def run(self, config: BuildConfig, limits: Limits = Limits(), on_progress: OnProgress = no_progress,
            ) -> BuildSummary:
        try:
            import ray  # noqa: PLC0415 - optional dependency
        except ImportError as error:
            raise RuntimeError("--executor ray needs Ray: pip install 'scitune-data[ray]'") from error
        plan = plan_build(config)
        on_progress(plan.progress())
        if not ray.is_initialized():
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False)
        task = ray.remote(num_cpus=1)(process_batch)
        running = [task.remote(str(config.out), index, plan.identity(index), inputs, config.options, limits)
                   for index, inputs in plan.pending]
        while running:
            done, running = ray.wait(running, num_returns=1)
            counts = ray.get(done[0])
            plan.summary.add(counts)
            on_progress(ProgressReport.of_batch(counts))
        return finish_build(config, plan)
