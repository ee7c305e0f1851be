"""The Ray executor: the same batches, as plain Ray tasks.

One task per batch of ``--batch-size`` inputs: a bulk archive's members are spread over as many
tasks as it has batches, each reading only its members' bytes (a plain tar's member index gives
their offsets; a compressed tar is streamed from its start, so give such archives one batch each
or unpack them to .tar). The driver lists the archives and plans; each task writes its batch's
outputs and completion marker into OUT, which is where the resume state lives (a shared
filesystem or an object store every node reaches).

Plain tasks rather than Ray Data: a batch is already the unit of resume (its outputs and marker
are written by the task that made them), each PDF needs a subprocess with a time limit and a
memory cap inside the task, and output bytes must not depend on scheduling; Ray Data's blocks
would move PDF bytes through the object store and re-chunk them by size. Each task returns
only its counts, so the driver holds no data. Inputs and outputs may be local paths on a shared
filesystem or fsspec URLs (``s3://``, ``gs://``) readable from every node.
"""

from __future__ import annotations

from dataclasses import replace

from scitune_data import storage
from scitune_data.executors.local import run_batches
from scitune_data.pipeline.batch_store import BatchStore
from scitune_data.pipeline.build import (
    BuildConfig, BuildSummary, OnProgress, PendingBatch, ProgressReport, finish_build, no_progress, open_build)
from scitune_data.pipeline.limits import Limits
from scitune_data.pipeline.papers import ExtractOptions


def process_batch(out: str, batch: PendingBatch, key: dict, options: ExtractOptions, limits: Limits) -> dict:
    """One batch on a Ray worker: its papers one at a time in a spawned subprocess (a Ray
    worker's threads make forking unsafe), then its outputs and marker (the driver listed
    them as OUT's own and holds OUT's lock)."""
    single = replace(limits, workers=1, start_method="spawn")
    store = BatchStore(out)
    ((_, outcomes),) = list(run_batches([batch], store, options, single))
    return store.write(batch.index, key, batch.inputs, outcomes)["counts"]


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
        with open_build(config, limits) as plan:
            on_progress(plan.progress())
            if not ray.is_initialized():
                ray.init(address=self.address, include_dashboard=False, log_to_driver=False)
            variables = storage.fsspec_variables()  # filesystem options (requester pays...) for the workers too
            task = ray.remote(num_cpus=1, **({"runtime_env": {"env_vars": variables}} if variables else {}))(process_batch)
            kept = {task.remote(str(config.out), batch, plan.key, config.options, limits): len(batch.kept)
                    for batch in plan.pending}
            running = list(kept)
            while running:
                done, running = ray.wait(running, num_returns=1)
                counts = ray.get(done[0])
                plan.summary.add(counts)
                on_progress(ProgressReport.of_batch(counts, kept[done[0]]))
            return finish_build(config, plan)
