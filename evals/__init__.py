"""Eval suite (labelled sets -> metrics against targets) and the stance model's training scripts; run from the repository root."""
