"""Phase 1, reading: a DAG file (.json, a .py read statically or run on request, or a Jupyter
notebook read statically) and a cursus configuration JSON in; declarations checked as cursus's
strict mode does, decoded configurations, and the configuration each DAG node uses out.
Problems are located values.
"""

from cursus_codegen.inputs.config import ConfigFile, NodeConfig, read_config
from cursus_codegen.inputs.dag import read_dag
from cursus_codegen.inputs.declarations import Dag
from cursus_codegen.inputs.resolve import resolve_nodes

__all__ = [
    "ConfigFile",
    "Dag",
    "NodeConfig",
    "read_config",
    "read_dag",
    "resolve_nodes",
]
