"""The report a failed run leaves (``FAILED.md``): which stage, which cell, which error, which
input file, and how to recover, in words an analyst can act on without opening Jupyter."""

from __future__ import annotations

import json
import re
from pathlib import Path

from homecare.ops import sharing

# "file data/raw/x.xlsx, sheet ..." (InputError) and bare project paths in other messages
_FILE_IN_ERROR = re.compile(r"file ([^\s,:]*[./][^\s,:]*)|(?<![\w/.~])((?:data|params|notebooks)/[^\s,:'\")]+)")


def cell_first_line(notebook: Path, exec_count: int | None) -> str | None:
    """First non-empty source line of the failing cell (found by execution count: papermill
    inserts error banners, so indices shift), to recognise it without opening Jupyter."""
    if exec_count is None or not notebook.is_file():
        return None
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except ValueError:  # unreadable notebook: the report still names the cell number
        return None
    for cell in cells:
        if cell.get("cell_type") == "code" and cell.get("execution_count") == exec_count:
            source = "".join(cell.get("source", ""))
            return next((line.strip() for line in source.splitlines() if line.strip()), None)
    return None


def report(name: str, exc: BaseException, notebook: Path | None = None, *, latest: str = "outputs/latest") -> str:
    """The text of ``FAILED.md`` for stage ``name`` failing with ``exc`` (papermill's
    execution error carries the cell and the error; other errors their type and message)."""
    cell = getattr(exc, "exec_count", None)
    index = getattr(exc, "cell_index", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = sharing.sanitize_text(str(getattr(exc, "evalue", str(exc))))
    files = sorted({a or b for a, b in _FILE_IN_ERROR.findall(evalue)})
    first_line = cell_first_line(notebook, cell) if notebook is not None else None
    lines = [
        f"# Run failed: {name}",
        "",
        f"- stage: {name}",
        f"- cell: index {index} (execution count {cell})" if index is not None else "- cell: (before execution)",
        *([f"- cell starts with: `{first_line}`"] if first_line else []),
        f"- error: {ename}: {evalue}",
        f"- input file: {', '.join(files)}" if files else "- input file: (not named by the error)",
        *([f"- executed notebook with the error: notebooks/{name}.ipynb"] if notebook is not None else []),
        f"- {latest} was left unchanged.",
        "",
        "To recover: fix the input or code named above, then run `homecare run` again; stages whose",
        "inputs did not change are reused, so the rerun starts where this one failed (docs/operations.md).",
        "",
    ]
    return "\n".join(lines)


def write(run_dir: Path, text: str) -> bool:
    """Write ``FAILED.md`` into ``run_dir``; False when even that fails (read-only or full disk),
    so the caller says where the report could not go."""
    try:
        (run_dir / "FAILED.md").write_text(text, encoding="utf-8")
    except OSError:
        return False
    return True
