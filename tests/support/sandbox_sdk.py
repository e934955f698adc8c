"""Put the secure-sandbox SDK test doubles on the import path for the duration of a block.

The doubles live in tests/support/secure_ai_sandbox_workflow_python_sdk/; outside this block
the package cannot be imported, which is how a generated module meets a machine without it.
"""

import contextlib
import importlib.util
import sys
from pathlib import Path

SUPPORT = Path(__file__).resolve().parent
PACKAGE = "secure_ai_sandbox_workflow_python_sdk"


def _forget() -> None:
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def sdk_importable() -> bool:
    return importlib.util.find_spec(PACKAGE) is not None


@contextlib.contextmanager
def sandbox_sdk_installed():
    """Yields the doubles' shared module; its `calls` list starts empty."""
    sys.path.insert(0, str(SUPPORT))
    _forget()
    try:
        doubles = importlib.import_module(PACKAGE + "._doubles")
        doubles.calls.clear()
        yield doubles
    finally:
        sys.path.remove(str(SUPPORT))
        _forget()
