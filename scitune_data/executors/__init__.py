"""Executors run a build's pending batches: a local process pool (default) or Ray tasks; one
interface (:class:`scitune_data.executors.base.Executor`), the same steps, the same output.
They sit above the pipeline: the pipeline never imports them."""
