"""Double of the SDK's RedshiftDataLoadingStep."""

from secure_ai_sandbox_workflow_python_sdk._doubles import SandboxStepDouble


class RedshiftDataLoadingStep(SandboxStepDouble):
    OUTPUTS = (("output", "/opt/ml/processing/output/data"),)
