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


DATA_ROOTS_ENV = "HOMECARE_DATA_ROOTS"  # extra folders inputs may come from (os.pathsep-separated)


def data_roots() -> list[Path]:
    """Folders input files may lie in: the project root, the fetched reference data and the
    processed layer (they may be moved by environment variables), and every folder named in
    ``$HOMECARE_DATA_ROOTS`` (the runner sets it from ``run.data_roots`` in the parameters)."""
    roots = [project_root(), external_dir().resolve(), official_processed_dir().resolve()]
    extra = os.environ.get(DATA_ROOTS_ENV, "")
    roots += [Path(r).expanduser().resolve() for r in extra.split(os.pathsep) if r.strip()]
    return roots


def add_data_root(folder: str | os.PathLike[str]) -> None:
    """Name ``folder`` a data root for this process (a file given on the command line)."""
    current = [r for r in os.environ.get(DATA_ROOTS_ENV, "").split(os.pathsep) if r]
    os.environ[DATA_ROOTS_ENV] = os.pathsep.join([*current, str(Path(folder).resolve())])


def outside_data_roots(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` (symlinks followed) lies outside every folder of :func:`data_roots`."""
    p = resolve(path).resolve()
    return not any(p == root or p.is_relative_to(root) for root in data_roots())


def resolve_input(path: str | os.PathLike[str]) -> Path:
    """Resolve an input file against the project root and refuse one outside the project and
    the data roots (``/etc/shadow`` named as a facility list, or a symlink pointing there)."""
    from homecare.core.errors import InputError

    p = resolve(path)
    if outside_data_roots(p):
        raise InputError(
            "input files must lie inside the project or a data root named in the parameters "
            f"(run.data_roots) or ${DATA_ROOTS_ENV}; this one does not",
            file=p.as_posix(),
        )
    return p


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


PROCESSED_ENV = "HOMECARE_PROCESSED_DIR"


def official_processed_dir() -> Path:
    """``data/processed`` (or ``$HOMECARE_PROCESSED_DIR``): the validated, typed, tidy tables
    the scheduled pipeline writes (the runner sets the variable for its notebooks)."""
    env = os.environ.get(PROCESSED_ENV)
    return Path(env) if env else project_root() / "data" / "processed"


def processed_dir() -> Path:
    """Where stages write processed tables: the runner's folder (``$HOMECARE_PROCESSED_DIR``),
    else ``data/processed/dev``: a notebook run by hand in JupyterLab never overwrites what the
    scheduled pipeline publishes (it still reads the official tables it has not written)."""
    env = os.environ.get(PROCESSED_ENV)
    return Path(env) if env else project_root() / "data" / "processed" / "dev"


def is_dev() -> bool:
    """Whether stages run outside the runner (JupyterLab, a script): they write to dev folders."""
    return not os.environ.get(PROCESSED_ENV)


OUTPUTS_ENV = "HOMECARE_OUTPUTS_DIR"


def outputs_dir() -> Path:
    """``outputs`` (or ``$HOMECARE_OUTPUTS_DIR``): runs, ``latest`` and notebook dev output."""
    env = os.environ.get(OUTPUTS_ENV)
    return Path(env) if env else project_root() / "outputs"
