"""What may differ between two builds of one pipeline without being a change of it.

The SDK's default bucket is `sagemaker-<region>-<account>`: a module built offline here and
the pipeline deployed from the same module name different accounts, so the account in that
bucket name is replaced by `<account>` on both sides (in every string, JSON-in-strings too).
Code keys (`.../code/<sha256>/<file>`) are content-addressed and stay: a changed key is a
changed upload.
"""

from __future__ import annotations

import re

_DEFAULT_BUCKET = re.compile(r"s3://sagemaker-([a-z0-9-]+?)-(\d{12})/")
CODE_KEY = re.compile(r"s3://[^/\s\"']+/(?:[^\s\"']*/)?code/[0-9a-f]{16,}/[^\s\"']*")


def normalise(value):
    if isinstance(value, str):
        return _DEFAULT_BUCKET.sub(r"s3://sagemaker-\1-<account>/", value)
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    return value


def code_keys(text: str) -> list[str]:
    """The code-upload URIs inside a value's text."""
    return CODE_KEY.findall(text)
