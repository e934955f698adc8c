"""Placeholder payload script for the SDK-steps test pipeline."""
