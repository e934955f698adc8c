"""Reading a built pipeline definition (`json.loads(pipeline.definition())`) in tests."""

import json

PREFIX = {"Get": "Parameters.EXECUTION_S3_PREFIX"}


def steps_by_name(definition: dict) -> dict:
    return {step["Name"]: step for step in definition["Steps"]}


def output_locations(definition: dict) -> list[tuple[str, str, object]]:
    """(step, output, location) for every ProcessingOutput, training and transform output path."""
    found = []
    for step in definition["Steps"]:
        args = step.get("Arguments", {})
        for output in args.get("ProcessingOutputConfig", {}).get("Outputs", []):
            found.append(
                (step["Name"], output["OutputName"], output["S3Output"]["S3Uri"])
            )
        if "OutputDataConfig" in args:
            found.append(
                (step["Name"], "S3OutputPath", args["OutputDataConfig"]["S3OutputPath"])
            )
        if "TransformOutput" in args:
            found.append(
                (
                    step["Name"],
                    "TransformOutput",
                    args["TransformOutput"]["S3OutputPath"],
                )
            )
    return found


def is_prefix_join(location: object) -> bool:
    join = location.get("Std:Join") if isinstance(location, dict) else None
    return bool(join) and join["On"] == "/" and join["Values"][0] == PREFIX


def processing_inputs(step: dict) -> dict:
    """input name -> S3Uri (a plain string or a {"Get": ...} / {"Std:Join": ...} value)."""
    return {
        item["InputName"]: item["S3Input"]["S3Uri"]
        for item in step["Arguments"].get("ProcessingInputs", [])
    }


def training_channels(step: dict) -> dict:
    return {
        channel["ChannelName"]: channel["DataSource"]["S3DataSource"]["S3Uri"]
        for channel in step["Arguments"].get("InputDataConfig", [])
    }


def processing_output_ref(step_name: str, output: str) -> dict:
    return {
        "Get": f"Steps.{step_name}.ProcessingOutputConfig.Outputs['{output}'].S3Output.S3Uri"
    }


def canonical(definition: dict) -> str:
    return json.dumps(definition, indent=1, sort_keys=True)


def step_references(value: object) -> list[str]:
    """Every `{"Get": "..."}` reference inside a definition fragment, in document order."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if set(item) == {"Get"}:
                found.append(item["Get"])
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found
