"""One pipeline run at a time per repository (実行ロック).

:class:`RunLock` holds a :class:`filelock.FileLock` on ``outputs/.run.lock`` (an OS lock:
the kernel drops it when the holding process dies, even on ``kill -9``) and writes who holds
it (pid, host, start time, command) into ``outputs/.run.lock.json``, so that a second run
can say who is running. A clean release empties that file; details left in it when we get
the lock mean the previous holder was killed, and the run says so before taking over.

OS file locks are reliable on local file systems; on NFS they may not be, so keep
``outputs/`` on a local disk for scheduled runs (docs/operations.md).
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from homecare.core import paths
from homecare.core.errors import HomecareError

LOCK_NAME = ".run.lock"
EXIT_LOCKED = 75  # EX_TEMPFAIL (sysexits.h): "try again later", distinct from failures (1, 2)


class RunLocked(HomecareError):
    """Another run holds the repository's run lock."""

    exit_code = EXIT_LOCKED


def lock_path() -> Path:
    """``outputs/.run.lock`` (follows ``$HOMECARE_OUTPUTS_DIR``)."""
    return paths.outputs_dir() / LOCK_NAME


def holder_path(lock: Path) -> Path:
    """The file beside the lock that names its holder."""
    return lock.with_name(lock.name + ".json")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def describe(holder: dict[str, Any]) -> str:
    """'pid 123 on host h, started 2026-01-01T00:00:00+00:00 (5 min ago): command' for messages."""
    if not holder:
        return "an unknown process"
    text = f"pid {holder.get('pid')} on host {holder.get('host')}, started {holder.get('started_utc')}"
    try:
        age = datetime.now(UTC) - datetime.fromisoformat(str(holder.get("started_utc")))
        text += f" ({int(age.total_seconds() // 60)} min ago)"
    except ValueError:
        text += " (start time unreadable)"
    if holder.get("command"):
        text += f": {holder['command']}"
    return text


def read_holder(lock: Path) -> dict[str, Any]:
    """The holder details written beside ``lock`` ({} when released cleanly or never held)."""
    try:
        text = holder_path(lock).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return {}
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {"pid": None, "host": None, "started_utc": None, "command": f"unreadable lock file: {text[:80]!r}"}
    return data if isinstance(data, dict) else {}


class RunLock:
    """Exclusive run lock; use as a context manager.

    ``wait``: False (fail at once with :class:`RunLocked`), True (wait for ever) or a number
    of seconds to wait before failing. ``log`` receives the stale-lock and waiting messages.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        wait: bool | float = False,
        command: str = "homecare run",
        log: Callable[[str], None] = print,
        poll_seconds: float = 1.0,
    ) -> None:
        self.path = path or lock_path()
        self.wait = wait
        self.command = command
        self.log = log
        self.poll_seconds = poll_seconds
        self._lock: FileLock | None = None
        self.stale: dict[str, Any] | None = None  # details of a killed holder we replaced

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.path, is_singleton=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if self.wait is False:
                raise RunLocked(self._busy(read_holder(self.path), "")) from None
            self.log(f"waiting for the run lock held by {describe(read_holder(self.path))} ...")
            try:
                lock.acquire(timeout=-1 if self.wait is True else float(self.wait), poll_interval=self.poll_seconds)
            except Timeout:
                raise RunLocked(
                    self._busy(read_holder(self.path), f" after waiting {float(self.wait):.0f} s")
                ) from None
        self._lock = lock
        previous = read_holder(self.path)
        if previous:
            # we hold the OS lock, so whoever wrote these details is gone without releasing it
            self.stale = previous
            pid = previous.get("pid")
            state = "no longer running" if isinstance(pid, int) and not _pid_alive(pid) else "not holding the lock"
            self.log(f"released a stale run lock left by {describe(previous)} ({state}; killed or crashed run)")
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": self.command,
        }
        holder_path(self.path).write_text(json.dumps(holder) + "\n", encoding="utf-8")
        return self

    def _busy(self, holder: dict[str, Any], waited: str) -> str:
        return (
            f"another run is in progress ({describe(holder)}); not starting{waited}.\n"
            f"  lock: {paths.relative(self.path)}. Use --wait to wait for it; outputs/latest is unchanged."
        )

    def release(self) -> None:
        if self._lock is None:
            return
        holder_path(self.path).write_text("", encoding="utf-8")  # empty = released cleanly
        self._lock.release()
        self._lock = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
