"""Which names the generated module imports, and from where: only what its steps use."""

from __future__ import annotations

from cursus_codegen.plan import model as m

ALWAYS = {
    "sagemaker.workflow.parameters": {"Parameter", "ParameterString"},
    "sagemaker.workflow.pipeline": {"Pipeline"},
    "sagemaker.workflow.pipeline_context": {"PipelineSession"},
}
# Imported only when a feature of the module (features.py) uses them.
BY_FEATURE = {
    "join": ("sagemaker.workflow.functions", "Join"),
    "PROCESSING_JOB_SHARED_NETWORK_CONFIG": ("sagemaker.network", "NetworkConfig"),
    "environment": ("sagemaker.workflow.entities", "PipelineVariable"),
}

BY_KIND = {
    "processing": {
        "sagemaker.processing": {"ProcessingInput", "ProcessingOutput"},
        "sagemaker.workflow.steps": {"CacheConfig", "ProcessingStep"},
    },
    "training": {
        "sagemaker.inputs": {"TrainingInput"},
        "sagemaker.workflow.steps": {"CacheConfig", "TrainingStep"},
    },
    "create_model": {"sagemaker.workflow.steps": {"CreateModelStep"}},
    "tuning": {
        "sagemaker.inputs": {"TrainingInput"},
        "sagemaker.tuner": {"HyperparameterTuner"},
        "sagemaker.workflow.steps": {"CacheConfig", "TuningStep"},
    },
    "transform": {
        "sagemaker.inputs": {"TransformInput"},
        "sagemaker.transformer": {"Transformer"},
        "sagemaker.workflow.steps": {"CacheConfig", "TransformStep"},
    },
    # secure-sandbox SDK steps: their class is imported when the step is built (module.py.j2
    # _sandbox_step_class), never at module level; Registration's inputs are ProcessingInputs
    "sdk": {},
}

CLASS_MODULES = {
    "SKLearnProcessor": "sagemaker.sklearn.processing",
    "XGBoostProcessor": "sagemaker.xgboost.processing",
    "FrameworkProcessor": "sagemaker.processing",
    "PyTorch": "sagemaker.pytorch.estimator",
    "SKLearn": "sagemaker.sklearn.estimator",
    "XGBoost": "sagemaker.xgboost.estimator",
    "XGBoostModel": "sagemaker.xgboost.model",
    "PyTorchModel": "sagemaker.pytorch.model",
    "Transformer": "sagemaker.transformer",
    "ScriptProcessor": "sagemaker.processing",  # byo_container / script processing
    "Estimator": "sagemaker.estimator",  # byo_container training and tuning
    "ContinuousParameter": "sagemaker.tuner",
    "IntegerParameter": "sagemaker.tuner",
    "CategoricalParameter": "sagemaker.tuner",
    "NetworkConfig": "sagemaker.network",  # a configured network_config (plan/byo.py)
}


def _names_in(expr: m.Expr, found: set[str]) -> None:
    if isinstance(expr, m.Name) and expr.identifier in CLASS_MODULES:
        found.add(expr.identifier)
    elif isinstance(expr, m.Call):
        if expr.func.startswith("image_uris."):
            found.add("image_uris")
        if expr.func in CLASS_MODULES:  # e.g. the tuner's ContinuousParameter(...)
            found.add(expr.func)
        for _, value in expr.kwargs:
            _names_in(value, found)
    # e.g. an execution-document STEP_CONFIG
    elif isinstance(expr, (m.DictOf, m.ListOf)):
        for item in expr.items:
            _names_in(item[1] if isinstance(item, tuple) else item, found)
    elif isinstance(expr, m.Regional):  # one value per region
        for _, value in expr.values:
            _names_in(value, found)


def imports_for(
    steps: tuple[m.StepPlan, ...], features: frozenset[str] = frozenset()
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    table: dict[str, set[str]] = {k: set(v) for k, v in ALWAYS.items()}
    for feature, (module, name) in BY_FEATURE.items():
        if feature in features:
            table.setdefault(module, set()).add(name)
    for step in steps:
        for module, names in BY_KIND[step.kind].items():
            table.setdefault(module, set()).update(names)
        used = {step.compute_class}
        for _, value in step.compute_kwargs + step.extra:
            _names_in(value, used)
        if dict(step.extra).get("input_mode") == m.Literal("mims_ordered"):
            table.setdefault("sagemaker.processing", set()).add("ProcessingInput")
        for name in used:
            if name == "image_uris":
                table.setdefault("sagemaker", set()).add("image_uris")
            elif name in CLASS_MODULES:
                table.setdefault(CLASS_MODULES[name], set()).add(name)
    return tuple((module, tuple(sorted(table[module]))) for module in sorted(table))
