"""Executors run the per-paper work: a local process pool (default) or Ray; same steps, same
output."""
