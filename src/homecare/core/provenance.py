"""What a stage read, whether any of it is synthetic sample data, and the stage record.

Readers in this package call :func:`note_input` for every file they open. At the end of
a notebook, :func:`finish_stage` writes ``<output_dir>/stages/<stage>.json`` with the
SHA-256 of every input, row counts and the sample flag; the runner merges these into
the run manifest. Sample inputs are recognised by content: their hashes are listed in
``data/raw/sample/<topic>/SAMPLES.sha256`` (written by the sample generators with
:func:`write_sample_registry`).

The sample flag (サンプルデータ) is derived here and nowhere else: a table or figure is sample
when an input read *for it* is sample. A stage wraps each group of outputs in
:func:`section`; :func:`uses_sample_data` answers for the innermost open section (or for the
whole stage when none is open), so council figures read from the seed files are not marked
because the same notebook also read a sample score file. Terms: docs/glossary.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from homecare.core import paths
from homecare.core.files import sha256_file

SAMPLE_DIR = Path("data/raw/sample")
REGISTRY_NAME = "SAMPLES.sha256"  # one per topic folder, sha256sum format

_inputs: dict[str, str] = {}
_sample_inputs: set[str] = set()
_sections: list[set[str]] = []  # inputs noted inside each open section, innermost last


@lru_cache(maxsize=1)
def sample_hashes() -> frozenset[str]:
    """SHA-256 of every committed synthetic sample input."""
    hashes = set()
    for path in sorted(paths.resolve(SAMPLE_DIR).rglob(REGISTRY_NAME)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                hashes.add(line.split()[0])
    return frozenset(hashes)


def write_sample_registry(folder: str | Path) -> Path:
    """(Re)write ``<folder>/SAMPLES.sha256`` listing every file below ``folder``: call it at
    the end of a sample generator so that outputs computed from these files are marked."""
    root = paths.resolve(folder)
    lines = [
        f"{sha256_file(p)}  {p.relative_to(root).as_posix()}"
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != REGISTRY_NAME
    ]
    out = root / REGISTRY_NAME
    out.write_text(
        "# synthetic sample inputs: outputs computed from them are marked サンプルデータ\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    sample_hashes.cache_clear()
    return out


def note_input(path: str | Path, *, sha256: str | None = None, sample: bool | None = None) -> str:
    """Record that the current stage read ``path``. ``sample`` overrides content detection
    (processed tables carry their own flag in their ``.meta.json``). Returns the hash."""
    p = Path(path)
    digest = sha256 or sha256_file(p)
    key = paths.relative(p)
    _inputs[key] = digest
    if sample if sample is not None else digest in sample_hashes():
        _sample_inputs.add(key)
    for noted in _sections:
        noted.add(key)
    return digest


def inputs() -> dict[str, str]:
    """{relative path: sha256} of every input noted since the last :func:`reset`."""
    return dict(sorted(_inputs.items()))


def sample_inputs() -> list[str]:
    """Inputs noted so far that are synthetic sample data."""
    return sorted(_sample_inputs)


def uses_sample_data() -> bool:
    """True when an input of the innermost open :func:`section` (else of the whole stage) is
    synthetic: what is computed from it must be marked サンプルデータ."""
    if _sections:
        return bool(_sections[-1] & _sample_inputs)
    return bool(_sample_inputs)


@contextmanager
def section() -> Iterator[None]:
    """Outputs made inside take their sample flag from the inputs read inside (nested
    sections also count for the sections around them)."""
    _sections.append(set())
    try:
        yield
    finally:
        _sections.pop()


def reset() -> None:
    """Forget noted inputs (start of a stage; tests)."""
    _inputs.clear()
    _sample_inputs.clear()
    _sections.clear()


def finish_stage(
    output_dir: str | Path,
    stage: str,
    *,
    rows: dict[str, int] | None = None,
    notes: dict[str, object] | None = None,
) -> Path:
    """Write the stage record (inputs with hashes, row counts, sample flag) for the manifest."""
    out = paths.resolve(output_dir) / "stages"
    out.mkdir(parents=True, exist_ok=True)
    record = {
        "stage": stage,
        "inputs": inputs(),
        "sample_inputs": sample_inputs(),
        "sample": uses_sample_data(),
        "rows": dict(sorted((rows or {}).items())),
        "notes": notes or {},
    }
    path = out / f"{stage}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
