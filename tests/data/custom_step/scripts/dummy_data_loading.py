"""Stand-in: the real loader copies the input data to /opt/ml/processing/output/data."""
