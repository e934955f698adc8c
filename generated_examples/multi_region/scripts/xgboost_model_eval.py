"""Placeholder for the xgboost_model_eval script: the real one lives in the team's repository."""
