"""Placeholder package script for the SDK-steps test pipeline."""
