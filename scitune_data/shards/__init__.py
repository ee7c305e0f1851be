"""Instruction shards: paper-level splits, dedup and filters, Parquet shards and a manifest."""
