"""Counts the rows of /opt/ml/processing/input/data (stand-in for a team script)."""
