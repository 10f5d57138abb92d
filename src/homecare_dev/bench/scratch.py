"""Scratch folders for benchmarks (作業用フォルダ): a temporary folder whose files the package
may read as inputs. Inputs must lie inside the project or a named data root
(:func:`homecare.core.paths.resolve_input`), so the folder is named a data root for this
process and the commands it starts, and no longer once it is removed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from homecare.core import paths


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder (removed on exit) that input files may be read from."""
    before = os.environ.get(paths.DATA_ROOTS_ENV)
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        folder = Path(name)
        paths.add_data_root(folder)
        try:
            yield folder
        finally:
            if before is None:
                os.environ.pop(paths.DATA_ROOTS_ENV, None)
            else:
                os.environ[paths.DATA_ROOTS_ENV] = before
