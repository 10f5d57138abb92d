"""Clean national results files into tidy insurer scores (保険者機能評価 得点): the one
implementation behind ``homecare scores clean`` and notebook 01.
Terms: docs/glossary.md."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from homecare.core.dates import reiwa_fiscal_year
from homecare.core.errors import InputError, ParameterError
from homecare.core.qa import QAEntry, Reconciliation, qa_frame
from homecare.reference import municipalities
from homecare.scores import crosswalk, schemas
from homecare.scores import indicators as ind
from homecare.scores.read import STAGE, parse_file

TIDY_COLUMNS = [
    "fiscal_year",
    "insurer_number",
    "municipality_code",
    "municipality_name",
    "fund",
    "goal",
    "indicator_group",
    "indicator",
    "item",
    "points",
    "max_points",
]
COUNT_KEYS = ("rows_read", "kept", "statistics", "other_prefectures", "quarantined")


@dataclass
class CleanResult:
    """Tidy scores (one row per insurer x year x item), the QA entries and row counts."""

    scores: pd.DataFrame
    qa: list[QAEntry] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))
    files: dict[int, dict[str, int]] = field(default_factory=dict)  # counts per fiscal year

    def qa_table(self) -> pd.DataFrame:
        return qa_frame(self.qa)


def check_prefecture(prefecture: str) -> None:
    """The crosswalk knows one prefecture's municipalities (the reference table)."""
    if ind.normalise(prefecture).rstrip("県") != municipalities.PREFECTURE.rstrip("県"):
        raise ParameterError(
            f"prefecture {prefecture!r}: only {municipalities.PREFECTURE} has a municipality reference table"
        )


def reconciliation(counts: Mapping[str, int]) -> Reconciliation:
    """``rows read = kept + statistics rows + other prefectures + quarantined``, checked."""
    return Reconciliation(
        counts["rows_read"],
        counts["kept"],
        counts["quarantined"],
        (("statistics rows", counts["statistics"]), ("other prefectures", counts["other_prefectures"])),
    ).check()


def clean_file(
    path: str | Path, fiscal_year: int, *, prefecture: str = municipalities.PREFECTURE, sheet: str | None = None
) -> CleanResult:
    """One national/prefecture results file -> tidy, validated scores of ``prefecture``."""
    check_prefecture(prefecture)
    parsed = parse_file(path, prefecture=prefecture, sheet=sheet)
    file, sheet_name = parsed.file, parsed.sheet
    for row, column, named in parsed.title_years:
        if named != int(fiscal_year):
            raise InputError(
                f"the title says {reiwa_fiscal_year(named)} (FY{named}) but --fiscal-year/input year is {fiscal_year} "
                f"({reiwa_fiscal_year(int(fiscal_year))}): wrong file or wrong year?",
                file=file,
                sheet=sheet_name,
                row=row,
                column=column,
            )
    insurers = crosswalk.map_insurers(parsed.insurers, file=file, sheet=sheet_name, column=parsed.name_column)
    qa = list(parsed.qa)
    for r in insurers.itertuples():
        if not (r.insurer_number.isdigit() and len(r.insurer_number) == 6):
            qa.append(
                QAEntry(
                    STAGE,
                    file,
                    "保険者番号 is not 6 digits",
                    "kept",
                    sheet=sheet_name,
                    row=int(r.src_row),
                    column="保険者番号",
                    value=r.insurer_number,
                )
            )
    scores = parsed.scores.merge(
        insurers[["src_row", "insurer_number", "municipality_code", "municipality_name"]],
        on="src_row",
        how="left",
        validate="many_to_one",
    )
    scores["fiscal_year"] = int(fiscal_year)
    qa += schemas.check_points(scores, file=file, sheet=sheet_name, stage=STAGE)
    qa += schemas.check_totals(scores, parsed.totals, file=file, sheet=sheet_name, stage=STAGE)
    tidy = scores.sort_values(["municipality_code", "fund", "goal", "src_index"], kind="stable")[
        TIDY_COLUMNS
    ].reset_index(drop=True)
    try:
        tidy = schemas.INSURER_SCORES_SCHEMA.validate(tidy, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise InputError(
            f"cleaned scores fail validation:\n{exc.failure_cases.head(10).to_string()}", file=file, sheet=sheet_name
        ) from None
    reconciliation(parsed.counts)
    return CleanResult(tidy, qa, dict(parsed.counts), {int(fiscal_year): dict(parsed.counts)})


def clean_years(
    inputs: Mapping[int, str | Path],
    *,
    prefecture: str = municipalities.PREFECTURE,
    previous: pd.DataFrame | None = None,
) -> CleanResult:
    """Clean one file per fiscal year and report 保険者番号 that change between years (also
    against ``previous``, an earlier tidy output)."""
    if not inputs:
        raise ParameterError("no input files given (fiscal year -> path)")
    results = [clean_file(p, int(fy), prefecture=prefecture) for fy, p in sorted(inputs.items())]
    scores = pd.concat([r.scores for r in results], ignore_index=True)
    frames = [scores] + ([previous.astype({"insurer_number": str})] if previous is not None else [])
    qa = [e for r in results for e in r.qa] + crosswalk.number_conflicts(
        pd.concat(frames, ignore_index=True), stage=STAGE
    )
    counts = {k: sum(r.counts[k] for r in results) for k in COUNT_KEYS}
    files = {fy: c for r in results for fy, c in r.files.items()}
    return CleanResult(scores.sort_values(["fiscal_year"], kind="stable").reset_index(drop=True), qa, counts, files)
