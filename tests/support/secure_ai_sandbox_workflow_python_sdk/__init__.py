"""Test doubles for the company-internal `secure_ai_sandbox_workflow_python_sdk` (never shipped).

Only the step classes cursus builds are here, at the import paths cursus uses
(step_catalog/sdk_bindings.py). They record how they were constructed (`_doubles.calls`) and
behave like ProcessingSteps for `Pipeline.definition()` (reference/cursus-steps.md §6).
"""
