"""Training and tuning on dev splits: the stance model, the stance policy and the confidence curves."""
