"""Which names the generated module imports, and from where: only what its steps use."""

from __future__ import annotations

from cursus_codegen import model as m

ALWAYS = {
    "sagemaker.network": {"NetworkConfig"},
    "sagemaker.workflow.functions": {"Join"},
    "sagemaker.workflow.parameters": {"ParameterString"},
    "sagemaker.workflow.pipeline": {"Pipeline"},
    "sagemaker.workflow.pipeline_context": {"PipelineSession"},
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
    "transform": {
        "sagemaker.inputs": {"TransformInput"},
        "sagemaker.transformer": {"Transformer"},
        "sagemaker.workflow.steps": {"CacheConfig", "TransformStep"},
    },
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
}


def _names_in(expr: m.Expr, found: set[str]) -> None:
    if isinstance(expr, m.Name) and expr.identifier in CLASS_MODULES:
        found.add(expr.identifier)
    elif isinstance(expr, m.Call):
        if expr.func.startswith("image_uris."):
            found.add("image_uris")
        for _, value in expr.kwargs:
            _names_in(value, found)


def imports_for(steps: tuple[m.StepPlan, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    table: dict[str, set[str]] = {k: set(v) for k, v in ALWAYS.items()}
    for step in steps:
        for module, names in BY_KIND[step.kind].items():
            table.setdefault(module, set()).update(names)
        used = {step.compute_class}
        for _, value in step.compute_kwargs:
            _names_in(value, used)
        for name in used:
            if name == "image_uris":
                table.setdefault("sagemaker", set()).add("image_uris")
            elif name in CLASS_MODULES:
                table.setdefault(CLASS_MODULES[name], set()).add(name)
    return tuple((module, tuple(sorted(table[module]))) for module in sorted(table))
