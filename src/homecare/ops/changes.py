"""What changed since the previous successful run (前回実行からの変更点).

:func:`compare_runs` compares two run folders: the inputs in their manifests (added,
removed, hash changed), and every published table (``tables/*.csv``): tables added or
removed, rows added or removed (matched on the key columns) and numbers that changed by
more than ``tolerance``. :func:`write_changes` writes ``changes.md`` (for the analyst who
must explain new figures before pasting them into a document) and ``changes.csv`` (the
same facts, one per line, for filtering in Excel) into the new run folder.

Key columns are the non-numeric columns plus numeric identifiers (codes, years), so a
table keyed by 区市町村 matches rows by name/code and compares the counts and scores.
Cells withheld by disclosure control (``<10``, ``x``) count as text: a cell that becomes
or stops being withheld is a change.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from homecare.core.files import atomic_write_bytes, csv_bytes
from homecare.ops import manifest

DEFAULT_TOLERANCE = 1e-6  # absolute: float noise and rounding in the last printed digit of a CSV
DETAIL_LIMIT = 20  # changed cells listed per table in changes.md (changes.csv has all)
ID_WORDS = ("コード", "番号", "年度", "code", "year", "_id")
CHANGE_COLUMNS = ["kind", "item", "key", "column", "old", "new", "change"]
# cells withheld or marked in published statistics (<10, x, -, 秘匿): part of a number column
WITHHELD = re.compile(r"^(?:[<＜]\s*\d+|[xX×*＊\-‐－―]|秘匿)$")


@dataclass
class TableDiff:
    """Differences of one published table between two runs."""

    name: str
    status: str  # added | removed | compared
    keys: list[str] = field(default_factory=list)
    rows_added: list[str] = field(default_factory=list)
    rows_removed: list[str] = field(default_factory=list)
    cells: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # key, column, old, new
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.status != "compared" or bool(
            self.rows_added or self.rows_removed or self.cells or self.columns_added or self.columns_removed
        )


@dataclass
class RunChanges:
    """Everything :func:`compare_runs` found."""

    previous: str | None
    inputs: list[tuple[str, str, str | None, str | None]]  # path, change, old hash, new hash
    tables: list[TableDiff]
    tolerance: float


def compare_inputs(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str, str | None, str | None]]:
    """Inputs added, removed or with another SHA-256, by path."""
    out = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path), new.get(path)
        if a is None:
            out.append((path, "added", None, b))
        elif b is None:
            out.append((path, "removed", a, None))
        elif a != b:
            out.append((path, "changed", a, b))
    return out


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _numeric(col: pd.Series) -> pd.Series | None:
    """The column as numbers, or None when some non-empty, non-withheld cell is not a number."""
    values = col.mask(col.eq("") | col.str.match(WITHHELD))
    nums = pd.to_numeric(values, errors="coerce")
    return nums if nums.notna().sum() == values.notna().sum() else None


def key_columns(df: pd.DataFrame) -> list[str]:
    """Non-numeric columns plus numeric identifiers (codes, years)."""
    return [c for c in df.columns if _numeric(df[c]) is None or any(w in c.lower() for w in ID_WORDS)]


def _key_strings(df: pd.DataFrame, keys: list[str]) -> pd.Series:
    if not keys:
        return pd.Series([f"row {i + 2}" for i in range(len(df))], index=df.index)
    return df[keys].astype(str).agg(" / ".join, axis=1)


def _value(text: str) -> float | str | None:
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _differs(a: str, b: str, tolerance: float) -> bool:
    x, y = _value(a), _value(b)
    if isinstance(x, float) and isinstance(y, float):
        return not (math.isclose(x, y, rel_tol=0.0, abs_tol=tolerance) or (math.isnan(x) and math.isnan(y)))
    return x != y


def compare_table(name: str, old_path: Path | None, new_path: Path | None, tolerance: float) -> TableDiff:
    """Rows added/removed and numbers changed beyond ``tolerance`` in one table."""
    if old_path is None:
        return TableDiff(name, "added")
    if new_path is None:
        return TableDiff(name, "removed")
    diff = TableDiff(name, "compared")
    if old_path.read_bytes() == new_path.read_bytes():
        return diff  # the usual case in a scheduled run: nothing to parse
    old, new = _read(old_path), _read(new_path)
    diff.columns_added = [c for c in new.columns if c not in old.columns]
    diff.columns_removed = [c for c in old.columns if c not in new.columns]
    old_keys_cols = set(key_columns(old))
    keys = [c for c in key_columns(new) if c in old_keys_cols]  # key-like in both runs
    diff.keys = keys
    old_keys, new_keys = _key_strings(old, keys), _key_strings(new, keys)
    if old_keys.duplicated().any() or new_keys.duplicated().any():
        # not a key: fall back to position, and say so
        diff.note = f"rows not unique on {', '.join(keys)}: compared by row position"
        keys, diff.keys = [], []
        old_keys, new_keys = _key_strings(old, []), _key_strings(new, [])
    old_index = dict(zip(old_keys, range(len(old)), strict=True))
    new_index = dict(zip(new_keys, range(len(new)), strict=True))
    diff.rows_added = [k for k in new_keys if k not in old_index]
    diff.rows_removed = [k for k in old_keys if k not in new_index]
    value_columns = [c for c in new.columns if c in old.columns and c not in keys]
    for k, i in new_index.items():
        j = old_index.get(k)
        if j is None:
            continue
        for c in value_columns:
            a, b = old.at[j, c], new.at[i, c]
            if _differs(a, b, tolerance):
                diff.cells.append((k, c, _value(a), _value(b)))
    return diff


def compare_runs(
    previous: Path | None,
    current: Path,
    tolerance: float = DEFAULT_TOLERANCE,
    *,
    inputs: dict[str, str] | None = None,
) -> RunChanges:
    """Compare ``current`` with ``previous`` (None: first run, everything is new). ``inputs``
    are the current run's inputs when its manifest is not written yet."""
    if inputs is None:
        inputs = (manifest.read_manifest(current) or {}).get("inputs", {})
    old_manifest = (manifest.read_manifest(previous) or {}) if previous else {}
    input_changes = compare_inputs(old_manifest.get("inputs", {}), inputs)
    old_tables = {p.stem: p for p in (previous / "tables").glob("*.csv")} if previous else {}
    new_tables = {p.stem: p for p in (current / "tables").glob("*.csv")}
    tables = [
        compare_table(name, old_tables.get(name), new_tables.get(name), tolerance)
        for name in sorted(set(old_tables) | set(new_tables))
    ]
    return RunChanges(previous.name if previous else None, input_changes, tables, tolerance)


