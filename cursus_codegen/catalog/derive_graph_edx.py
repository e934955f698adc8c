"""Derivations for the GraphStorm and EdxUploading step types that the rule language cannot
express. Merged into derive.DERIVATIONS (catalog/derive.py imports this module).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Values = Mapping[str, Any]

# GraphStormGNNTrainingConfig.batch_size_override (config_graphstorm_gnn_training_step.py):
# GPU memory (GB) per training instance, unknown instances count as 16. Keyed by `object`: it
# is looked up with the configured value, whatever its JSON type.
_GPU_MEMORY_GB: dict[object, int] = {
    "ml.g5.12xlarge": 24,
    "ml.g5.2xlarge": 24,
    "ml.g5.xlarge": 24,
    "ml.g4dn.12xlarge": 16,
    "ml.g4dn.xlarge": 16,
}
_MAX_SAFE_BATCH = {24: 1024, 16: 512}


def graphstorm_batch_size_override(values: Values) -> str | None:
    """BATCH_SIZE_OVERRIDE: the batch size scaled down for the GPU's memory and the model's size,
    only when it is smaller than the configured batch_size (else None: the variable is omitted).
    """
    gpu_memory = _GPU_MEMORY_GB.get(values.get("training_instance_type"), 16)
    max_safe = _MAX_SAFE_BATCH.get(gpu_memory, 512)
    fanout = values.get("fanout")
    first_fanout = int(str(fanout).split(",")[0]) if fanout else 30
    complexity = (
        (values.get("hidden_size", 100) / 100)
        * ((values.get("num_layers", 3) / 3) ** 0.5)
        * ((first_fanout / 30) ** 0.5)
    )
    adjusted = min(4096, max(64, int(max_safe / max(complexity, 0.5))))
    return str(adjusted) if adjusted < values.get("batch_size", 1024) else None


# EdxUploadingConfig.validate_input_mode (config_edx_uploading_step.py): components missing from
# the configuration are parsed from edx_arn, first with the full pattern, then by splitting.
_EDX_ARN = re.compile(
    r'arn:amazon:edx:\w+::manifest/([^/]+)/([^/]+)/([^/]+)/\["([^"]+)"\]'
)
_EDX_PREFIX = "arn:amazon:edx:iad::manifest/"
_EDX_PARTS = ("edx_provider", "edx_subject", "edx_dataset", "edx_manifest_key")


def _edx_components(values: Values) -> dict[str, Any]:
    found = {name: values.get(name) for name in _EDX_PARTS}
    arn = values.get("edx_arn")
    if not arn:
        return found
    match = _EDX_ARN.match(str(arn))
    if match:
        parsed = list(match.groups())
    else:
        parts = str(arn).replace(_EDX_PREFIX, "").split("/")
        if len(parts) < 3:
            return found
        key = "/".join(parts[3:]).strip('[]"') if len(parts) > 3 else None
        parsed = parts[:3] + [key]
    for name, value in zip(_EDX_PARTS, parsed, strict=True):
        if not found[name] and value is not None:
            found[name] = value
    return found


def edx_arn_base(values: Values) -> str:
    """EDX_DATASET_ARN: the computed edx_arn_base (provider/subject/dataset)."""
    c = _edx_components(values)
    return f"{_EDX_PREFIX}{c['edx_provider']}/{c['edx_subject']}/{c['edx_dataset']}"


def edx_manifest_key(values: Values) -> object:
    """EDX_MANIFEST_KEY: the configured edx_manifest_key (as the configuration holds it), else
    the key parsed from edx_arn, else None."""
    return _edx_components(values)["edx_manifest_key"]


DERIVATIONS: dict[str, Callable[[Values], Any]] = {
    "graphstorm_batch_size_override": graphstorm_batch_size_override,
    "edx_arn_base": edx_arn_base,
    "edx_manifest_key": edx_manifest_key,
}
