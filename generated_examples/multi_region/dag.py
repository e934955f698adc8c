"""XGBoost end to end: local sample data -> preprocessing -> training -> evaluation ->
calibration -> packaging and payload. Written the way cursus projects write their DAGs;
cursus-codegen reads it statically, so the cursus import below need not be installed."""

from cursus.api.dag.base_dag import PipelineDAG


def create_xgboost_e2e_dag() -> PipelineDAG:
    dag = PipelineDAG()
    for node in [
        "DummyDataLoading_training",
        "DummyDataLoading_calibration",
        "TabularPreprocessing_training",
        "TabularPreprocessing_calibration",
        "XGBoostTraining",
        "XGBoostModelEval_calibration",
        "ModelCalibration_calibration",
        "Package",
        "Payload",
    ]:
        dag.add_node(node)

    dag.add_edge("DummyDataLoading_training", "TabularPreprocessing_training")
    dag.add_edge("DummyDataLoading_calibration", "TabularPreprocessing_calibration")
    dag.add_edge("TabularPreprocessing_training", "XGBoostTraining")
    dag.add_edge("XGBoostTraining", "XGBoostModelEval_calibration")
    dag.add_edge("TabularPreprocessing_calibration", "XGBoostModelEval_calibration")
    dag.add_edge("XGBoostModelEval_calibration", "ModelCalibration_calibration")
    dag.add_edge("ModelCalibration_calibration", "Package")
    dag.add_edge("XGBoostTraining", "Package")
    dag.add_edge("XGBoostTraining", "Payload")
    return dag
