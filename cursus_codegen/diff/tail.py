"""The end of a child's output: its stdout or stderr read to the end on a thread of its own,
only the last CAP bytes kept (a module that prints without end cannot fill memory or block
the child on a full pipe).
"""

from __future__ import annotations

import contextlib
import io
import threading

# bytes of the child's stdout and of its stderr that are kept (the last ones)
CAP = 64 * 1024


class Tail:
    """The last CAP bytes of a stream, read to its end on a thread of its own."""

    def __init__(self, stream: io.BufferedReader) -> None:
        self._data = bytearray()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: io.BufferedReader) -> None:
        try:
            while chunk := stream.read1(CAP):
                self._data += chunk
                del self._data[:-CAP]
        except (OSError, ValueError):
            pass
        finally:
            with contextlib.suppress(OSError):
                stream.close()

    def join(self, seconds: float) -> None:
        self._thread.join(seconds)

    def last_line(self) -> str:
        """Its last non-blank line, printable characters only, at most 200 of them."""
        lines = bytes(self._data).decode("utf-8", "replace").splitlines()
        last = next((line for line in reversed(lines) if line.strip()), "")
        text = " ".join("".join(c if c.isprintable() else " " for c in last).split())
        return text if len(text) <= 200 else text[:197] + "..."
