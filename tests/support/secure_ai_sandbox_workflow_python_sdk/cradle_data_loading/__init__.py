"""Test double package (see ../__init__.py)."""
