"""Placeholder for the xgboost_inference_handler script: the real one lives in the team's repository."""
