"""Maintainer script: (re)write the golden wiring tables in tests/data/wiring/, on purpose.

Run from the repository root, with ../shared/corpus beside it:

    python tests/conformance/regenerate_wiring.py                  # every conformance case
    python tests/conformance/regenerate_wiring.py xgboost/simple   # cases whose id contains it

Each case is generated, imported and built offline under moto exactly as
tests/test_conformance.py builds it, and its table (conformance/wiring.py) written with sorted
keys. Prints what it wrote; with no filter it also deletes tables of cases that no longer
exist. Review `git diff tests/data/wiring` before committing: every changed line is a wire or
an output path that the generated pipelines now build differently. The test never writes.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS), str(TESTS / "support")]

# After the path above; conftest sets the offline AWS environment before sagemaker is imported.
import conftest

from conformance.plan import SDK_DOUBLES_PACKAGE, case_id, conformance_cases
from conformance.project import generate_case
from conformance.wiring import WIRING, dump, golden_path, module_name, wiring_table


@contextlib.contextmanager
def offline_session():
    """The PipelineSession tests/conftest.py's sm_session fixture gives: moto, no telemetry."""
    import boto3
    import sagemaker.telemetry.telemetry_logging as telemetry
    import sagemaker.utils
    from moto import mock_aws
    from sagemaker.workflow.pipeline_context import PipelineSession

    telemetry._send_telemetry_request = lambda *args, **kwargs: None
    sagemaker.utils._botocore_resolver = functools.lru_cache(maxsize=1)(
        sagemaker.utils._botocore_resolver
    )
    with mock_aws():
        boto_session = boto3.Session(region_name="us-east-1")
        boto_session.client("s3").create_bucket(Bucket=conftest.BUCKET)
        yield PipelineSession(boto_session=boto_session, default_bucket=conftest.BUCKET)


def table_of(
    dag_id: str, config_name: str | None, catalog, session, root: Path
) -> dict:
    case = generate_case(
        root, conftest.CORPUS, dag_id, config_name, catalog, True, conftest.run_cli
    )
    if not case.nodes:
        return wiring_table(None)
    module_path = root / "pipeline_gen.py"
    module = conftest.import_module_from(
        module_path, module_name(case_id(dag_id, config_name))
    )
    return wiring_table(conftest.build_definition(module, session))


def main(filters: list[str]) -> int:
    from cursus_codegen.catalog.loader import load_catalog

    if not conftest.CORPUS.is_dir():
        print(f"no corpus at {conftest.CORPUS}", file=sys.stderr)
        return 2
    if not (TESTS / "support" / SDK_DOUBLES_PACKAGE).is_dir():
        print(
            f"tests/support/{SDK_DOUBLES_PACKAGE} is missing: the tables need it",
            file=sys.stderr,
        )
        return 2
    catalog, _ = load_catalog()
    cases = [
        c
        for c in conformance_cases(conftest.CORPUS)
        if not filters or any(f in case_id(*c) for f in filters)
    ]
    if not cases:
        print(f"no conformance case matches {filters}", file=sys.stderr)
        return 2
    WIRING.mkdir(parents=True, exist_ok=True)
    with offline_session() as session, tempfile.TemporaryDirectory() as scratch:
        for number, (dag_id, config_name) in enumerate(cases):
            text = dump(
                table_of(
                    dag_id, config_name, catalog, session, Path(scratch) / str(number)
                )
            )
            path = golden_path(dag_id, config_name)
            state = (
                "unchanged" if path.is_file() and path.read_text() == text else "wrote"
            )
            if state == "wrote":
                path.write_text(text)
            print(f"{state:9} {path.relative_to(TESTS.parent)}")
    if not filters:
        kept = {golden_path(*c) for c in cases}
        for stale in sorted(set(WIRING.glob("*.json")) - kept):
            stale.unlink()
            print(f"deleted   {stale.relative_to(TESTS.parent)} (no such case)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
