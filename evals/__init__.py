"""Evaluation and training scripts (run from the repository root)."""
