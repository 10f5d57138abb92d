"""Clean national results files into tidy insurer scores (保険者機能評価 得点) and the national
benchmark: the one implementation behind ``homecare scores clean`` and notebook 01.
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
from homecare.scores import benchmark, compare, crosswalk, schemas, totals
from homecare.scores import indicators as ind
from homecare.scores.read import COUNT_KEYS, STAGE, parse_file

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


@dataclass
class CleanResult:
    """Tidy scores of the prefecture (one row per insurer x year x item), the national
    benchmark (statistics per item and subtotal, every scored insurer, every insurer's score
    per measure), the QA entries and row counts."""

    scores: pd.DataFrame
    qa: list[QAEntry] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))
    files: dict[int, dict[str, int]] = field(default_factory=dict)  # counts per fiscal year
    benchmark: pd.DataFrame = field(default_factory=pd.DataFrame)
    insurers: pd.DataFrame = field(default_factory=pd.DataFrame)
    measures: pd.DataFrame = field(default_factory=pd.DataFrame)
    without_insurer_number: dict[int, int] = field(default_factory=dict)  # per fiscal year

    def qa_table(self) -> pd.DataFrame:
        return qa_frame(self.qa)


def check_prefecture(prefecture: str) -> None:
    """The crosswalk knows one prefecture's municipalities (the reference table)."""
    if ind.normalise(prefecture).rstrip("県") != municipalities.PREFECTURE.rstrip("県"):
        raise ParameterError(
            f"prefecture {prefecture!r}: only {municipalities.PREFECTURE} has a municipality reference table"
        )


def implausible_insurer_number(number: str) -> str:
    """Why a 保険者番号 read for a row of the prefecture cannot be its number ('' when it can or
    is blank): six digits starting with the prefecture code (神奈川県: 14). A number Excel
    stored as a number and padded back (14015 -> ``014015``) fails the prefecture test."""
    if not number:
        return ""
    if not (number.isdigit() and len(number) == 6):
        return "保険者番号 is not 6 digits"
    if not number.startswith(municipalities.PREFECTURE_CODE):
        return f"保険者番号 does not start with the prefecture code {municipalities.PREFECTURE_CODE} (a number stored short and padded?)"
    return ""


def reconciliation(counts: Mapping[str, int]) -> Reconciliation:
    """``rows read = kept + statistics rows + other prefectures + rows without scores +
    quarantined``, checked."""
    return Reconciliation(
        counts["rows_read"],
        counts["kept"],
        counts["quarantined"],
        (
            ("statistics rows", counts["statistics"]),
            ("other prefectures", counts["other_prefectures"]),
            ("without scores (広域連合)", counts.get("unscored", 0)),
        ),
    ).check()


def clean_file(
    path: str | Path, fiscal_year: int, *, prefecture: str = municipalities.PREFECTURE, sheet: str | None = None
) -> CleanResult:
    """One national/prefecture results file -> tidy, validated scores of ``prefecture`` and
    the national benchmark."""
    check_prefecture(prefecture)
    fy = int(fiscal_year)
    parsed = parse_file(path, prefecture=prefecture, sheet=sheet)
    file, sheet_name = parsed.file, parsed.sheet
    named_years = {named for _, _, named in parsed.title_years}
    for row, column, named in parsed.title_years:
        if fy not in named_years:  # a title naming this year and another (実施年度) is accepted
            raise InputError(
                f"the title says {reiwa_fiscal_year(named)} (FY{named}) but --fiscal-year/input year is {fy} "
                f"({reiwa_fiscal_year(fy)}): wrong file or wrong year?",
                file=file,
                sheet=sheet_name,
                row=row,
                column=column,
            )
    pref_rows = parsed.insurers[parsed.insurers["in_prefecture"]]
    insurers = crosswalk.map_insurers(
        pref_rows[["src_row", "insurer_number", "municipality_name"]],
        file=file,
        sheet=sheet_name,
        column=parsed.name_column,
    )
    qa = list(parsed.qa)
    implausible = []
    for r in insurers.itertuples():
        why = implausible_insurer_number(r.insurer_number)
        if why:
            implausible.append(r.Index)
            qa.append(
                QAEntry(
                    STAGE,
                    file,
                    why,
                    "kept, number left blank",
                    sheet=sheet_name,
                    row=int(r.src_row),
                    column="保険者番号",
                    value=r.insurer_number,
                )
            )
    insurers.loc[implausible, "insurer_number"] = ""  # the row is mapped by name; a wrong number is not published
    scores = parsed.scores.merge(
        insurers[["src_row", "insurer_number", "municipality_code", "municipality_name"]],
        on="src_row",
        how="left",
        validate="many_to_one",
    )
    scores["fiscal_year"] = fy
    qa += schemas.check_points(scores, file=file, sheet=sheet_name, stage=STAGE)
    qa += totals.check_subtotals(parsed, stage=STAGE)
    stats, stats_qa = benchmark.statistics_table(parsed, stage=STAGE)
    qa += stats_qa
    national = benchmark.national_insurers(parsed, insurers.set_index("src_row")["municipality_code"])
    national.loc[national["municipality_code"] != "", "municipality_name"] = national["src_row"].map(
        insurers.set_index("src_row")["municipality_name"]
    )
    measures = benchmark.national_measures(parsed)
    qa += _check_stated_rank(parsed, national, measures)
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
    return CleanResult(
        tidy,
        qa,
        dict(parsed.counts),
        {fy: dict(parsed.counts)},
        benchmark=stats.assign(fiscal_year=fy)[["fiscal_year", *stats.columns]],
        insurers=national.assign(fiscal_year=fy)[["fiscal_year", *national.columns]],
        measures=measures.assign(fiscal_year=fy)[["fiscal_year", *measures.columns]],
        without_insurer_number={fy: parsed.without_insurer_number},
    )


