"""Phase 9, diff: two pipelines in (a generated module, a module as committed at a git
revision, or the definition SageMaker holds); what changes between them out, per parameter,
step and property, as a plan (`cursus-codegen diff OLD NEW`). Needs sagemaker and moto
(`pip install "cursus-codegen[diff]"`): a module is built offline under moto, in a subprocess
of its own with a time bound (building a module runs its code).
"""
