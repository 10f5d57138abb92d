"""Source adapters (データ源ごとの読み込み): each layout -> one tidy frame + QA entries.

Every adapter detects the encoding (:mod:`encoding`), finds columns by header text (never
by position) and keeps codes as text. The facility adapters read the national open-data
files as published: :mod:`homecare.facilities.scope` keeps the rows of the prefecture in
scope by the file's own codes (others are counted as out of scope, never geocoded) and gives
each row its unit from those codes; :mod:`homecare.facilities.capacity` reads 定員/病床数 by
the rule of the type. They return a :class:`~homecare.core.qa.Cleaned` of
:data:`RECORD_COLUMNS`: rows in = kept + out of scope + quarantined (a row without a name or
an address, or whose own columns contradict each other about the prefecture).

Layouts:

- 医療情報ネット (ナビイ) hospital / clinic CSV (65 columns in 2025-12): ID, 正式名称, 機関区分,
  都道府県コード (2 digits), 市区町村コード (3 digits), 所在地, 所在地座標（緯度）,
  所在地座標（経度）, 休診 columns, *病床, 合計病床数.
- 介護サービス情報公表システム ``jigyosho_<service>.csv`` (24 columns, all prefectures):
  都道府県コード又は市町村コード (6 digits with check digit), No, 都道府県名, 市区町村名, 事業所名,
  住所 (sometimes without prefecture and city), 方書, 緯度, 経度, 事業所番号, 定員, ...
- 協力医療機関 notification list (template, docs/facilities_geocoding.md): 施設名, 施設種別,
  事業所番号, 所在地, 要件①, 要件②, 要件③, 協力医療機関1..n, 届出日.
- ICT-network participant list (template): ネットワーク名, 施設名, 施設種別, 所在地.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from homecare.core import paths, provenance
from homecare.core.encoding import read_csv_text
from homecare.core.errors import InputError, ReferenceDataError
from homecare.core.qa import Cleaned, QAEntry, Reconciliation
from homecare.facilities.address import complete_address, match_key, prefecture_name
from homecare.facilities.capacity import read_capacity
from homecare.facilities.coords import to_float
from homecare.facilities.gazetteer import municipality_forms
from homecare.facilities.scope import OUT_OF_SCOPE, Scope, care_scope, check_prefecture_code, medical_scope, scope_qa
from homecare.reference import municipalities

STAGE = "02_facilities"
SOURCE_MEDICAL = "医療情報ネット"
SOURCE_CARE = "介護サービス情報公表システム"
CARE_SERVICE_CODES = ("130", "510", "520", "550", "320", "331", "332", "540", "430", "770")

RECORD_COLUMNS = [
    "source",
    "source_file",
    "source_row",
    "source_id",
    "facility_type",
    "name",
    "address",
    "geocode_address",
    "building",
    "code_hint",
    "src_lat",
    "src_lon",
    "capacity",
    "encoding",
]


@lru_cache(maxsize=1)
def load_facility_types() -> pd.DataFrame:
    """``data/raw/reference/facility_types.csv``: facility_type code, label, short label,
    category (medical|care), source, service code, council categories."""
    path = paths.reference_dir() / "facility_types.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if df["facility_type"].duplicated().any():
        raise ReferenceDataError(f"{paths.relative(path)}: facility_type listed twice")
    return df


def facility_type_labels() -> dict[str, str]:
    """facility_type code -> Japanese label (病院, 訪問看護, ...)."""
    provenance.note_input(paths.reference_dir() / "facility_types.csv")
    df = load_facility_types()
    return dict(zip(df["facility_type"], df["label"], strict=True))


def load_category_aliases(list_name: str) -> dict[str, tuple[str, str]]:
    """Written facility type -> (council category, obligation) for ``cooperation`` or ``ict``
    (``data/raw/reference/facility_category_aliases.csv``)."""
    path = paths.reference_dir() / "facility_category_aliases.csv"
    provenance.note_input(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#", encoding="utf-8")
    df = df[df["list"] == list_name]
    return {match_key(w): (c, o) for w, c, o in zip(df["written_form"], df["category"], df["obligation"], strict=True)}


def _find_column(df: pd.DataFrame, candidates: tuple[str, ...], file: str, *, required: bool = True) -> str | None:
    """The first header matching one of ``candidates`` (NFKC, spaces ignored; exact match
    first, then containment), so that minor header wording changes do not break a read."""
    keys = {match_key(c): c for c in df.columns}
    for cand in candidates:
        if match_key(cand) in keys:
            return keys[match_key(cand)]
    for cand in candidates:
        for k, col in keys.items():
            if match_key(cand) in k:
                return col
    if required:
        header = ", ".join(c for c in df.columns if c != "source_row")
        raise InputError(f"no column {' / '.join(candidates)} in the header ({header})", file=file)
    return None


def _clean(values: pd.Series) -> pd.Series:
    """Text cells: NFKC-insensitive trimming only (the wording is kept as written)."""
    return values.fillna("").astype(str).str.strip()


def _quarantine_empty(df: pd.DataFrame, file: str, qa: list[QAEntry], columns: dict[str, str]) -> pd.DataFrame:
    """Quarantine rows whose required cells are empty; one QA entry per cell."""
    bad = pd.Series(False, index=df.index)
    for col, label in columns.items():
        empty = df[col] == ""
        for i in df.index[empty]:
            qa.append(
                QAEntry(
                    STAGE,
                    file,
                    f"{label}が空のため所在地の特定・重複確認ができない",
                    "quarantined",
                    row=int(df.at[i, "source_row"]),
                    column=label,
                )
            )
        bad |= empty
    return df[~bad]


def _open(path: str | Path) -> tuple[pd.DataFrame, str, str, list[QAEntry], Callable[..., str | None]]:
    """Read a source CSV: (frame with ``source_row``, encoding, file as recorded, empty QA
    list, a column finder by header text for this file)."""
    raw, enc = read_csv_text(path)
    file = paths.relative(paths.resolve(path))
    raw["source_row"] = range(2, len(raw) + 2)  # line 1 is the header, as in Excel

    def col(*candidates: str, required: bool = True) -> str | None:
        return _find_column(raw, candidates, file, required=required)

    return raw, enc, file, [], col


def _unknown_type_qa(out: pd.DataFrame, mapped: str, file: str, qa: list[QAEntry]) -> None:
    """QA entry for each written facility type missing from facility_category_aliases.csv."""
    for i in out.index[out[mapped] == ""]:
        qa.append(
            QAEntry(
                STAGE,
                file,
                "施設種別が対応表（facility_category_aliases.csv）にない",
                "kept",
                row=int(out.at[i, "source_row"]),
                column="施設種別",
                value=out.at[i, "written_type"],
            )
        )


def _frame(df: pd.DataFrame, **cols: object) -> pd.DataFrame:
    out = pd.DataFrame({c: cols.get(c, "") for c in RECORD_COLUMNS}, index=df.index)
    return out[RECORD_COLUMNS]


def _quarantine_scope(raw: pd.DataFrame, scope: Scope, file: str, column: str, qa: list[QAEntry]) -> None:
    """One QA entry per row quarantined by the scope rules (its own columns contradict each
    other about the prefecture, or name none)."""
    bad = scope.quarantine != ""
    qa += [
        QAEntry(STAGE, file, reason, "quarantined", row=int(r), column=column, value=v)
        for r, reason, v in zip(raw.loc[bad, "source_row"], scope.quarantine[bad], raw.loc[bad, column], strict=True)
    ]


def _records(
    raw: pd.DataFrame,
    scope: Scope,
    *,
    file: str,
    qa: list[QAEntry],
    scope_column: str,
    facility_type: str,
    labels: dict[str, str],
    encoding: str,
    columns: Callable[[pd.DataFrame], dict[str, object]],
) -> Cleaned:
    """What both facility adapters do once the scope is known: QA of the scope (quarantined
    rows, one out-of-scope line), the rows in scope as :data:`RECORD_COLUMNS` (``columns``
    gives the source-specific ones from those rows), capacity by the type's rule, the address
    to geocode; rows without a name or an address (``labels``: their column names in the
    file) are quarantined. Rows in = kept + out of scope + quarantined."""
    _quarantine_scope(raw, scope, file, scope_column, qa)
    qa += scope_qa(scope, file, scope.prefecture_code, scope_column)
    keep = scope.in_scope
    sub = raw[keep]
    capacity, capacity_qa = read_capacity(sub, facility_type, file)
    qa += capacity_qa
    own = columns(sub)
    df = _frame(
        sub,
        **own,
        source_file=file,
        source_row=sub["source_row"],
        facility_type=facility_type,
        geocode_address=_built_addresses(
            own["address"], scope.prefecture[keep].map(prefecture_name), scope.municipality[keep]
        ),
        code_hint=scope.unit[keep],
        capacity=capacity,
        encoding=encoding,
    )
    df = _quarantine_empty(df, file, qa, labels)
    out = int(scope.out_of_scope.sum())
    counts = Reconciliation(len(raw), len(df), len(raw) - len(df) - out, ((OUT_OF_SCOPE, out),))
    return Cleaned(df.reset_index(drop=True), qa, counts.check())


def _built_addresses(address: pd.Series, prefecture: pd.Series, municipality: pd.Series) -> pd.Series:
    """The address to geocode: the written one, or with 都道府県名・市区町村名 from the file's own
    columns put in front when it lacks them (:func:`address.complete_address`)."""
    forms = municipality_forms() if len(address) else frozenset()
    return pd.Series(
        [
            complete_address(a, p, m, forms) if a and p and m else a
            # lists: iterating Arrow-backed text columns value by value is several times slower
            for a, p, m in zip(address.tolist(), prefecture.tolist(), municipality.tolist(), strict=True)
        ],
        index=address.index,
        dtype=object,
    )


def read_medical(
    path: str | Path, facility_type: str, prefecture_code: str = municipalities.PREFECTURE_CODE
) -> Cleaned:
    """医療情報ネット hospital (``hospital``) or clinic (``clinic``) facility CSV, national or
    one prefecture: rows of ``prefecture_code`` (by 都道府県コード) are kept, the others
    counted as out of scope; the unit comes from 都道府県コード + 市区町村コード."""
    if facility_type not in ("hospital", "clinic"):
        raise InputError(f"facility_type must be hospital or clinic, got {facility_type!r}", file=str(path))
    pref_code = check_prefecture_code(prefecture_code)
    raw, enc, file, qa, col = _open(path)
    address_col = col("所在地")
    scope = medical_scope(
        raw,
        file,
        prefecture_col=col("都道府県コード"),
        city_col=col("市区町村コード"),
        address_col=address_col,
        prefecture_code=pref_code,
    )
    return _records(
        raw,
        scope,
        file=file,
        qa=qa,
        scope_column=col("都道府県コード"),
        facility_type=facility_type,
        labels={"name": "正式名称", "address": "所在地"},
        encoding=enc,
        columns=lambda sub: {
            "source": SOURCE_MEDICAL,
            "source_id": _clean(sub[col("ID")]),
            "name": _clean(sub[col("正式名称", "名称")]),
            "address": _clean(sub[address_col]),
            "building": "",
            "src_lat": to_float(sub[col("所在地座標（緯度）", "緯度")]),
            "src_lon": to_float(sub[col("所在地座標（経度）", "経度")]),
        },
    )


_SERVICE_IN_NAME = re.compile(r"(\d{3})")


def read_care(
    path: str | Path, service_code: str | None = None, prefecture_code: str = municipalities.PREFECTURE_CODE
) -> Cleaned:
    """介護サービス情報公表システム CSV of one service (``jigyosho_130.csv`` ...), national as
    published: rows of ``prefecture_code`` (by 都道府県コード又は市町村コード, 都道府県名) are
    kept, the others counted as out of scope. The service code is taken from ``service_code``
    or the file name."""
    p = paths.resolve(path)
    file = paths.relative(p)
    if service_code is None:
        m = _SERVICE_IN_NAME.search(p.stem)
        service_code = m.group(1) if m else ""
    if service_code not in CARE_SERVICE_CODES:
        raise InputError(
            f"service code {service_code!r} is not one of {', '.join(CARE_SERVICE_CODES)} "
            f"(name the file jigyosho_<code>.csv or pass the code)",
            file=file,
        )
    pref_code = check_prefecture_code(prefecture_code)
    raw, enc, file, qa, col = _open(p)
    code_col = col("都道府県コード又は市町村コード", "市町村コード")
    office_col = col("事業所番号")
    scope = care_scope(
        raw,
        file,
        code_col=code_col,
        prefecture_col=col("都道府県名", required=False),
        municipality_col=col("市区町村名", required=False),
        office_col=office_col,
        prefecture_code=pref_code,
    )
    building_col = col("方書", required=False)
    return _records(
        raw,
        scope,
        file=file,
        qa=qa,
        scope_column=code_col,
        facility_type=service_code,
        labels={"name": "事業所名", "address": "住所"},
        encoding=enc,
        columns=lambda sub: {
            "source": SOURCE_CARE,
            "source_id": _clean(sub[office_col]).str.normalize("NFKC"),
            "name": _clean(sub[col("事業所名")]),
            "address": _clean(sub[col("住所")]),
            "building": _clean(sub[building_col]) if building_col else "",
            "src_lat": to_float(sub[col("緯度")]),
            "src_lon": to_float(sub[col("経度")]),
        },
    )


_YES = {"○", "◯", "〇", "有", "あり", "済", "1", "はい", "true", "yes", "✓"}
_NO = {"×", "✕", "無", "なし", "未", "0", "いいえ", "false", "no", "-", "ー", ""}


def _flag(value: str) -> bool | None:
    v = unicodedata.normalize("NFKC", value).strip().lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    return None


def read_cooperation(path: str | Path) -> tuple[pd.DataFrame, list[QAEntry]]:
    """協力医療機関 notification list (one row per facility; template in the docs).

    Returns ``source_file, source_row, source_id, name, address, written_type, category,
    obligation, requirement_1..3, requirements_met, requirement_status, partners,
    n_partners, notified_on``; ``requirement_status`` is 全要件 (①②③ all met), 一部要件 or
    その他 (none met or not stated), as in the council table.
    """
    raw, _, file, qa, col = _open(path)
    aliases = load_category_aliases("cooperation")
    out = pd.DataFrame(index=raw.index)
    out["source_file"] = file
    out["source_row"] = raw["source_row"]
    sid = col("事業所番号", required=False)
    out["source_id"] = _clean(raw[sid]).str.normalize("NFKC") if sid else ""
    out["name"] = _clean(raw[col("施設名")])
    out["address"] = _clean(raw[col("所在地", "住所")])
    out["written_type"] = _clean(raw[col("施設種別")])
    cats = [aliases.get(match_key(t)) for t in out["written_type"]]
    out["category"] = [c[0] if c else "" for c in cats]
    out["obligation"] = [c[1] if c else "" for c in cats]
    _unknown_type_qa(out, "category", file, qa)
    met = pd.Series(0, index=raw.index)
    for k, mark in enumerate("①②③", start=1):
        c = col(f"要件{mark}", f"要件{k}")
        flags = []
        for row, v in zip(raw["source_row"], _clean(raw[c]), strict=True):
            f = _flag(v)
            if f is None:
                qa.append(
                    QAEntry(
                        STAGE,
                        file,
                        "要件の記入が○/×として読めない: 未充足として扱う",
                        "kept",
                        row=int(row),
                        column=c,
                        value=v,
                    )
                )
            flags.append(bool(f))
        out[f"requirement_{k}"] = flags
        met += out[f"requirement_{k}"].astype(int)
    out["requirements_met"] = met
    out["requirement_status"] = met.map(lambda n: "全要件" if n == 3 else ("一部要件" if n > 0 else "その他"))
    partner_cols = [c for c in raw.columns if match_key("協力医療機関") in match_key(c)]
    partners = (
        raw[partner_cols].fillna("").astype(str).apply(lambda r: "|".join(v.strip() for v in r if v.strip()), axis=1)
    )
    out["partners"] = partners if partner_cols else ""
    out["n_partners"] = out["partners"].map(lambda s: len(s.split("|")) if s else 0)
    date_col = col("届出日", required=False)
    out["notified_on"] = _clean(raw[date_col]) if date_col else ""
    out = _quarantine_empty(out, file, qa, {"name": "施設名"})
    return out.reset_index(drop=True), qa


def read_ict_participants(path: str | Path) -> tuple[pd.DataFrame, list[QAEntry]]:
    """ICT collaboration network participant list (ネットワーク名, 施設名, 施設種別, 所在地).

    ``participant_type`` uses the council table's categories (病院, 医科診療所, 歯科診療所,
    薬局, 訪問看護ST, 介護施設（入所）/（非入所）)."""
    raw, _, file, qa, col = _open(path)
    aliases = load_category_aliases("ict")
    out = pd.DataFrame(index=raw.index)
    out["source_file"] = file
    out["source_row"] = raw["source_row"]
    out["network"] = _clean(raw[col("ネットワーク名", "ネットワーク")])
    out["name"] = _clean(raw[col("施設名", "参加施設名")])
    out["written_type"] = _clean(raw[col("施設種別")])
    out["participant_type"] = [aliases.get(match_key(t), ("", ""))[0] for t in out["written_type"]]
    _unknown_type_qa(out, "participant_type", file, qa)
    out["address"] = _clean(raw[col("所在地", "住所")])
    out = _quarantine_empty(out, file, qa, {"network": "ネットワーク名", "name": "施設名"})
    return out.reset_index(drop=True), qa
