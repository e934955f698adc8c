"""Test stand-in for the company-internal `mods` package (never shipped)."""
