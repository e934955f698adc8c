"""What a module's steps use, so the module declares that and nothing else.

A helper, an import or a module-level object nobody uses misleads a reviewer (a
`NetworkConfig` reads as "these jobs run in the VPC"); the module template asks this set
before it writes each of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from cursus_codegen.plan import model as m

# The class a step method returns, per step kind (secure-sandbox SDK classes are imported at
# run time, so their steps are typed Any).
STEP_CLASS = {
    "processing": "ProcessingStep",
    "training": "TrainingStep",
    "create_model": "CreateModelStep",
    "transform": "TransformStep",
    "tuning": "TuningStep",
    "sdk": "Any",
}
# Step kinds whose method builds an `environment` dict (typed with PipelineVariable).
WITH_ENVIRONMENT = {"processing", "training", "create_model", "tuning"}
PARAMETER_NAMES = ("KMS_ENCRYPTION_KEY_PARAM", "SECURITY_GROUP_ID", "VPC_SUBNET")


def is_processing_output(expr: m.Upstream) -> bool:
    """properties.ProcessingOutputConfig.Outputs['X'].S3Output.S3Uri, the most common wire."""
    return (
        len(expr.path) == 5
        and expr.keys == (False, False, True, False, False)
        and (expr.path[0], expr.path[1], expr.path[3], expr.path[4])
        == ("ProcessingOutputConfig", "Outputs", "S3Output", "S3Uri")
    )


def module_features(
    steps: tuple[m.StepPlan, ...], constants: tuple[tuple[str, m.Expr], ...]
) -> frozenset[str]:
    """Feature names: join, local, processing_output, environment, sdk, step_config, and the
    module-level names the steps refer to (PROCESSING_JOB_SHARED_NETWORK_CONFIG, ...).
    """
    found: set[str] = set()
    for step in steps:
        if step.kind == "sdk":
            found.add("sdk")
            if "step_config" in dict(step.extra):
                found.add("step_config")
        if step.kind in WITH_ENVIRONMENT:
            found.add("environment")
        for expr in _step_exprs(step):
            _collect(expr, found)
    for _, expr in constants:
        _collect(expr, found)
    if "PROCESSING_JOB_SHARED_NETWORK_CONFIG" in found:
        # the NetworkConfig refers to both
        found.update(("SECURITY_GROUP_ID", "VPC_SUBNET"))
    return frozenset(found)


def _step_exprs(step: m.StepPlan) -> Iterator[m.Expr]:
    for _, expr in step.compute_kwargs + step.environment + step.extra:
        yield expr
    for inp in step.inputs:
        yield inp.source
    for out in step.outputs:
        yield out.destination
    for optional in (step.code, step.source_dir):
        if optional is not None:
            yield optional


def _collect(expr: m.Expr, found: set[str]) -> None:
    if isinstance(expr, (m.OutputJoin, m.SuffixJoin)):
        found.add("join")
        if isinstance(expr, m.SuffixJoin):
            _collect(expr.source, found)
    elif isinstance(expr, m.LocalFile):
        found.add("local")
    elif isinstance(expr, m.Upstream) and is_processing_output(expr):
        found.add("processing_output")
    elif isinstance(expr, m.Name):
        found.add(expr.identifier)
    elif isinstance(expr, m.Call):
        for _, value in expr.kwargs:
            _collect(value, found)
    elif isinstance(expr, m.ListOf):
        for item in expr.items:
            _collect(item, found)
    elif isinstance(expr, (m.DictOf, m.Regional)):
        for _, item in (expr.items if isinstance(expr, m.DictOf) else expr.values):
            _collect(item, found)
