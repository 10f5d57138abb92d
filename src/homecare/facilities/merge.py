"""Merging facility sources (施設データの統合): stable ids, duplicates linked, not dropped.

``facility_id`` is derived from the source's own identifier, so it stays the same when a
new edition of the file reorders rows: ``H<ID>`` (医療情報ネット hospital), ``C<ID>``
(clinic), ``K<service>-<事業所番号>`` (介護サービス情報公表). A record without an identifier
gets ``X<type>-<12 hex>`` from a hash of its normalised name and address. A second record
with the same id in one source gets ``-2``, ``-3`` ... in file order.

``duplicate_group`` links records of one real facility: same normalised name and same
normalised address, or same 事業所番号 and service in two files. Every record stays;
``is_primary`` marks one record per group (医療情報ネット before 介護, then file order),
so that counts of facilities use ``is_primary`` and nothing is lost.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from homecare.core.errors import ParameterError
from homecare.core.qa import Cleaned, QAEntry, Reconciliation
from homecare.facilities import read, schemas
from homecare.facilities.address import match_key, normalize_address, normalize_addresses
from homecare.facilities.scope import OUT_OF_SCOPE
from homecare.reference import municipalities

SOURCE_ORDER = {"医療情報ネット": 0, "介護サービス情報公表システム": 1}
TYPES_NOT_SELECTED = "types not selected"
# Legal-person prefixes are part of how a name is written, not of which facility it is.
_CORP = re.compile(
    r"^(?:医療法人社団|医療法人財団|医療法人|社会福祉法人|一般社団法人|公益社団法人|一般財団法人|公益財団法人|株式会社|有限会社|合同会社|特定非営利活動法人|NPO法人)"
)


def facility_name_key(name: str) -> str:
    """Matching key of a facility name: NFKC, no spaces or punctuation, ヶ/ケ unified."""
    s = match_key(name)
    s = _CORP.sub("", s)
    return re.sub(r"[・･.\-_/()「」『』]", "", unicodedata.normalize("NFKC", s))


def _prefix(source: str, facility_type: str) -> str:
    if facility_type == "hospital":
        return "H"
    if facility_type == "clinic":
        return "C"
    return f"K{facility_type}-"


def facility_ids(df: pd.DataFrame) -> pd.Series:
    """Stable ``facility_id`` per record (see module docstring)."""
    ids = []
    # lists: iterating Arrow-backed text columns value by value is several times slower
    columns = [df[c].tolist() for c in ("source", "facility_type", "source_id", "name", "address")]
    for source, ftype, sid, name, addr in zip(*columns, strict=True):
        sid = unicodedata.normalize("NFKC", str(sid)).strip()
        if sid:
            ids.append(f"{_prefix(source, ftype)}{sid}")
        else:
            digest = hashlib.sha1(
                f"{source}|{ftype}|{facility_name_key(name)}|{normalize_address(addr)}".encode()
            ).hexdigest()[:12]
            ids.append(f"X{ftype}-{digest}")
    s = pd.Series(ids, index=df.index, dtype=object)
    n = s.groupby(s).cumcount()
    return s.where(n == 0, s + "-" + (n + 1).astype(str)).astype(str)


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def link_duplicates(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``duplicate_group`` (the smallest facility_id of the group), ``n_in_group`` and
    ``is_primary``; rows keep their order and nothing is dropped."""
    out = df.copy()
    ids = out["facility_id"].tolist()
    parent = {i: i for i in ids}
    keys = [
        list(
            zip(out["name"].map(facility_name_key).tolist(), normalize_addresses(out["address"].tolist()), strict=True)
        ),
        [(t, s) if s else None for t, s in zip(out["facility_type"].tolist(), out["source_id"].tolist(), strict=True)],
    ]
    for key in keys:
        first: dict[object, str] = {}
        for fid, k in zip(ids, key, strict=True):
            if k is None or k == ("", ""):
                continue
            if k in first:
                a, b = _find(parent, first[k]), _find(parent, fid)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first[k] = fid
    out["duplicate_group"] = [_find(parent, i) for i in ids]
    out["n_in_group"] = out.groupby("duplicate_group")["facility_id"].transform("size").astype(int)
    order = out["source"].map(SOURCE_ORDER).fillna(9)
    rank = pd.DataFrame({"g": out["duplicate_group"], "o": order, "i": range(len(out))}).sort_values(["g", "o", "i"])
    primary = ~rank["g"].duplicated()
    out["is_primary"] = primary.reindex(out.index).astype(bool)
    return out


