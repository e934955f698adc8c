"""Placeholder xgboost_training script for the SDK-steps test pipeline."""
