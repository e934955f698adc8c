"""PyTorch end to end: local sample data -> preprocessing -> training -> evaluation ->
calibration -> packaging and payload, read statically by cursus-codegen."""

from cursus.api.dag.base_dag import PipelineDAG


def create_pytorch_e2e_dag() -> PipelineDAG:
    dag = PipelineDAG(
        nodes=[
            "DummyDataLoading_training",
            "TabularPreprocessing_training",
            "PyTorchTraining",
            "DummyDataLoading_calibration",
            "TabularPreprocessing_calibration",
            "PyTorchModelEval_calibration",
            "ModelCalibration_calibration",
            "Package",
            "Payload",
        ],
        edges=[
            ("DummyDataLoading_training", "TabularPreprocessing_training"),
            ("TabularPreprocessing_training", "PyTorchTraining"),
            ("DummyDataLoading_calibration", "TabularPreprocessing_calibration"),
            ("PyTorchTraining", "PyTorchModelEval_calibration"),
            ("TabularPreprocessing_calibration", "PyTorchModelEval_calibration"),
            ("PyTorchModelEval_calibration", "ModelCalibration_calibration"),
            ("PyTorchTraining", "Package"),
            ("ModelCalibration_calibration", "Package"),
            ("PyTorchTraining", "Payload"),
        ],
    )
    return dag
