"""Quality-assurance (QA) tables: every excluded or suspicious row/cell, with a reason.

One shape for every stage so analysts read them the same way and counts reconcile:
``stage, file, sheet, row, column, value, reason, action`` where ``action`` says what
was done (``excluded``, ``quarantined``, ``kept``, ``replaced`` ...). Rows are 1-based
line numbers as seen in Excel or a text editor.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

QA_COLUMNS = ["stage", "file", "sheet", "row", "column", "value", "reason", "action"]


@dataclass(frozen=True)
class QAEntry:
    """One QA finding."""

    stage: str
    file: str
    reason: str
    action: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""


def qa_frame(entries: list[QAEntry]) -> pd.DataFrame:
    """QA entries as a DataFrame with the standard columns (empty frame when none)."""
    df = pd.DataFrame([asdict(e) for e in entries], columns=QA_COLUMNS)
    df["row"] = df["row"].astype("Int64")
    df["value"] = df["value"].astype(str)
    return df


QA_HEADERS_JA = {
    "stage": "処理段階",
    "file": "ファイル",
    "sheet": "シート",
    "row": "行",
    "column": "列",
    "value": "値",
    "reason": "理由",
    "action": "処理",
}
