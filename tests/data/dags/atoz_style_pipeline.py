"""Test fixture shaped like a cursus project pipeline module (projects/<team>/<x>_pipeline.py).

None of the imports below exist where the tests run; the DAG reader must read the DAG without
importing or running anything.
"""

import logging
from pathlib import Path
from typing import Any

from cursus.api.dag.base_dag import PipelineDAG
from cursus.core.compiler.dag_compiler import PipelineDAGCompiler
from mods.mods_template import MODSTemplate
from mods_workflow_core.utils.constants import (
    KMS_ENCRYPTION_KEY_PARAM,
    PIPELINE_EXECUTION_TEMP_DIR,
    SECURITY_GROUP_ID,
    VPC_SUBNET,
)
from sagemaker import Session
from sagemaker.workflow.parameters import ParameterString
from sagemaker.workflow.pipeline import Pipeline

PIPELINE_PARAMETERS = [
    PIPELINE_EXECUTION_TEMP_DIR,
    KMS_ENCRYPTION_KEY_PARAM,
    SECURITY_GROUP_ID,
    VPC_SUBNET,
]

log = logging.getLogger(__name__)


def create_xgboost_complete_e2e_dag() -> PipelineDAG:
    """Training and calibration branches, then evaluation, calibration, packaging, registration."""
    dag = PipelineDAG()

    # Steps
    dag.add_node("CradleDataLoading_training")  # training data
    dag.add_node("TabularPreprocessing_training")
    dag.add_node("XGBoostTraining")
    dag.add_node("ModelCalibration_calibration")  # calibrates the evaluated scores
    dag.add_node("Package")
    dag.add_node("Registration")
    dag.add_node("Payload")
    dag.add_node("CradleDataLoading_calibration")  # calibration data
    dag.add_node("TabularPreprocessing_calibration")
    dag.add_node("XGBoostModelEval_calibration")

    # Training branch
    dag.add_edge("CradleDataLoading_training", "TabularPreprocessing_training")
    dag.add_edge("TabularPreprocessing_training", "XGBoostTraining")

    # Calibration branch
    dag.add_edge("CradleDataLoading_calibration", "TabularPreprocessing_calibration")

    # Evaluation needs the model and the calibration data
    dag.add_edge("XGBoostTraining", "XGBoostModelEval_calibration")
    dag.add_edge("TabularPreprocessing_calibration", "XGBoostModelEval_calibration")
    dag.add_edge("XGBoostModelEval_calibration", "ModelCalibration_calibration")

    # Packaging, payload test, registration
    dag.add_edge("ModelCalibration_calibration", "Package")
    dag.add_edge("XGBoostTraining", "Package")
    dag.add_edge("XGBoostTraining", "Payload")
    dag.add_edge("Package", "Registration")
    dag.add_edge("Payload", "Registration")

    log.info("DAG ready: %d nodes, %d edges", len(dag.nodes), len(dag.edges))
    return dag


AUTHOR = "someone"
PIPELINE_VERSION = "0.0.1"
PIPELINE_DESCRIPTION = "XGBoost end-to-end (fixture)"


@MODSTemplate(author=AUTHOR, description=PIPELINE_DESCRIPTION, version=PIPELINE_VERSION)
class XGBoostEndToEndPipeline:
    """Builds the pipeline with the cursus compiler at run time (what cursus-codegen replaces)."""

    def __init__(
        self,
        sagemaker_session: Session | None = None,
        execution_role: str | None = None,
        pipeline_parameters: list[str | ParameterString] | None = None,
    ) -> None:
        self.session = sagemaker_session or Session()
        self.role = execution_role or self.session.get_caller_identity_arn()
        self.config_path = str(
            Path(__file__).resolve().parent / "pipeline_config" / "config.json"
        )
        self.dag = create_xgboost_complete_e2e_dag()
        log.info("%d nodes", len(self.dag.nodes))
        self.compiler = PipelineDAGCompiler(
            config_path=self.config_path,
            sagemaker_session=self.session,
            role=self.role,
            pipeline_parameters=pipeline_parameters or PIPELINE_PARAMETERS,
        )

    def generate_pipeline(self) -> Pipeline:
        pipeline, _report = self.compiler.compile_with_report(dag=self.dag)
        return pipeline

    def validate_dag_compatibility(self) -> dict[str, Any]:
        result = self.compiler.validate_dag_compatibility(self.dag)
        return {"is_valid": result.is_valid, "missing_configs": result.missing_configs}
