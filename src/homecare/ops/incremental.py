"""Incremental runs (差分実行): decide whether a stage can reuse the previous run's outputs.

A stage is skipped only when everything that could change its outputs is unchanged since
the previous successful run (the one ``outputs/latest`` points at):

- its **inputs**: every file its stage record lists (raw, reference and ``data/processed``
  tables read with ``read_processed``), compared by SHA-256 *now*, i.e. after the stages
  before it have run, so an upstream stage that rewrote a processed table makes the
  downstream stage rerun;
- its **parameters** (except ``output_dir``, which names the run folder);
- its **code**: the ``homecare`` package source, the notebook file, the lock file, the
  reference tables in ``data/raw/reference`` (not every reader records them as inputs) and
  the kernel name;
- its **data/processed outputs** are still there with the hashes it wrote (deleted or
  modified by hand, or overwritten by a later failed run: rerun).

Anything unknown (no previous run, a record without inputs, a manifest from before this
mechanism) means rerun: skipping must never be a guess.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import homecare
from homecare.core import paths
from homecare.core.files import sha256_file

LOCK_FILE = Path("requirements/lock.txt")
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def _tree_hash(folder: Path) -> str:
    """SHA-256 over the relative names and contents of every file below ``folder``."""
    h = hashlib.sha256()
    if folder.is_dir():
        for p in sorted(folder.rglob("*")):
            rel = p.relative_to(folder)
            if p.is_file() and not IGNORED_PARTS & set(rel.parts) and p.suffix != ".pyc":
                h.update(rel.as_posix().encode() + b"\0" + sha256_file(p).encode() + b"\n")
    return h.hexdigest()


def _file_hash(path: Path) -> str:
    return sha256_file(path) if path.is_file() else "missing"


def code_fingerprint(kernel: str) -> dict[str, str]:
    """Hashes shared by every stage: package source, lock file, reference tables, kernel."""
    return {
        "package": _tree_hash(Path(homecare.__file__).resolve().parent),  # the code actually imported
        "lock": _file_hash(paths.resolve(LOCK_FILE)),
        "reference": _tree_hash(paths.reference_dir()),
        "kernel": kernel,
    }


def stage_fingerprint(common: dict[str, str], notebook: Path) -> dict[str, str]:
    """The code fingerprint of one stage: ``common`` plus the notebook file's hash."""
    return {**common, "notebook": _file_hash(notebook)}


FINGERPRINT_LABELS = {
    "package": "package code (src/homecare) changed",
    "lock": "pinned packages (requirements/lock.txt) changed",
    "reference": "reference tables (data/raw/reference) changed",
    "kernel": "kernel changed",
    "notebook": "notebook changed",
}


class HashCache:
    """SHA-256 of files, computed once per run (inputs are shared between stages)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, int, int], str] = {}

    def sha256(self, path: Path) -> str | None:
        """Hash of ``path``, or None when it does not exist."""
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)  # atomic rewrites change the inode
        if key not in self._cache:
            self._cache[key] = sha256_file(path)
        return self._cache[key]


def processed_snapshot() -> dict[str, tuple[int, int]]:
    """(size, mtime) of every table file of the run's processed folder (its top level: the
    ``dev`` and ``scenarios`` subfolders belong to other runs), to see what a stage writes."""
    folder = paths.processed_dir()
    if not folder.is_dir():
        return {}
    out = {}
    for p in folder.iterdir():
        if p.is_file() and not p.name.startswith("."):
            st = p.stat()
            out[paths.relative(p)] = (st.st_size, st.st_mtime_ns)
    return out


def processed_written(before: dict[str, tuple[int, int]], hashes: HashCache) -> dict[str, str]:
    """Files of ``data/processed`` created or rewritten since ``before``, with their hashes."""
    after = processed_snapshot()
    written = {}
    for rel, stamp in sorted(after.items()):
        if before.get(rel) != stamp:
            digest = hashes.sha256(paths.resolve(rel))
            if digest is not None:
                written[rel] = digest
    return written


def comparable(parameters: dict[str, Any]) -> dict[str, Any]:
    """Parameters without ``output_dir`` (which differs in every run by design), in the form
    they take in the manifest (JSON: mapping keys become text, tuples lists), so that a
    parameter like ``{2024: "file.xlsx"}`` compares equal to its recorded ``{"2024": ...}``."""
    return json.loads(
        json.dumps({k: v for k, v in parameters.items() if k != "output_dir"}, sort_keys=True, default=str)
    )


@dataclass
class Decision:
    """Whether a stage can be skipped, and why it must run otherwise."""

    skip: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def why(self) -> str:
        return "; ".join(self.reasons) if self.reasons else "unchanged"


def _changed_files(
    recorded: dict[str, str], hashes: HashCache, what: str, limit: int = 3, base: Path | None = None
) -> list[str]:
    """'<what> <path> is missing/changed' for every file whose hash now differs from ``recorded``
    (paths relative to ``base``, else to the project root)."""
    changed = []
    for rel, digest in sorted(recorded.items()):
        now = hashes.sha256(base / rel if base is not None else paths.resolve(rel))
        if now is None:
            changed.append(f"{what} {rel} is missing")
        elif now != digest:
            changed.append(f"{what} {rel} changed")
    if len(changed) > limit:
        changed = changed[:limit] + [f"... and {len(changed) - limit} more {what}s"]
    return changed


def decide(
    previous_stage: dict[str, Any] | None,
    previous_run: Path | None,
    parameters: dict[str, Any],
    fingerprint: dict[str, str],
    hashes: HashCache,
    *,
    force: bool = False,
    published: dict[str, str] | None = None,
) -> Decision:
    """Can this stage reuse ``previous_stage`` (its entry in the previous run's manifest)?
    ``published`` are the SHA-256 of the previous run's files as its manifest recorded them:
    a reused file that is missing or differs (edited, truncated, half-copied) means rerun."""
    if force:
        return Decision(False, ["--force"])
    if previous_stage is None or previous_run is None:
        return Decision(False, ["not in the previous successful run"])
    record = previous_stage.get("record") or {}
    if "inputs" not in record or "fingerprint" not in previous_stage:
        return Decision(False, ["previous run did not record this stage's inputs and code"])
    reasons: list[str] = []
    old_fp = previous_stage["fingerprint"]
    reasons += [label for key, label in FINGERPRINT_LABELS.items() if old_fp.get(key) != fingerprint.get(key)]
    old_params, new_params = comparable(previous_stage.get("parameters", {})), comparable(parameters)
    if old_params != new_params:
        keys = sorted(k for k in set(old_params) | set(new_params) if old_params.get(k) != new_params.get(k))
        reasons.append(f"parameters changed: {', '.join(keys)}")
    reasons += _changed_files(record["inputs"], hashes, "input")
    reasons += _changed_files(previous_stage.get("processed", {}), hashes, "processed output")
    recorded = {rel: (published or {}).get(rel, "unrecorded") for rel in previous_stage.get("outputs", [])}
    reasons += _changed_files(recorded, hashes, "published output", base=previous_run)
    return Decision(not reasons, reasons)
