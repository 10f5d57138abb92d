"""Run ``homecare`` commands in-process, as the console script would (exit code, stdout, stderr),
with the environment and working directory of the command, restored afterwards."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CliResult:
    """What the console script would give: exit code and the two streams."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = PROJECT) -> CliResult:
    """``homecare <args>`` through :func:`homecare.cli.invoke` (errors -> ``error: ...`` and exit 2)."""
    from homecare import cli

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = cli.invoke([str(a) for a in args])
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
    return CliResult(code, out.getvalue(), err.getvalue())
