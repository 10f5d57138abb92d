"""Quality-assurance (QA) tables: every excluded or suspicious row/cell, with a reason.

One shape for every stage so analysts read them the same way and counts reconcile:
``stage, file, sheet, row, column, value, reason, action`` where ``action`` says what
was done (``excluded``, ``quarantined``, ``kept``, ``replaced`` ...). Rows are 1-based
line numbers as seen in Excel or a text editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import pandas as pd
import pandera.pandas as pa

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
    # attribute tuples, not dataclasses.asdict (which deep-copies every field: seconds for a
    # national list's hundreds of thousands of entries)
    fields = attrgetter(*QA_COLUMNS)
    df = pd.DataFrame([fields(e) for e in entries], columns=QA_COLUMNS)
    df["row"] = df["row"].astype("Int64")
    for column in QA_COLUMNS:  # text columns typed as text even when there is no entry
        if column != "row":
            df[column] = df[column].astype(str)
    return df


QA_SCHEMA = pa.DataFrameSchema(
    {c: pa.Column("Int64" if c == "row" else str, nullable=c == "row") for c in QA_COLUMNS},
    strict=True,
)
"""Schema of every processed ``*_qa`` table."""


def qa_table_ja(qa: pd.DataFrame) -> pd.DataFrame:
    """A QA table with Japanese headers, for publication."""
    return qa.rename(columns=QA_HEADERS_JA)


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


class ReconciliationError(AssertionError):
    """Row counts that do not add up: a row was lost or invented (a bug, never bad input)."""


@dataclass(frozen=True)
class Reconciliation:
    """Where every input row went: ``rows in = kept + excluded (per rule) + quarantined``.

    ``excluded`` lists rows left out by a stated rule, e.g. ``("other prefectures", 1708)``
    or ``("statistics rows", 9)``; quarantined rows are in the QA table with a reason. Every
    stage prints :meth:`line` and records it in the manifest (:mod:`homecare.stages.base`).
    """

    rows_in: int
    kept: int
    quarantined: int = 0
    excluded: tuple[tuple[str, int], ...] = ()

    @property
    def accounted(self) -> int:
        return self.kept + self.quarantined + sum(n for _, n in self.excluded)

    @property
    def ok(self) -> bool:
        return self.accounted == self.rows_in

    def line(self) -> str:
        """``rows in 389 = kept 387 + other prefectures 0 + quarantined 2``."""
        parts = [
            f"kept {self.kept}",
            *(f"{label} {n}" for label, n in self.excluded),
            f"quarantined {self.quarantined}",
        ]
        return (
            f"rows in {self.rows_in} = "
            + " + ".join(parts)
            + ("" if self.ok else f"  MISMATCH (accounted {self.accounted})")
        )

    def check(self) -> Reconciliation:
        """``self`` when the counts add up; raises :class:`ReconciliationError` otherwise."""
        if not self.ok:
            raise ReconciliationError(self.line())
        return self

    def __add__(self, other: Reconciliation) -> Reconciliation:
        excluded: dict[str, int] = dict(self.excluded)
        for label, n in other.excluded:
            excluded[label] = excluded.get(label, 0) + n
        return Reconciliation(
            self.rows_in + other.rows_in,
            self.kept + other.kept,
            self.quarantined + other.quarantined,
            tuple(excluded.items()),
        )


@dataclass
class Cleaned:
    """What every adapter and cleaning step returns: the table, its QA entries and where
    every input row went."""

    table: pd.DataFrame
    qa: list[QAEntry]
    counts: Reconciliation

    def qa_table(self) -> pd.DataFrame:
        return qa_frame(self.qa)
