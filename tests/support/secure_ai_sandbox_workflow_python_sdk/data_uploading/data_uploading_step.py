"""Double of the SDK's DataUploadingStep: the upload source becomes its input_data input."""

from secure_ai_sandbox_workflow_python_sdk._doubles import (
    SandboxStepDouble,
    uploading_input,
)


class DataUploadingStep(SandboxStepDouble):
    def __init__(self, step_name, role, sagemaker_session, input_s3_location):
        super().__init__(
            step_name, role, sagemaker_session, input_s3_location=input_s3_location
        )

    def extra_inputs(self, input_s3_location):
        return [uploading_input(input_s3_location)]
