"""Double of the SDK's MimsModelRegistrationProcessingStep (no outputs: a side effect)."""

from secure_ai_sandbox_workflow_python_sdk._doubles import SandboxStepDouble


class MimsModelRegistrationProcessingStep(SandboxStepDouble):
    def __init__(
        self,
        step_name,
        role,
        sagemaker_session,
        processing_input,
        performance_metadata_location=None,
        depends_on=None,
    ):
        super().__init__(
            step_name,
            role,
            sagemaker_session,
            processing_input=processing_input,
            depends_on=depends_on,
            performance_metadata_location=performance_metadata_location,
        )

    def extra_inputs(self, performance_metadata_location=None):
        return []
