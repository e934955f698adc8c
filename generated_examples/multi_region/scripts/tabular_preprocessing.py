"""Placeholder for the tabular_preprocessing script: the real one lives in the team's repository."""
