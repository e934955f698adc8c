"""What may differ between two builds of one pipeline without being a change of it.

The SDK's default bucket is `sagemaker-<region>-<account>`, in the account the pipeline is
built or deployed from: a module built offline here (moto's account) and the pipeline deployed
from the same module name different accounts. So in each side, the account of that side's own
default bucket (`s3://sagemaker-<region>-<its account>`, ending there or at a `/`) is replaced
by `<account>`, in every string (JSON-in-strings too). A bucket of any other account is left as
it is: an input moved to another account's bucket is a change. With no account (a deployed
pipeline whose account is not known), nothing is masked.
Code keys (`.../code/<sha256>/<file>`) are content-addressed and stay: a changed key is a
changed upload.
"""

from __future__ import annotations

import re
from typing import TypeVar, cast

CODE_KEY = re.compile(r"s3://[^/\s\"']+/(?:[^\s\"']*/)?code/[0-9a-f]{16,}/[^\s\"']*")
ACCOUNT = re.compile(r"\d{12}")

_Value = TypeVar("_Value")


def normalise(value: _Value, account: str | None) -> _Value:
    """`value` with the account of `account`'s default buckets masked (None: nothing masked)."""
    if account is None:
        return value
    if not ACCOUNT.fullmatch(account):
        raise ValueError(f"not an AWS account id: {account!r}")
    bucket = re.compile(rf"s3://sagemaker-([a-z0-9-]+?)-{account}(?![a-z0-9.-])")
    # a JSON value keeps its type: _masked rebuilds a str, dict or list as one
    return cast(_Value, _masked(value, bucket))


def _masked(value: object, bucket: re.Pattern[str]) -> object:
    if isinstance(value, str):
        return bucket.sub(r"s3://sagemaker-\1-<account>", value)
    if isinstance(value, dict):
        return {key: _masked(item, bucket) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item, bucket) for item in value]
    return value


def code_keys(text: str) -> list[str]:
    """The code-upload URIs inside a value's text."""
    return CODE_KEY.findall(text)
