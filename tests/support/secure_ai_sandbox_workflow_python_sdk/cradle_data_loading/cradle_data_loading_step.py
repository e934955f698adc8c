"""Double of the SDK's CradleDataLoadingStep (outputs as cursus's interface declares them)."""

from secure_ai_sandbox_workflow_python_sdk._doubles import SandboxStepDouble


class CradleDataLoadingStep(SandboxStepDouble):
    OUTPUTS = (
        ("DATA", "/opt/ml/processing/output/place_holder"),
        ("METADATA", "/opt/ml/processing/output/metadata"),
        ("SIGNATURE", "/opt/ml/processing/output/signature"),
    )
