"""Derivations for the TSA step types that the rule language cannot express.

Each function takes the configuration's effective values (values.config_values) and returns the
text cursus puts in the container environment. Merged into derive.DERIVATIONS (catalog/derive.py
imports this module).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Values = Mapping[str, Any]

# TSAModelEvalConfig.validate_and_initialize (steps/configs/config_tsa_model_eval_step.py:185):
# when eval_batch_size is not given, it is picked from the effective processing instance type;
# the first pattern found in the instance name wins, else 64 (CPU or unknown instance).
_EVAL_BATCH_BY_INSTANCE = (
    (("p3.16xlarge", "p4d.24xlarge"), 512),
    (("p3.8xlarge",), 512),
    (("p3.2xlarge", "g5.16xlarge", "g5.12xlarge"), 256),
    (("g5.", "g4dn."), 128),
)


def tsa_eval_batch_size(values: Values) -> str:
    """EVAL_BATCH_SIZE: str(eval_batch_size) when truthy, else "".

    An explicit value (even 0) is the user's; an absent one (None here) is the instance default.
    cursus tells "absent" from "explicitly null" with model_fields_set; a configuration JSON
    that writes `"eval_batch_size": null` gets "" from cursus but the instance default here.
    """
    size = values.get("eval_batch_size")
    if size is None:
        size = _instance_batch_size(_effective_instance(values))
    return str(size) if size else ""


def _effective_instance(values: Values) -> str:
    large = values.get("use_large_processing_instance")
    key = (
        "processing_instance_type_large" if large else "processing_instance_type_small"
    )
    return str(values.get(key) or "")


def _instance_batch_size(instance: str) -> int:
    for patterns, size in _EVAL_BATCH_BY_INSTANCE:
        if any(p in instance for p in patterns):
            return size
    return 64


def tsa_base_knots(values: Values) -> str:
    """BASE_KNOTS (config_tsa_model_calibration_step.py get_environment_variables):
    str(base_knots) unless it is None, then "" (so 0 gives "0", not "")."""
    knots = values.get("base_knots")
    return "" if knots is None else str(knots)


DERIVATIONS: dict[str, Callable[[Values], Any]] = {
    "tsa_eval_batch_size": tsa_eval_batch_size,
    "tsa_base_knots": tsa_base_knots,
}
