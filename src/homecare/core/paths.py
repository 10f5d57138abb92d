"""Where things live in the repository.

All paths in parameters and data files are relative to the project root, so the same
notebook works from JupyterLab (cwd ``notebooks/``), from papermill (cwd = root) and in
a scheduled run. ``HOMECARE_ROOT`` overrides the detection (tests use it).
"""

from __future__ import annotations

import os
from pathlib import Path

_MARKER = "pyproject.toml"


def project_root() -> Path:
    """The repository root: ``$HOMECARE_ROOT``, else the nearest folder above cwd holding
    ``pyproject.toml`` and ``src/homecare``, else the folder this package was installed from."""
    env = os.environ.get("HOMECARE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / _MARKER).is_file() and (folder / "src" / "homecare").is_dir():
            return folder
    return Path(__file__).resolve().parents[2]


def resolve(path: str | os.PathLike[str]) -> Path:
    """Resolve ``path`` against the project root unless it is absolute."""
    p = Path(path)
    return p if p.is_absolute() else project_root() / p


def relative(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the project root (POSIX form) when it is inside it, for
    manifests and messages that must not leak local absolute paths."""
    p = Path(path).resolve()
    try:
        return p.relative_to(project_root()).as_posix()
    except ValueError:
        return p.as_posix()


def reference_dir() -> Path:
    """``data/raw/reference``: versioned facts that change (codes, areas, sources)."""
    return project_root() / "data" / "raw" / "reference"


def external_dir() -> Path:
    """``data/raw/external`` (or ``$HOMECARE_EXTERNAL_DIR``): fetched reference files (not committed)."""
    env = os.environ.get("HOMECARE_EXTERNAL_DIR")
    return Path(env) if env else project_root() / "data" / "raw" / "external"


def processed_dir() -> Path:
    """``data/processed`` (or ``$HOMECARE_PROCESSED_DIR``): validated, typed, tidy tables."""
    env = os.environ.get("HOMECARE_PROCESSED_DIR")
    return Path(env) if env else project_root() / "data" / "processed"


def outputs_dir() -> Path:
    """``outputs`` (or ``$HOMECARE_OUTPUTS_DIR``): runs, ``latest`` and notebook dev output."""
    env = os.environ.get("HOMECARE_OUTPUTS_DIR")
    return Path(env) if env else project_root() / "outputs"
