"""One pipeline run at a time per repository (実行ロック).

:class:`RunLock` takes an exclusive ``fcntl.flock`` on ``outputs/.run.lock`` and writes the
holder's pid, host and start time into it, so that a second run can say who is running.
The kernel drops a flock when its process dies (even on ``kill -9``), so a lock left by a
killed run is never "held": the next run acquires it, finds the dead holder's details still
in the file, reports the stale lock and overwrites them. The file itself is never deleted
(deleting a lock file while another process waits on it would let two runs in).

``flock`` is reliable on local file systems; on NFS it may not be, so keep ``outputs/`` on a
local disk for scheduled runs (docs/operations.md).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def describe(holder: dict[str, Any]) -> str:
    """'pid 123 on host h, started 2026-01-01T00:00:00+00:00 (5 min ago)' for messages."""
    if not holder:
        return "an unknown process"
    text = f"pid {holder.get('pid')} on host {holder.get('host')}, started {holder.get('started_utc')}"
    try:
        age = datetime.now(UTC) - datetime.fromisoformat(str(holder.get("started_utc")))
        text += f" ({int(age.total_seconds() // 60)} min ago)"
    except ValueError:
        pass  # unreadable start time: the rest of the description still identifies the holder
    if holder.get("command"):
        text += f": {holder['command']}"
    return text


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
        self._fh: Any = None
        self.stale: dict[str, Any] | None = None  # details of a killed holder we replaced

    def _read_holder(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return {}
        if not text:
            return {}
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return {"pid": None, "host": None, "started_utc": None, "command": f"unreadable lock file: {text[:80]!r}"}
        return data if isinstance(data, dict) else {}

    def _try(self) -> bool:
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES, errno.EAGAIN):
                return False
            raise
        return True

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # "a+" never truncates: the holder's details must survive until we own the lock
        self._fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (released in release())
        deadline = None if self.wait is True or self.wait is False else time.monotonic() + float(self.wait)
        announced = False
        while not self._try():
            holder = self._read_holder()
            if self.wait is False or (deadline is not None and time.monotonic() >= deadline):
                self._fh.close()
                self._fh = None
                waited = "" if self.wait is False else f" after waiting {float(self.wait):.0f} s"
                raise RunLocked(
                    f"another run is in progress ({describe(holder)}); not starting{waited}.\n"
                    f"  lock: {paths.relative(self.path)}. Use --wait to wait for it; outputs/latest is unchanged."
                )
            if not announced:
                self.log(f"waiting for the run lock held by {describe(holder)} ...")
                announced = True
            time.sleep(self.poll_seconds)
        previous = self._read_holder()
        if previous:
            # we hold the flock, so whoever wrote these details is gone without releasing it
            self.stale = previous
            pid = previous.get("pid")
            state = "no longer running" if isinstance(pid, int) and not _pid_alive(pid) else "not holding the lock"
            self.log(f"released a stale run lock left by {describe(previous)} ({state}; killed or crashed run)")
        self._fh.seek(0)
        self._fh.truncate()
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": self.command,
        }
        self._fh.write(json.dumps(holder) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())
        return self

    def release(self) -> None:
        if self._fh is None:
            return
        # empty file = released cleanly; details left behind mean the holder died
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.flush()
        fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        self._fh.close()
        self._fh = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
