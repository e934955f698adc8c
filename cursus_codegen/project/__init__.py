"""Phase 8, project: a deploy repository's manifest (pyproject.toml) in; every pipeline it
lists generated or checked, in parallel, with a cache that answers an unchanged pipeline
without importing black, libcst or jinja2 (they are imported only to generate).
"""
