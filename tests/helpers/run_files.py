"""Comparing the files of two runs: every byte must match except the run's own identity (its
folder name and the date taken from it), which the index page, the slide deck's cover and
the executed notebooks print by design."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

_RUN_DATE = re.compile(
    rb"\d{4}\xe5\xb9\xb4\d{1,2}\xe6\x9c\x88\d{1,2}\xe6\x97\xa5 \d{2}:\d{2} UTC"
)  # 2026年11月30日 07:54 UTC


def _normalise(data: bytes, run: Path) -> bytes:
    data = data.replace(str(run).encode(), b"<run>").replace(run.name.encode(), b"<run-id>")
    return _RUN_DATE.sub(b"<run-date>", data)


def content(run: Path, rel: Path) -> bytes:
    """The bytes of ``run/rel`` with the run's identity replaced (inside a pptx, in every part)."""
    data = (run / rel).read_bytes()
    if rel.suffix == ".pptx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return b"".join(name.encode() + b"\0" + _normalise(z.read(name), run) for name in z.namelist())
    if rel.suffix in (".ipynb", ".html"):
        return _normalise(data, run)
    return data