def _check_stated_rank(parsed, national: pd.DataFrame, measures: pd.DataFrame) -> list[QAEntry]:
    """The file's 今年度順位 against ``1 + number of insurers with a higher 推進・支援合計``."""
    total = measures[measures["measure"] == "合計"].set_index("src_row")["points"]
    if total.empty or national["stated_rank"].isna().all():
        return []
    computed = compare.competition_rank(national["src_row"].map(total), total).to_numpy()
    off = national[national["stated_rank"].notna() & (national["stated_rank"] != computed)]
    if off.empty:
        return []
    first = off.iloc[0]
    return [
        QAEntry(
            STAGE,
            parsed.file,
            f"今年度順位 differs from the rank of 推進・支援合計 on {len(off)} row(s) (first: stated "
            f"{first['stated_rank']:g}, counted {computed[off.index[0]]})",
            "reported",
            sheet=parsed.sheet,
            row=int(first["src_row"]),
            column="今年度順位",
            value=f"{first['stated_rank']:g}",
        )
    ]


def clean_years(
    inputs: Mapping[int, str | Path],
    *,
    prefecture: str = municipalities.PREFECTURE,
    previous: pd.DataFrame | None = None,
) -> CleanResult:
    """Clean one file per fiscal year; report 保険者番号 that change between years (also
    against ``previous``, an earlier tidy output) and a previous-year total (R7評価指標合計得点)
    that differs from the previous year's file."""
    if not inputs:
        raise ParameterError("no input files given (fiscal year -> path)")
    results = [clean_file(p, int(fy), prefecture=prefecture) for fy, p in sorted(inputs.items())]
    scores = pd.concat([r.scores for r in results], ignore_index=True)
    frames = [scores] + ([previous.astype({"insurer_number": str})] if previous is not None else [])
    qa = [e for r in results for e in r.qa] + crosswalk.number_conflicts(
        pd.concat(frames, ignore_index=True), stage=STAGE
    )
    insurers = pd.concat([r.insurers for r in results], ignore_index=True)
    measures = pd.concat([r.measures for r in results], ignore_index=True)
    qa += _check_previous_totals(insurers, measures)
    counts = {k: sum(r.counts.get(k, 0) for r in results) for k in COUNT_KEYS}
    files = {fy: c for r in results for fy, c in r.files.items()}
    return CleanResult(
        scores.sort_values(["fiscal_year"], kind="stable").reset_index(drop=True),
        qa,
        counts,
        files,
        benchmark=pd.concat([r.benchmark for r in results], ignore_index=True),
        insurers=insurers,
        measures=measures,
        without_insurer_number={fy: n for r in results for fy, n in r.without_insurer_number.items()},
    )


def _check_previous_totals(insurers: pd.DataFrame, measures: pd.DataFrame) -> list[QAEntry]:
    """The prefecture's previous-year totals written in a file against the previous year's
    file, when both were cleaned."""
    pref = insurers[insurers["municipality_code"] != ""]
    total = measures[measures["measure"] == "合計"][["fiscal_year", "src_row", "points"]]
    now = pref.merge(total, on=["fiscal_year", "src_row"])
    before = now[["fiscal_year", "municipality_code", "points"]].assign(fiscal_year=lambda d: d["fiscal_year"] + 1)
    both = now.merge(before.rename(columns={"points": "before"}), on=["fiscal_year", "municipality_code"])
    off = both[both["previous_total"].notna() & ((both["previous_total"] - both["before"]).abs() > totals.TOLERANCE)]
    return [
        QAEntry(
            STAGE,
            "",
            f"{r.municipality_name}: the {reiwa_fiscal_year(r.fiscal_year)} file's previous-year total "
            f"{r.previous_total:g} differs from the {reiwa_fiscal_year(r.fiscal_year - 1)} file's 推進・支援合計 {r.before:g}",
            "reported",
            row=int(r.src_row),
            column="前年度合計得点",
            value=f"{r.previous_total:g}",
        )
        for r in off.itertuples()
    ]
