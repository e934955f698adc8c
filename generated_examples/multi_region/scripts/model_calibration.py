"""Placeholder for the model_calibration script: the real one lives in the team's repository."""
