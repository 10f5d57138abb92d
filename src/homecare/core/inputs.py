"""Opening an input file the same way everywhere: resolved against the project root (and refused
outside the project and the data roots), checked to exist and not to be empty, an Excel
workbook checked for bombs and absurd sizes before anything loads it (:mod:`homecare.core.xlsx`),
a located :class:`~homecare.core.errors.InputError` otherwise; then recorded as an input of the
running stage (:mod:`homecare.core.provenance`)."""

from __future__ import annotations

from pathlib import Path

from homecare.core import paths, provenance, xlsx
from homecare.core.errors import InputError


def checked_input(path: str | Path) -> tuple[Path, str]:
    """(absolute path, path as shown in messages) of an input file that exists and is not empty;
    the file is noted as a stage input."""
    p = paths.resolve_input(path)
    where = paths.relative(p)
    if not p.is_file():
        raise InputError("input file does not exist", file=where)
    if p.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", file=where)
    if p.suffix.lower() in xlsx.ZIP_SUFFIXES:
        xlsx.check_workbook(p)
    elif p.stat().st_size > xlsx.MAX_FILE_BYTES:
        raise InputError(f"{p.stat().st_size:,} bytes is larger than any input this reads", file=where)
    provenance.note_input(p)
    return p, where
