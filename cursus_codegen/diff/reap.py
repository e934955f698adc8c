"""Ending every descendant of a process, on Linux, found through /proc.

`subreaper()` makes the calling process a child subreaper (`prctl(PR_SET_CHILD_SUBREAPER)`): a
descendant orphaned while it lives (a double fork, `setsid -f`, a parent that exited) is
re-parented to it instead of to init, so it stays in its tree whatever session or process group
it moved to. `end_descendants(pid)` stops (SIGSTOP) every live process whose parent chain leads
to `pid`, scanning /proc again until a scan finds none it has not stopped (a stopped process
cannot fork), at most ROUNDS scans, then kills (SIGKILL) every live one a last scan finds.

Without /proc or prctl (not Linux) both do nothing. Not ended: a process started outside the
tree (asked of a daemon: systemd, cron, a container runtime, ssh), one orphaned while no
subreaper was in its chain, one the caller may not signal (another user's), and one forked
after the last of ROUNDS scans.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

ROUNDS = 100  # scans of /proc while stopping
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>


def subreaper() -> bool:
    """Make this process a child subreaper: whether it is one now."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        done: int = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        return done == 0
    except (OSError, AttributeError):
        return False


def descendants(root: int) -> list[int]:
    """The processes (not zombies) whose parent chain leads to `root`, as /proc shows them now."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
            # pid (comm) state ppid ...: comm may hold spaces and parentheses
            state, ppid = stat[stat.rindex(b")") + 2 :].split()[:2]
        except (OSError, ValueError):
            continue  # ended meanwhile, or unreadable
        if state != b"Z":  # a zombie has ended, and has no children left
            children.setdefault(int(ppid), []).append(int(entry))
    found: list[int] = []
    seen, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:  # a pid reused while /proc was read: no cycle
                seen.add(child)
                found.append(child)
                stack.append(child)
    return found


def end_descendants(root: int) -> None:
    """Stop, then kill, every live descendant of `root` (see the module's docstring)."""
    stopped: set[int] = set()
    for _ in range(ROUNDS):
        new = [pid for pid in descendants(root) if pid not in stopped]
        if not new:
            break
        for pid in new:
            _signal(pid, signal.SIGSTOP)
        stopped.update(new)
    for pid in descendants(root):
        _signal(pid, signal.SIGKILL)


def _signal(pid: int, number: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, number)
