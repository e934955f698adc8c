"""cursus-codegen: a cursus DAG + configuration in, one reviewable SageMaker pipeline module out."""

__version__ = "0.1.0"
GENERATOR_NAME = "cursus-codegen"
