"""MODS: the template class's metadata (author, version, description, pipeline name) and the
execution-document STEP_CONFIGs of the secure-sandbox SDK steps (Cradle, Redshift,
Registration, DataUploading), computed from the configuration as values of the plan.
"""

from cursus_codegen.mods.execdoc import ExecDocEntry, related_kind, step_config
from cursus_codegen.mods.metadata import Metadata, mods_metadata

__all__ = ["ExecDocEntry", "Metadata", "mods_metadata", "related_kind", "step_config"]
