"""Conformance helpers: configurations for the corpus DAGs and the expectations checked on them."""
