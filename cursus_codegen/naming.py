"""Names, in two separate domains that must never mix.

- SageMaker names (step names, the pipeline name): computed exactly as cursus computes them.
- Python identifiers (methods, variables, the class): sanitised here, and only here. A
  `PyIdent` is a str that has been through `py_identifier`, so "already sanitised" shows in
  the types of the planner.
"""

from __future__ import annotations

import keyword
import re

REGION_TO_AWS = {"NA": "us-east-1", "EU": "eu-west-1", "FE": "us-west-2"}


class PyIdent(str):
    """A string known to be a valid, non-keyword Python identifier."""


def py_identifier(raw: str, fallback: str = "step") -> PyIdent:
    """snake_case identifier from any text: CamelCase split, non-identifier runs -> "_"."""
    text = raw
    for acronym in _COMPOUND_ACRONYMS:
        text = text.replace(acronym, acronym[0] + acronym[1:].lower())
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    text = text.encode("ascii", "ignore").decode() or fallback
    if text[0].isdigit():
        text = f"{fallback}_{text}"
    if keyword.iskeyword(text) or keyword.issoftkeyword(text):
        text += "_"
    return PyIdent(text)


def class_identifier(raw: str) -> PyIdent:
    """PascalCase class name from any text (e.g. a pipeline name)."""
    words = re.split(r"[^0-9a-zA-Z]+", raw)
    text = "".join(w[:1].upper() + w[1:] for w in words if w)
    if not text or text[0].isdigit():
        text = "Pipeline" + text
    return PyIdent(text if text.endswith("Pipeline") else text + "Pipeline")


def is_identifier(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text)


def unique_identifiers(raws: list[str], reserved: set[str]) -> list[PyIdent]:
    """Sanitise each name; names that collide after sanitising get _2, _3, ... in order."""
    taken = set(reserved)
    result = []
    for raw in raws:
        base = py_identifier(raw)
        name, n = base, 1
        while name in taken:
            n += 1
            name = PyIdent(f"{base}_{n}")
        taken.add(name)
        result.append(name)
    return result


def step_name(step_type: str, job_type: object, region: str | None = None) -> str:
    """cursus `_get_step_name`: STEP_NAME + "-" + job_type.capitalize() when job_type is truthy."""
    name = step_type
    if job_type:
        name += "-" + str(job_type).capitalize()
    if region:
        name += "-" + region
    return name


def sanitize_pipeline_name(name: str) -> str:
    """cursus `sanitize_pipeline_name` (core/compiler/name_generator.py)."""
    text = name.replace(".", "-").replace("_", "-")
    text = re.sub(r"[^a-zA-Z0-9-]", "", text)
    if text and not text[0].isalnum():
        text = "p" + text
    text = re.sub(r"-+", "-", text)[:255].rstrip("-")
    return text or "pipeline"


def pipeline_name(
    author: str, service_name: str, model_class: str, region: str, version: str
) -> str:
    """cursus `generate_pipeline_name(config.pipeline_name, config.pipeline_version)`."""
    base = f"{author}-{service_name}-{model_class}-{region}"
    return sanitize_pipeline_name(f"{base}-{version}-pipeline")


# cursus step_catalog/naming.py COMPOUND_ACRONYMS, longest first: these keep their inner capitals.
_COMPOUND_ACRONYMS = (
    "LightGBMMT",
    "LightGBM",
    "XGBoost",
    "PyTorch",
    "TensorFlow",
    "SageMaker",
    "MLFlow",
    "AutoML",
)


def canonical_to_snake(step_type: str) -> str:
    """cursus `canonical_to_snake`: XGBoostTraining -> xgboost_training (training output paths).

    Acronyms are first folded to one capitalised word, then PascalCase is split on capitals;
    "GraphStorm" is not protected, so GraphStormGNNTraining -> graph_storm_gnn_training.
    """
    text = step_type
    for acronym in _COMPOUND_ACRONYMS:
        text = text.replace(acronym, acronym[0] + acronym[1:].lower())
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", text)
    return text.lower()
