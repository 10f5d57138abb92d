"""Publication tables (公表表): one UTF-8-BOM CSV per table with a small ``.json`` beside it.

Tables are written by stages with :func:`write_table` (CSV + title, 出典, note, sheet name and
sample flag); :mod:`homecare.publish.workbook` gathers them into the run workbook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from homecare.core import paths, provenance
from homecare.core.files import atomic_write_bytes, csv_bytes
from homecare.core.labels import current_scenario

_SHEET_BAD = re.compile(r"[\[\]\:\*\?\/\\]")


def write_table(
    df: pd.DataFrame,
    output_dir: str | Path,
    name: str,
    *,
    title: str,
    sources: list[str],
    note: str | None = None,
    sheet: str | None = None,
    sample: bool | None = None,
) -> Path:
    """Publish a table of a run: ``<output_dir>/tables/<name>.csv`` (UTF-8-BOM) and its
    ``<name>.json`` (title, 出典, note, sheet name, sample). Headers should be Japanese
    with units, e.g. ``目標III得点（点）``. ``sample`` defaults to what provenance says of the
    inputs read for this table (stages never pass it)."""
    if sample is None:
        sample = provenance.uses_sample_data()
    out = paths.resolve(output_dir) / "tables"
    path = out / f"{name}.csv"
    atomic_write_bytes(path, csv_bytes(df))
    meta = {
        "name": name,
        "title": title,
        "sheet": sheet_name(sheet or title),
        "sources": list(dict.fromkeys(sources)),
        "note": note,
        "sample": sample,
        "rows": int(len(df)),
        "columns": [str(c) for c in df.columns],
        **({"scenario": scenario} if (scenario := current_scenario()) else {}),
    }
    atomic_write_bytes(
        out / f"{name}.json", (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    )
    return path


def sheet_name(text: str) -> str:
    """A valid Excel sheet name (max 31 characters, no []:*?/\\)."""
    return _SHEET_BAD.sub("・", text)[:31]


def read_table(csv_path: Path) -> tuple[pd.DataFrame, dict]:
    """Read a published table and its meta (codes stay text)."""
    meta = json.loads(csv_path.with_suffix(".json").read_text(encoding="utf-8"))
    df = pd.read_csv(
        csv_path, encoding="utf-8-sig", dtype={c: str for c in meta["columns"] if "コード" in c or "番号" in c}
    )
    return df, meta
