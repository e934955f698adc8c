"""A generated module's pipeline, built in a subprocess of its own (`diff/child.py`), offline
under moto, within a time bound.

Building a module runs its code. So it runs in a separate Python (`sys.executable -P`: neither
the working directory nor the module's folder is put on sys.path; the environment is kept, the
child sets its own offline one), started in the folder the deploy job runs from, in a new
session. Its stdout and stderr are read on threads and only their last CAP bytes kept
(`diff/tail.py`).

Ending it ends what the module started too, in whatever session or process group. On Linux the
child is a child subreaper that builds in a fork of itself (`diff/child.py`), so every process
the module starts stays in the child's tree while the child lives; the child kills what is left
of that tree when the build ends. When the parent stops a child that has not ended (the time
bound, an interrupt), it first stops and kills every descendant of the child found through
/proc (`diff/reap.py`), then the child's process group. Without prctl (not Linux) the child
builds in itself and an orphan leaves its tree; without /proc only the child's process group is
killed. Limits (reap.py): what the module asks a daemon to start, what it orphans after killing
the child, what the user may not signal, is not ended.

The parent passes a random nonce on the child's stdin (read before the module is imported) and
the path of a result file in a private temporary folder. A side is accepted only when the child
exited with code 0 and left that file, as JSON of the expected shape carrying the nonce
(`diff/result.py`); a child that ends any other way (the module exiting, even with code 0, a
crash, garbage, no result) or outlives the time bound (it is killed) is bad input naming the
side, exit 2.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cursus_codegen
from cursus_codegen.diff.reap import end_descendants
from cursus_codegen.diff.result import read_result, side_of
from cursus_codegen.diff.sides import Side, SideError
from cursus_codegen.diff.tail import Tail

_ROOT = str(Path(cursus_codegen.__file__).resolve().parent.parent)
# under -P, a cursus_codegen run from its source folder (not installed) is not importable in the
# child: then that folder is appended to sys.path (never the module's)
_BOOT = (
    "import importlib.util, sys\n"
    f"if importlib.util.find_spec('cursus_codegen') is None: sys.path.append({_ROOT!r})\n"
    "from cursus_codegen.diff.child import main\n"
    "main()\n"
)


class Build:
    """One module side, building in its subprocess from the moment it is created."""

    def __init__(
        self,
        path: Path,
        run_dir: Path,
        label: str,
        region: str,
        role: str | None,
        alias: str | None,
        timeout: float,
    ):
        if not run_dir.is_dir():
            raise SideError(
                f"{label}: the folder to build it from does not exist: {run_dir}"
            )
        self.label, self.timeout = label, timeout
        self._private = tempfile.TemporaryDirectory(
            prefix="cursus-codegen-diff-result-"
        )
        self._result = Path(self._private.name) / f"{secrets.token_hex(8)}.json"
        self._nonce = secrets.token_hex(32)
        request = {
            "nonce": self._nonce,
            "result": str(self._result),
            "module": str(path.resolve()),
            "label": label,
            "region": region,
            "role": role,
            "alias": alias,
        }
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-P", "-c", _BOOT],
                cwd=run_dir,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            self._private.cleanup()
            raise SideError(
                f"{label}: cannot start Python to build the module: {exc}"
            ) from exc
        self._deadline = time.monotonic() + timeout
        # pipes (PIPE above), buffered (Popen's default bufsize)
        stdin, stdout, stderr = (
            self._process.stdin,
            self._process.stdout,
            self._process.stderr,
        )
        assert stdin is not None
        assert isinstance(stdout, io.BufferedReader)
        assert isinstance(stderr, io.BufferedReader)
        self._out, self._err = Tail(stdout), Tail(stderr)
        try:
            stdin.write((json.dumps(request) + "\n").encode())
            stdin.close()
        except OSError:  # it has ended already: reported when it is waited for
            pass

    def side(self) -> Side:
        """The side as built, once the child has ended; SideError when it was not."""
        ended = self._ended()
        self.stop()  # the child, if it outlived the time bound, and whatever it left running
        if not ended:
            raise SideError(
                f"{self.label}: building the module did not finish within "
                f"{self.timeout:g} seconds (see --timeout): it was stopped"
            )
        code = self._process.returncode
        try:
            document = read_result(self._result, self._nonce) if code == 0 else None
        finally:
            self._private.cleanup()
        if document is None:
            how = (
                f"it was killed by signal {-code}"
                if code < 0
                else f"it exited with code {code}"
            )
            last = self._err.last_line() if code != 0 else ""
            said = f" (its last stderr line: {last})" if last else ""
            raise SideError(
                f"{self.label}: building the module did not finish: {how} before "
                f"producing a pipeline{said}"
            )
        return side_of(self.label, document)

    def _ended(self) -> bool:
        """Wait until the child ends or the time bound passes: whether it ended. Where it can,
        it waits without reaping the child, so that its process group is still its own.
        """
        if not hasattr(os, "waitid"):
            try:
                self._process.wait(max(0.0, self._deadline - time.monotonic()))
                return True
            except subprocess.TimeoutExpired:
                return False
        while True:
            try:
                if os.waitid(
                    os.P_PID, self._process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT
                ):
                    return True
            except ChildProcessError:  # reaped already
                return True
            if time.monotonic() >= self._deadline:
                return False
            time.sleep(0.05)

    def stop(self) -> None:
        """Unless the child was reaped already: kill every descendant of it (before the child:
        they would leave its tree with it), then its process group; wait for it and for its
        output."""
        if self._process.returncode is None:
            end_descendants(self._process.pid)
            with contextlib.suppress(OSError):
                if hasattr(os, "killpg"):
                    os.killpg(self._process.pid, signal.SIGKILL)
                else:
                    self._process.kill()
            self._process.wait()
        for tail in (self._out, self._err):
            tail.join(5)

    def close(self) -> None:
        self.stop()
        self._private.cleanup()
