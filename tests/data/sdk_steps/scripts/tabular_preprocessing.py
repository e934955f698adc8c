"""Placeholder tabular_preprocessing script for the SDK-steps test pipeline."""
