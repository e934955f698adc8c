"""Placeholder for the dummy_data_loading script: the real one lives in the team's repository."""
