"""The build pipeline: inputs, per-paper processing, the batch store (resume), the build plan and
the figures → record-shards stage. Executors (:mod:`scitune_data.executors`) run it from above."""