# -- the merged table of stage 02 ------------------------------------------------------
@dataclass
class Sources(Cleaned):
    """Every source file read: the records in scope, their QA, the total reconciliation and
    one reconciliation per file (rows in = kept + out of scope + types not selected +
    quarantined)."""

    per_file: dict[str, Reconciliation] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)


def read_sources(
    medical_files: dict[str, str],
    care_files: list[str],
    facility_types: list[str] | None = None,
    prefecture_code: str = municipalities.PREFECTURE_CODE,
) -> Sources:
    """Read every facility source (医療情報ネット {facility_type: path}; 介護 jigyosho CSVs;
    an empty path is skipped), keeping the rows of ``prefecture_code`` by the files' own codes.

    ``facility_types`` (codes from facility_types.csv) keeps only those types; records of
    other types are excluded by rule with a QA entry per file, so that the counts still
    reconcile."""
    reads: list[Cleaned] = [
        read.read_medical(path, ftype, prefecture_code) for ftype, path in medical_files.items() if path
    ]
    reads += [read.read_care(path, prefecture_code=prefecture_code) for path in care_files if path]
    if not reads:
        raise ParameterError("no facility file given (hospital_file, clinic_file and care_files are all empty)")
    qa = [e for r in reads for e in r.qa]
    per_file: dict[str, Reconciliation] = {}
    frames = []
    for r in reads:
        df, counts = r.table, r.counts
        file = df["source_file"].iloc[0] if len(df) else _file_of(r)
        excluded = 0
        if facility_types is not None:
            keep = df["facility_type"].isin(facility_types)
            excluded = int((~keep).sum())
            if excluded:
                ftype = df.loc[~keep, "facility_type"].iloc[0]
                qa.append(
                    QAEntry(
                        read.STAGE,
                        file,
                        f"施設種別 {ftype} は対象外（parameters の facility_types）: {excluded}行",
                        "excluded",
                    )
                )
            df = df[keep]
        frames.append(df)
        per_file[file] = Reconciliation(
            counts.rows_in, len(df), counts.quarantined, (*counts.excluded, (TYPES_NOT_SELECTED, excluded))
        ).check()
    records = pd.concat(frames, ignore_index=True)
    total = sum(per_file.values(), Reconciliation(0, 0, 0, ((OUT_OF_SCOPE, 0), (TYPES_NOT_SELECTED, 0))))
    encodings = {r.table["source_file"].iloc[0]: r.table["encoding"].iloc[0] for r in reads if len(r.table)}
    return Sources(records, qa, total.check(), per_file, encodings)


def _file_of(result: Cleaned) -> str:
    """The file a read came from when it kept no row (from its QA entries)."""
    return next((e.file for e in result.qa), "(no rows)")


def build_merged(sources: Cleaned) -> Cleaned:
    """Ids, type labels and duplicate links for the records of :func:`read_sources`."""
    df = sources.table.copy()
    df["facility_id"] = facility_ids(df)
    df = link_duplicates(df)
    df["facility_type_label"] = df["facility_type"].map(read.facility_type_labels())
    df = df.rename(columns={"code_hint": "source_municipality_code"})
    df["source_municipality_code"] = df["source_municipality_code"].replace("", pd.NA)
    cols = list(schemas.merged_schema().columns)
    df = df[cols].sort_values("facility_id", kind="stable").reset_index(drop=True)
    qa = list(sources.qa)
    for row in df[df["n_in_group"] > 1].itertuples():
        if not row.is_primary:
            qa.append(
                QAEntry(
                    read.STAGE,
                    row.source_file,
                    f"重複の可能性: {row.duplicate_group} と同一施設として連結（削除しない）",
                    "kept",
                    row=int(row.source_row),
                    column="正式名称/事業所名",
                    value=row.name,
                )
            )
    return Cleaned(
        df,
        qa,
        Reconciliation(sources.counts.rows_in, len(df), sources.counts.quarantined, sources.counts.excluded).check(),
    )
