"""cursus-codegen: a cursus DAG + configuration in, one reviewable SageMaker pipeline module out.

The Python API (cursus_codegen/api.py) is importable from here: `cursus_codegen.generate(...)`,
`cursus_codegen.check(...)`. It is loaded on first use, so importing the package stays cheap.
"""

from __future__ import annotations

from typing import Any

from cursus_codegen.version import __version__

_API = ("generate", "check", "Result", "CheckResult")  # as __all__ lists them


def __getattr__(name: str) -> Any:
    """The API names, imported from cursus_codegen.api on first use (importlib, not an import
    statement: the package root stays below every phase in tests/test_architecture.py).
    """
    if name in _API:
        import importlib

        return getattr(importlib.import_module("cursus_codegen.api"), name)
    raise AttributeError(f"module 'cursus_codegen' has no attribute {name!r}")


__all__ = [
    "CheckResult",
    "Result",
    "__version__",
    "check",
    "generate",
]