def _short(digest: str | None) -> str:
    return digest[:12] if digest else "–"


def _fmt(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)


def _delta(old: Any, new: Any) -> str:
    if isinstance(old, float) and isinstance(new, float):
        return f"{new - old:+g}"
    return ""


def change_rows(changes: RunChanges) -> pd.DataFrame:
    """The changes as one tidy table (``changes.csv``)."""
    rows: list[dict[str, Any]] = []
    for path, change, old, new in changes.inputs:
        rows.append(
            {
                "kind": "input",
                "item": path,
                "key": "",
                "column": "",
                "old": old or "",
                "new": new or "",
                "change": change,
            }
        )
    for t in changes.tables:
        if t.status != "compared":
            rows.append(
                {"kind": "table", "item": t.name, "key": "", "column": "", "old": "", "new": "", "change": t.status}
            )
            continue
        for c in t.columns_added:
            rows.append(
                {"kind": "column", "item": t.name, "key": "", "column": c, "old": "", "new": "", "change": "added"}
            )
        for c in t.columns_removed:
            rows.append(
                {"kind": "column", "item": t.name, "key": "", "column": c, "old": "", "new": "", "change": "removed"}
            )
        for k in t.rows_added:
            rows.append(
                {"kind": "row", "item": t.name, "key": k, "column": "", "old": "", "new": "", "change": "added"}
            )
        for k in t.rows_removed:
            rows.append(
                {"kind": "row", "item": t.name, "key": k, "column": "", "old": "", "new": "", "change": "removed"}
            )
        for k, c, a, b in t.cells:
            rows.append(
                {
                    "kind": "cell",
                    "item": t.name,
                    "key": k,
                    "column": c,
                    "old": _fmt(a),
                    "new": _fmt(b),
                    "change": "changed",
                }
            )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def render_markdown(changes: RunChanges, run_id: str, stages: list[dict[str, Any]] | None = None) -> str:
    """``changes.md``: a page an analyst reads before pasting new numbers into a document."""
    lines = [f"# What changed in run {run_id}", ""]
    if changes.previous is None:
        lines += ["No previous successful run: every input and table is new.", ""]
    else:
        lines += [
            f"Compared with the previous successful run `{changes.previous}`. Numbers count as changed "
            f"when they differ by more than {changes.tolerance:g}.",
            "",
        ]
    if stages:
        lines += ["## Stages", "", "| stage | status | why |", "|---|---|---|"]
        lines += [f"| {s['name']} | {s['status']} | {s.get('why', '')} |" for s in stages]
        lines.append("")
    changed_inputs = changes.inputs if changes.previous else []  # first run: all "added", not news
    lines += [f"## Inputs ({len(changed_inputs)} changed)", ""]
    if not changed_inputs:
        lines.append("No input changed." if changes.previous else "(first run)")
    for path, change, old, new in changed_inputs:
        lines.append(
            f"- {change}: `{path}`" + (f" (SHA-256 {_short(old)} → {_short(new)})" if change == "changed" else "")
        )
    lines += ["", "## Tables", ""]
    touched = [t for t in changes.tables if t.changed]
    unchanged = [t.name for t in changes.tables if not t.changed]
    if touched:
        lines += ["| table | change | rows added | rows removed | numbers changed |", "|---|---|---|---|---|"]
        for t in touched:
            lines.append(
                f"| {t.name} | {t.status if t.status != 'compared' else 'changed'} | {len(t.rows_added)} | "
                f"{len(t.rows_removed)} | {len(t.cells)} |"
            )
        lines.append("")
    lines.append(f"Unchanged tables: {len(unchanged)}" + (f" ({', '.join(unchanged)})" if unchanged else "") + ".")
    for t in touched:
        if t.status != "compared":
            continue
        lines += ["", f"### {t.name}", ""]
        if t.keys:
            lines.append(f"Rows matched on: {', '.join(t.keys)}.")
        if t.note:
            lines.append(f"Note: {t.note}.")
        for label, cols in (("Columns added", t.columns_added), ("Columns removed", t.columns_removed)):
            if cols:
                lines.append(f"{label}: {', '.join(cols)}.")
        for label, keys in (("Rows added", t.rows_added), ("Rows removed", t.rows_removed)):
            if keys:
                shown = ", ".join(keys[:DETAIL_LIMIT]) + (" …" if len(keys) > DETAIL_LIMIT else "")
                lines.append(f"{label} ({len(keys)}): {shown}")
        if t.cells:
            lines += ["", "| row | column | previous | now | difference |", "|---|---|---|---|---|"]
            for k, c, a, b in t.cells[:DETAIL_LIMIT]:
                lines.append(f"| {k} | {c} | {_fmt(a)} | {_fmt(b)} | {_delta(a, b)} |")
            if len(t.cells) > DETAIL_LIMIT:
                lines.append(f"\n… {len(t.cells) - DETAIL_LIMIT} more changed numbers in changes.csv.")
    lines += ["", "Every change is also listed in `changes.csv` (one line each).", ""]
    return "\n".join(lines)


def write_changes(
    previous: Path | None,
    current: Path,
    run_id: str,
    *,
    stages: list[dict[str, Any]] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    inputs: dict[str, str] | None = None,
) -> RunChanges:
    """Write ``changes.md`` and ``changes.csv`` into ``current`` (inputs: see :func:`compare_runs`)."""
    changes = compare_runs(previous, current, tolerance, inputs=inputs)
    atomic_write_bytes(current / "changes.md", render_markdown(changes, run_id, stages).encode("utf-8"))
    atomic_write_bytes(current / "changes.csv", csv_bytes(change_rows(changes)))
    return changes
