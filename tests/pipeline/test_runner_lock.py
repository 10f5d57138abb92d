"""Run lock: a second run exits with code 75 and names the holder, or waits with --wait; a
lock left by a killed run is detected as stale and taken over safely."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import runner_project

from homecare.ops import lock as run_lock
from homecare.ops.lock import EXIT_LOCKED, RunLock, RunLocked


@pytest.fixture
def two_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return runner_project.use_project(tmp_path, monkeypatch)


HOLDER = """
import sys, time
from homecare.ops.lock import RunLock
lock = RunLock(command="test holder").acquire()
print("locked", flush=True)
time.sleep(float(sys.argv[1]))
lock.release()
print("released", flush=True)
"""


def _holder(outputs: Path, seconds: float) -> subprocess.Popen:
    """A separate process holding the run lock for ``seconds``; returns once it holds it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOMECARE_OUTPUTS_DIR": str(outputs)},
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


@pytest.fixture
def outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    out = tmp_path / "outputs"
    monkeypatch.setenv("HOMECARE_OUTPUTS_DIR", str(out))
    return out


def test_second_lock_in_the_same_process_is_refused(outputs: Path) -> None:
    with RunLock(command="first", log=lambda s: None):
        holder = json.loads(run_lock.holder_path(run_lock.lock_path()).read_text(encoding="utf-8"))
        assert holder["pid"] == os.getpid() and holder["command"] == "first"
        with pytest.raises(RunLocked, match=rf"another run is in progress \(pid {os.getpid()} on host"):
            RunLock(log=lambda s: None).acquire()
    assert run_lock.holder_path(run_lock.lock_path()).read_text(encoding="utf-8") == "", (
        "a clean release leaves an empty lock file"
    )
    with RunLock(log=lambda s: None) as again:  # free again
        assert again.stale is None


def test_killed_holder_leaves_a_stale_lock_that_is_released(outputs: Path) -> None:
    proc = _holder(outputs, 120)
    try:
        with pytest.raises(RunLocked, match=f"pid {proc.pid}"):
            RunLock(log=lambda s: None).acquire()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    # the killed process's details are still in the file, but the kernel dropped its flock
    assert json.loads(run_lock.holder_path(run_lock.lock_path()).read_text(encoding="utf-8"))["pid"] == proc.pid
    messages: list[str] = []
    with RunLock(log=messages.append) as lock:
        assert lock.stale is not None and lock.stale["pid"] == proc.pid
        assert json.loads(run_lock.holder_path(run_lock.lock_path()).read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert any(
        "released a stale run lock" in m and f"pid {proc.pid}" in m and "no longer running" in m for m in messages
    )


def test_wait_gets_the_lock_when_the_holder_finishes(outputs: Path) -> None:
    proc = _holder(outputs, 1.5)
    messages: list[str] = []
    try:
        with RunLock(wait=60, log=messages.append, poll_seconds=0.1) as lock:
            assert lock.stale is None, "a cleanly released lock is not stale"
            assert proc.stdout.readline().strip() == "released"
    finally:
        proc.wait()
    assert any(m.startswith("waiting for the run lock held by pid") for m in messages)


def test_wait_with_timeout_gives_up(outputs: Path) -> None:
    proc = _holder(outputs, 120)
    try:
        with pytest.raises(RunLocked, match="after waiting"):
            RunLock(wait=0.3, log=lambda s: None, poll_seconds=0.1).acquire()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def _cli_while_locked(project: Path, *extra: str) -> tuple[int, subprocess.CompletedProcess]:
    """``homecare run`` on ``project`` while another process holds its lock; (holder pid, result)."""
    proc = _holder(project / "outputs", 120)
    try:
        cli = subprocess.run(
            [sys.executable, "-m", "homecare.cli", "run", "--params", runner_project.params(project), *extra],
            capture_output=True,
            text=True,
            env={**os.environ, "HOMECARE_ROOT": str(project)},
        )
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    return proc.pid, cli


def test_cli_run_exits_75_while_another_run_holds_the_lock(two_stage: Path) -> None:
    pid, cli = _cli_while_locked(two_stage)
    assert cli.returncode == EXIT_LOCKED == 75
    assert f"another run is in progress (pid {pid}" in cli.stderr and "--wait" in cli.stderr
    assert "Traceback" not in cli.stderr
    outputs = two_stage / "outputs"
    assert not (outputs / "runs").exists() and not (outputs / "latest").exists()


def test_cli_wait_timeout_gives_up_with_75(two_stage: Path) -> None:
    pid, cli = _cli_while_locked(two_stage, "--wait", "--wait-timeout", "1")
    assert cli.returncode == 75
    assert f"waiting for the run lock held by pid {pid}" in cli.stdout
    assert "after waiting 1 s" in cli.stderr
