"""The shared behaviour of the SDK step doubles.

Each double is a real `ProcessingStep` around a dummy `ScriptProcessor`, with the outputs the
cursus interface declares (without destinations, so their S3 locations are SDK-chosen, as the
real SDK chooses them) and an `s3://` code location (nothing is uploaded). It starts with
caching on, so a test can see whether the generated code switched it off. Every constructor
call and every `add_depends_on` call is appended to `calls` as a dict.
"""

from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor
from sagemaker.workflow.steps import CacheConfig, ProcessingStep

calls = []

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sais-step-double:latest"
CODE = "s3://sais-step-double/code/entry.py"


class SandboxStepDouble(ProcessingStep):
    OUTPUTS: tuple = ()  # (output name, container path)

    def __init__(
        self,
        step_name,
        role,
        sagemaker_session,
        *,
        processing_input=None,
        depends_on=None,
        **kwargs,
    ):
        calls.append(
            {
                "class": type(self).__name__,
                "step_name": step_name,
                "role": role,
                "sagemaker_session": sagemaker_session,
                "processing_input": processing_input,
                "depends_on": depends_on,
                **kwargs,
            }
        )
        processor = ScriptProcessor(
            image_uri=IMAGE,
            command=["python3"],
            role=role,
            instance_type="ml.m5.xlarge",
            instance_count=1,
            sagemaker_session=sagemaker_session,
            base_job_name=step_name,
        )
        super().__init__(
            name=step_name,
            processor=processor,
            inputs=list(processing_input or []) + self.extra_inputs(**kwargs),
            outputs=[
                ProcessingOutput(output_name=name, source=path)
                for name, path in self.OUTPUTS
            ],
            code=CODE,
            depends_on=depends_on,
            cache_config=CacheConfig(enable_caching=True, expire_after="P30D"),
        )

    def extra_inputs(self, **kwargs):
        return []

    def add_depends_on(self, step_names):
        calls.append(
            {
                "class": type(self).__name__,
                "step_name": self.name,
                "add_depends_on": list(step_names),
            }
        )
        super().add_depends_on(step_names)


def uploading_input(input_s3_location):
    return ProcessingInput(
        input_name="input_data",
        source=input_s3_location,
        destination="/opt/ml/processing/input/data",
    )
