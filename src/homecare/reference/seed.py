"""Council seed figures (協議会資料の数値) kept as versioned data files.

The files in ``data/raw/reference/seed/`` transcribe tables of the council material
(令和7年度第2回神奈川県在宅医療推進協議会及び神奈川県地域包括ケア会議, 2026-02-03). They are
real figures, not sample data. Loaders check every sum the material lets us check: a row
that does not add up is an :class:`InputError`; a printed total that disagrees with the sum
of its rows is kept as printed and reported in ``discrepancies`` (figures say so in a note),
because the material itself is the source and must not be silently corrected.
Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from homecare.core import paths, provenance
from homecare.core.errors import InputError

SEED_SOURCE = "令和7年度第2回神奈川県在宅医療推進協議会及び神奈川県地域包括ケア会議 資料（2026年2月3日）"
COOPERATION_FILE = "cooperation_status_2025-08-01.csv"
COOPERATION_AS_OF = "令和7年8月1日時点"  # the 時点 the council material states for the file
ICT_NETWORKS_FILE = "ict_networks_2025-12.csv"
ICT_COVERAGE_FILE = "ict_network_coverage.csv"

COOPERATION_STATUSES = {  # column -> label as in the material
    "all_requirements": "全要件",
    "some_requirements": "一部要件",
    "other": "その他",
}
ICT_PARTICIPANT_TYPES = {  # column -> 施設種別 as in the material
    "hospital": "病院",
    "clinic": "医科診療所",
    "dental_clinic": "歯科診療所",
    "pharmacy": "薬局",
    "visiting_nursing": "訪問看護ステーション",
    "care_facility": "介護施設",
    "care_facility_residential": "入所介護施設",
    "care_facility_nonresidential": "非入所介護施設",
}
COVERAGE_BASES = ("seed", "seed_area", "verify")


@dataclass(frozen=True)
class SeedTable:
    """A seed table with the file it came from and any printed totals that do not add up."""

    data: pd.DataFrame
    path: Path
    discrepancies: tuple[str, ...] = ()


def seed_dir() -> Path:
    """``data/raw/reference/seed``."""
    return paths.reference_dir() / "seed"


def _read(name: str, dtype: dict[str, str] | None = None) -> tuple[pd.DataFrame, Path]:
    path = seed_dir() / name
    if not path.is_file():
        raise InputError("seed data file missing", file=paths.relative(path))
    provenance.note_input(path)
    return pd.read_csv(path, encoding="utf-8", dtype=dtype or {}), path


def _require_int(df: pd.DataFrame, columns: list[str], where: str, *, allow_blank: bool) -> pd.DataFrame:
    """Counts as nullable integers; a non-integer or (unless allowed) blank cell is an error."""
    out = df.copy()
    for col in columns:
        values = pd.to_numeric(out[col], errors="coerce")
        bad = out[col].notna() & (values.isna() | (values % 1 != 0) | (values < 0))
        if not allow_blank:
            bad |= out[col].isna()
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(
                "count must be a non-negative integer", file=where, row=i + 2, column=col, value=out[col].iloc[i]
            )
        out[col] = values.astype("Int64")
    return out


def _check_row_sums(
    df: pd.DataFrame, parts: list[str], total: str, label: str, where: str, rows: pd.Series | None = None
) -> None:
    """Every row's ``parts`` (blanks as 0) must add up to its ``total``: a transcription typo
    is an InputError naming the CSV line and the row's label column."""
    sums = df[parts].fillna(0).sum(axis=1)
    bad = (sums != df[total]) & (rows if rows is not None else True)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{total} {df[total].iloc[i]} != sum of {'+'.join(parts)} {int(sums.iloc[i])}",
            file=where,
            row=i + 2,
            column=total,
            value=df[label].iloc[i],
        )


