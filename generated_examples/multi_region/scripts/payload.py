"""Placeholder for the payload script: the real one lives in the team's repository."""
