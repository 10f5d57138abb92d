"""The ``data/processed`` layer: validated, typed, tidy tables shared between stages.

Stages run by ``homecare run`` write to the run's processed folder (official or scenario);
a notebook run by hand writes to ``data/processed/dev`` (:func:`homecare.core.paths.processed_dir`).

:func:`write_processed` validates with a pandera schema, writes Parquet (typed) and a
UTF-8-BOM CSV (for people) atomically, and a ``.meta.json`` carrying the row count,
inputs and the sample flag, so that downstream figures know to mark サンプルデータ.
:func:`read_processed` validates again on the way in and records the read as an input.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from homecare.core import paths, provenance
from homecare.core.errors import HomecareError
from homecare.core.files import atomic_write_bytes, csv_bytes


class ProcessedDataMissing(HomecareError):
    """A stage needs a processed table that an earlier stage has not written."""


def _base(name: str) -> Path:
    """Where ``name`` is written (the run's processed folder, or the dev folder outside a run)."""
    return paths.processed_dir() / name


def _found(name: str) -> Path:
    """Where ``name`` is read from: the folder it is written to; outside a run (JupyterLab) the
    official table when the dev folder has none yet, so editing one notebook does not require
    rerunning the ones before it."""
    base = _base(name)
    if paths.is_dev() and not base.with_suffix(".parquet").is_file():
        return paths.official_processed_dir() / name
    return base


def write_processed(
    df: pd.DataFrame,
    name: str,
    *,
    schema: pa.DataFrameSchema | None = None,
    sample: bool | None = None,
    csv: bool = True,
    attrs: dict[str, object] | None = None,
) -> Path:
    """Validate and write ``data/processed/<name>.parquet`` (+ ``.csv``, ``.meta.json``).

    ``sample`` defaults to what provenance says of the inputs read (stages never pass it);
    ``attrs`` are facts later stages need about the table (e.g. its 出典 line), kept in the
    meta and returned by :func:`read_meta`.
    """
    if schema is not None:
        df = schema.validate(df, lazy=True)
    base = _base(name)
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    atomic_write_bytes(base.with_suffix(".parquet"), buf.getvalue())
    if csv:
        atomic_write_bytes(base.with_suffix(".csv"), csv_bytes(df))
    meta = {
        "name": name,
        "rows": int(len(df)),
        "columns": [str(c) for c in df.columns],
        "sample": provenance.uses_sample_data() if sample is None else bool(sample),
        "inputs": provenance.inputs(),
        **({"attrs": attrs} if attrs else {}),
    }
    atomic_write_bytes(
        base.with_suffix(".meta.json"), (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    )
    return base.with_suffix(".parquet")


def read_processed(name: str, *, schema: pa.DataFrameSchema | None = None) -> pd.DataFrame:
    """Read a processed table written by an earlier stage; validates and records the input
    (with its sample flag)."""
    path = _found(name).with_suffix(".parquet")
    if not path.is_file():
        raise ProcessedDataMissing(
            f"processed table {paths.relative(path)} does not exist: run the stage that writes it first "
            f"(homecare run, or the earlier notebook)"
        )
    provenance.note_input(path, sample=bool(read_meta(name).get("sample", False)))
    df = pd.read_parquet(path)
    return schema.validate(df, lazy=True) if schema is not None else df


def read_attrs(name: str) -> dict:
    """The ``attrs`` a stage stored with a processed table (the files' date, a source label,
    a threshold); ``{}`` when it has none."""
    return read_meta(name).get("attrs") or {}


def read_meta(name: str) -> dict:
    """The meta of a processed table (rows, columns, sample flag, inputs, ``attrs``); ``{}``
    when the table has none."""
    meta_path = _found(name).with_suffix(".meta.json")
    return json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