def load_cooperation_status() -> SeedTable:
    """協力医療機関の届出状況（県域、令和7年8月1日時点）: one row per facility type with
    ``facility_type, obligation`` (義務化 / 努力義務), ``facility_count`` and the three status
    counts. Checks each row adds up and compares the printed 計 with the row sums."""
    df, path = _read(COOPERATION_FILE)
    where = paths.relative(path)
    counts = ["facility_count", *COOPERATION_STATUSES]
    df = _require_int(df, counts, where, allow_blank=False)
    _check_row_sums(
        df, list(COOPERATION_STATUSES), "facility_count", "facility_type", where, rows=df["row_kind"] == "detail"
    )
    detail = df[df["row_kind"] == "detail"].drop(columns="row_kind").reset_index(drop=True)
    printed = df[df["row_kind"] == "total_as_printed"]
    if len(printed) != 1:
        raise InputError("expected exactly one row with row_kind=total_as_printed (計)", file=where)
    discrepancies = []
    for col in counts:
        total, rows_sum = int(printed[col].iloc[0]), int(detail[col].sum())
        if total != rows_sum:
            label = COOPERATION_STATUSES.get(col, "施設数")
            discrepancies.append(f"資料の計の{label}は{total}だが、施設種別の合計は{rows_sum}")
    return SeedTable(detail, path, tuple(discrepancies))


def load_ict_networks() -> SeedTable:
    """ICT連携ネットワークの参加施設数（令和7年12月時点）in long form: ``network, system_type,
    as_of, participant_type`` (施設種別 as printed), ``participants``, plus ``residents`` per
    network. Types a network does not report are left out (not zero). Checks that the types add
    up to the printed total."""
    df, path = _read(ICT_NETWORKS_FILE, dtype={"as_of": str, "service_start": str})
    where = paths.relative(path)
    df = _require_int(df, [*ICT_PARTICIPANT_TYPES, "total_as_printed", "residents"], where, allow_blank=True)
    _check_row_sums(df, list(ICT_PARTICIPANT_TYPES), "total_as_printed", "network", where)
    long = df.melt(
        id_vars=["network", "system_type", "as_of", "residents", "total_as_printed"],
        value_vars=list(ICT_PARTICIPANT_TYPES),
        var_name="participant_code",
        value_name="participants",
    ).dropna(subset=["participants"])
    long["participant_type"] = long["participant_code"].map(ICT_PARTICIPANT_TYPES)
    order = {n: k for k, n in enumerate(df["network"])}
    type_order = {c: k for k, c in enumerate(ICT_PARTICIPANT_TYPES)}
    long = long.sort_values(
        ["network", "participant_code"], key=lambda s: s.map(order if s.name == "network" else type_order)
    ).reset_index(drop=True)
    cols = [
        "network",
        "system_type",
        "as_of",
        "participant_code",
        "participant_type",
        "participants",
        "total_as_printed",
        "residents",
    ]
    return SeedTable(long[cols], path)


def load_ict_coverage() -> SeedTable:
    """ICT連携ネットワークの対象地域 by unit: ``network, coverage_as_printed, municipality_code,
    municipality_name, basis`` (seed / seed_area / verify), ``note``. Codes must be units."""
    from homecare.reference import municipalities

    df, path = _read(ICT_COVERAGE_FILE, dtype={"municipality_code": str})
    where = paths.relative(path)
    units = set(municipalities.units()["municipality_code"])
    for i, row in df.iterrows():
        if row["municipality_code"] not in units:
            raise InputError(
                "not one of the 58 unit codes",
                file=where,
                row=int(i) + 2,
                column="municipality_code",
                value=row["municipality_code"],
            )
        if row["basis"] not in COVERAGE_BASES:
            raise InputError(
                f"basis must be one of {COVERAGE_BASES}", file=where, row=int(i) + 2, column="basis", value=row["basis"]
            )
    twice = df[df.duplicated(["network", "municipality_code"], keep=False)]
    if not twice.empty:
        raise InputError("unit listed twice for one network", file=where, value=sorted(set(twice["municipality_code"])))
    return SeedTable(df, path)
