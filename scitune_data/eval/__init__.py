"""Evaluation: predictions from a trained model, and the SciTune paper's metrics."""
