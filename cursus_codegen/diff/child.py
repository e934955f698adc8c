"""What runs in the subprocess that builds one module side (started by `diff/build.py`).

It reads its request (one JSON line: the module, the side's label, region, role, alias, the
result file and a nonce) from stdin before anything imports the module. On Linux it then makes
itself a child subreaper and forks (`_supervise`): the fork builds, and this process, once the
fork has ended, kills every descendant still running (`diff/reap.py`: what the module started,
whatever session it moved to) and exits as the fork did. The build runs offline under moto
(`diff/offline.py`: dummy credentials, no endpoint override, no telemetry, moto's default
account), writes the result (definition, execution-document STEP_CONFIGs, code sources, the
nonce) to the result file and ends with `os._exit(0)`. A failure it can name (the module does
not import, has no pipeline class, fails to build) is written as `{"error": ..., "nonce":
...}`. Anything else, including the module ending the process, leaves no result, which the
parent reports.

The working directory is the folder the deploy job runs from (the parent starts this process
there), so `_local(...)` gives the same path strings on both sides of a diff and the
content-addressed code keys differ exactly when the uploaded content differs. The module's
folder is not put on sys.path (Python is started with -P). Which local file or folder each
code key came from is recorded from the SDK's uploads.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys

from cursus_codegen.diff.offline import build
from cursus_codegen.diff.reap import end_descendants, subreaper
from cursus_codegen.diff.sides import SideError


def main() -> None:
    request = json.loads(sys.stdin.readline())  # before the module can run
    empty = os.open(os.devnull, os.O_RDONLY)  # the module reads nothing more from stdin
    os.dup2(empty, 0)
    os.close(empty)
    if subreaper():
        _supervise()  # returns in the forked process that builds; this one ends in it
    nonce, result, label = request.pop("nonce"), request.pop("result"), request["label"]
    document: dict[str, object]
    try:
        document = build(**request)
    except SideError as exc:
        document = {"error": str(exc)}
    try:
        text = json.dumps({**document, "nonce": nonce}, default=str)
    except (TypeError, ValueError, RecursionError) as exc:
        text = json.dumps(
            {
                "error": f"{label}: the pipeline cannot be written as JSON: {exc}",
                "nonce": nonce,
            }
        )
    with open(result, "x", encoding="utf-8") as handle:
        handle.write(text)
    # not waiting for threads or exit handlers the module may have left; what it printed is
    # shown only when the build fails, so nothing is flushed
    os._exit(0)


def _supervise() -> None:
    """Fork. The new process returns, to build the module. This one (a subreaper: whatever the
    module starts stays in its tree) waits for it, ends every descendant still running (what
    the module left behind, in any session), and exits as it did: with its code, or killed by
    its signal."""
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        return  # built in this process, without the cleanup
    if pid == 0:
        return
    _, status = os.waitpid(pid, 0)
    end_descendants(os.getpid())
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        import resource

        # its core, if any, is dumped already
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        with contextlib.suppress(ValueError, OSError):
            signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
    os._exit(code if code >= 0 else 128 - code)
