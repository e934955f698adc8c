"""Placeholder for the pytorch_training script: the real one lives in the team's repository."""
