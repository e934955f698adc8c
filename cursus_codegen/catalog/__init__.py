"""Step types as data: one YAML file per cursus step type (`steps/`, with shared `bases/`),
loaded strictly into typed specs: fields and defaults, inputs and outputs, the rules that
derive environment variables and job arguments, and the variants per job type.
"""

from cursus_codegen.catalog.loader import SUFFIXES, Catalog, load_catalog

__all__ = ["SUFFIXES", "Catalog", "load_catalog"]
