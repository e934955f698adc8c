"""Build a cursus-format configuration JSON for any DAG, plus its placeholder project.

One configuration per DAG node, keyed by the node name (cursus resolves a node to the key equal
to it first). Each entry is the config class's required values (values.REQUIRED) and the node's
job_type: the node's suffix (`TabularPreprocessing_calibration` -> "calibration"); a node without
a suffix keeps the class default, or "training" when the class requires a job_type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from conformance.node_types import split_node
from conformance.values import LOCAL_FOLDERS, REQUIRED, SHARED

SCRIPT_FIELDS = (
    "processing_entry_point",
    "training_entry_point",
    "entry_point",
    "inference_entry_point",
)
# cursus `_get_step_name` appends "-<region>" for these step types (SDKDelegationHandler append_region).
REGION_SUFFIXED = ("Registration",)
# Local data a configuration may name instead of S3 (uploaded by the built step): field -> kind.
LOCAL_DATA_FIELDS = {
    "DummyDataLoadingConfig": (("data_source", "folder"),),
    "DummyTrainingConfig": (("pretrained_model_path", "file"),),
}


@dataclass(frozen=True)
class NodeConfig:
    node: str
    step_type: str
    config_class: str
    values: dict  # the `specific` entry, without __model_type__
    job_type: (
        str | None
    )  # as the configuration resolves it (written value, else class default)
    region: str

    def step_name(self) -> str:
        """cursus `_get_step_name`: STEP_NAME, "-" + job_type.capitalize() when truthy, region."""
        name = self.step_type + (
            f"-{self.job_type.capitalize()}" if self.job_type else ""
        )
        return name + (f"-{self.region}" if self.step_type in REGION_SUFFIXED else "")


def node_configs(nodes, catalog) -> list[NodeConfig]:
    """The configuration of each node (its step type must be in `catalog`)."""
    result = []
    for node in nodes:
        step_type, suffix = split_node(node)
        step = catalog.get(step_type)
        if step is None:
            raise KeyError(f"{node}: step type {step_type} is not in the catalog")
        fields = {f.name: f for f in catalog.fields_of(step)}
        values = dict(REQUIRED[step.config_class])
        job_field = fields.get("job_type")
        if suffix is not None:
            assert (
                job_field is not None
            ), f"{node}: {step.config_class} has no job_type field"
            values["job_type"] = suffix
        elif job_field is not None and job_field.required:
            values["job_type"] = "training"
        job_type = values.get("job_type", _default(job_field))
        result.append(
            NodeConfig(
                node, step_type, step.config_class, values, job_type, SHARED["region"]
            )
        )
    return result


# Nodes of a real pair that no key names, bound by cursus's scored resolution (test_resolve.py
# checks the generator binds them the same way, with a warning).
CURSUS_SCORED_BINDINGS = {"ModelCalibration_training": "ModelCalibration_calibration"}


def node_configs_from_document(nodes, document: dict, catalog) -> list[NodeConfig]:
    """The configuration of each node in a corpus document (each node is one of its keys)."""
    shared = document["configuration"]["shared"]
    result = []
    for node in nodes:
        key = (
            node
            if node in document["configuration"]["specific"]
            else CURSUS_SCORED_BINDINGS[node]
        )
        entry = dict(document["configuration"]["specific"][key])
        config_class = entry.pop("__model_type__")
        step = catalog.by_config_class[config_class]
        job_field = {f.name: f for f in catalog.fields_of(step)}.get("job_type")
        job_type = entry.get("job_type", shared.get("job_type", _default(job_field)))
        result.append(
            NodeConfig(
                node, step.step_type, config_class, entry, job_type, shared["region"]
            )
        )
    return result


def _default(spec):
    return spec.default if spec is not None and not spec.required else None


def config_document(configs: list[NodeConfig]) -> dict:
    specific = {c.node: {"__model_type__": c.config_class, **c.values} for c in configs}
    return {
        "configuration": {"shared": dict(SHARED), "specific": specific},
        "metadata": {"config_types": {c.node: c.config_class for c in configs}},
    }


def placeholder_files(document: dict, catalog) -> list[str]:
    """Every script, folder and file a configuration document names, relative to the project root.

    Scripts sit under processing_source_dir (or source_dir) as cursus's effective_source_dir; a
    field the entry leaves out takes the catalog default (ModelCalibration's default folder is
    `dockers/xgboost_atoz/scripts`, for example). Works for our documents and the corpus ones.
    """
    shared = document["configuration"]["shared"]
    found: list[str] = []
    for entry in document["configuration"]["specific"].values():
        step = catalog.by_config_class.get(entry["__model_type__"])
        if step is None:
            continue  # a class no DAG node of ours uses (the generator only warns about it)
        defaults = {
            f.name: f.default for f in catalog.fields_of(step) if not f.required
        }
        merged = {**shared, **entry}

        def value(name: str, merged=merged, defaults=defaults) -> object:
            return merged.get(name, defaults.get(name))

        folder = value("processing_source_dir") or value("source_dir")
        for field in SCRIPT_FIELDS:
            script = value(field)
            if isinstance(script, str) and folder:
                found.append(f"{folder}/{script}")
        for config_class, field, default in LOCAL_FOLDERS:
            if config_class == step.config_class and folder:
                found.append(f"{folder}/{value(field) or default}/placeholder.json")
        for field, kind in LOCAL_DATA_FIELDS.get(step.config_class, ()):
            local = value(field)
            if isinstance(local, str) and not local.startswith("s3://"):
                found.append(local if kind == "file" else f"{local}/placeholder.csv")
    return sorted(set(found))


def write_project(root: Path, nodes, edges, catalog) -> list[NodeConfig]:
    """dag.json, config.json and placeholder files under `root`; the node configurations."""
    configs = node_configs(nodes, catalog)
    root.mkdir(parents=True, exist_ok=True)
    dag = {"dag": {"nodes": list(nodes), "edges": [list(e) for e in edges]}}
    (root / "dag.json").write_text(json.dumps(dag, indent=1))
    document = config_document(configs)
    (root / "config.json").write_text(json.dumps(document, indent=1, sort_keys=True))
    create_placeholders(root, placeholder_files(document, catalog))
    return configs


def create_placeholders(root: Path, relative_paths) -> None:
    for relative in relative_paths:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".tar.gz"):
            path.write_bytes(b"")
        elif relative.endswith(".json"):
            path.write_text("{}\n")
        else:
            path.write_text('"""placeholder"""\n')
