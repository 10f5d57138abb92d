"""Run manifest (``manifest.json``): what produced a run's outputs.

Parameters, SHA-256 of every input read, package versions, git commit, per-notebook
durations and row counts, and SHA-256 of every output file. Paths are relative to the
project root so a manifest can be shared without leaking local paths or user names.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from homecare.core import paths
from homecare.core.files import sha256_file


def package_versions() -> dict[str, str]:
    """Installed distributions of this environment, name -> version, sorted."""
    versions = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            versions[name.lower()] = dist.version
    return dict(sorted(versions.items()))


def git_state() -> dict[str, Any]:
    """Commit of the working tree and whether it has uncommitted changes."""
    root = paths.project_root()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def environment() -> dict[str, Any]:
    return {"python": sys.version.split()[0], "platform": platform.platform(terse=True)}


def output_hashes(run_dir: Path) -> dict[str, str]:
    """SHA-256 of every file in the run folder except notebooks and the manifest itself."""
    out = {}
    for p in sorted(run_dir.rglob("*")):
        if p.is_file() and p.name != "manifest.json" and "notebooks" not in p.relative_to(run_dir).parts:
            out[p.relative_to(run_dir).as_posix()] = sha256_file(p)
    return out


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> Path:
    path = run_dir / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_manifest(run_dir: Path) -> dict[str, Any] | None:
    path = run_dir / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
