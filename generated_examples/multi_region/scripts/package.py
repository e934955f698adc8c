"""Placeholder for the package script: the real one lives in the team's repository."""
