"""Placeholder for the xgboost_training script: the real one lives in the team's repository."""
