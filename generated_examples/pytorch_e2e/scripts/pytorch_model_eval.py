"""Placeholder for the pytorch_model_eval script: the real one lives in the team's repository."""
