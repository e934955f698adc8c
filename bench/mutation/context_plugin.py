"""A pytest plugin for the coverage run of bench/mutation/run.py: each test's lines are
recorded under the test's node id (coverage's dynamic context), and each test's duration is
written to $MUTATION_DURATIONS when the session ends."""

from __future__ import annotations

import json
import os

import coverage

_durations: dict[str, float] = {}


def _switch(context: str) -> None:
    current = coverage.Coverage.current()
    if current is not None:
        current.switch_context(context)


def pytest_runtest_setup(item) -> None:  # type: ignore[no-untyped-def]
    _switch(item.nodeid)


def pytest_runtest_teardown(item) -> None:  # type: ignore[no-untyped-def]
    _switch("")


def pytest_runtest_logreport(report) -> None:  # type: ignore[no-untyped-def]
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session, exitstatus) -> None:  # type: ignore[no-untyped-def]
    target = os.environ.get("MUTATION_DURATIONS")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(_durations, handle)
