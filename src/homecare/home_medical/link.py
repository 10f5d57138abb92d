"""Linking 届出受理医療機関名簿 institutions to 医療情報ネット facilities (医療機関の照合).

Keys are computed by the caller (stage 07 uses the facility topic's name and address keys, so
both sides are normalised the same way); this module only decides. Rules, in order, each used
only when it gives exactly one facility:

1. ``code``: the 10-digit 医療機関コード, when the facility table carries one;
2. ``name_address``: same name key and same address key;
3. ``name``: the name key is unique among the medical facilities (the address differs: moved,
   or written another way);
4. ``address``: one medical facility of the expected kind (病院 for 在支病・在後病, 診療所 for
   在支診) at that address (the name differs: legal-person prefix, renamed).

An institution with no candidate, or with several under every rule, stays unlinked with the
reason (候補なし / 候補が複数). Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd

RULES = ("code", "name_address", "name", "address")
RULE_LABELS = {
    "code": "医療機関コード",
    "name_address": "名称・所在地",
    "name": "名称のみ（所在地が異なる）",
    "address": "所在地のみ（名称が異なる）",
    "": "照合できない",
}
INSTITUTION_KEYS = ("institution_number", "institution_code", "name_key", "address_key", "kind")
FACILITY_KEYS = ("facility_id", "institution_code", "name_key", "address_key", "facility_type")


def _unique(index: pd.DataFrame, key: str) -> tuple[dict[str, str], set[str]]:
    """{key value: facility_id} for values held by exactly one facility, and the values held by several."""
    sub = index[index[key].astype(str) != ""]
    counts = sub[key].value_counts()
    once = sub[sub[key].isin(counts[counts == 1].index)]
    return dict(zip(once[key], once["facility_id"], strict=True)), set(counts[counts > 1].index)


def link_institutions(institutions: pd.DataFrame, facilities: pd.DataFrame) -> pd.DataFrame:
    """One row per institution (its order kept): ``institution_number, facility_id, link_rule,
    link_note``. ``institutions`` has :data:`INSTITUTION_KEYS` (``kind``: hospital, clinic or ''
    when unknown); ``facilities`` has :data:`FACILITY_KEYS` (medical facilities only)."""
    missing = [c for c in INSTITUTION_KEYS if c not in institutions] + [c for c in FACILITY_KEYS if c not in facilities]
    if missing:
        raise KeyError(f"columns missing for linking: {missing}")
    fac = facilities.fillna("").astype(str)
    code, code_many = _unique(fac, "institution_code")
    pair = fac.assign(pair=fac["name_key"] + "|" + fac["address_key"])
    both, both_many = _unique(pair[(fac["name_key"] != "") & (fac["address_key"] != "")], "pair")
    name, name_many = _unique(fac, "name_key")
    by_kind = {kind: _unique(fac[fac["facility_type"] == kind], "address_key") for kind in ("hospital", "clinic")}
    address_any = _unique(fac, "address_key")
    out = []
    for r in institutions.fillna("").astype(str).to_dict("records"):
        several = False
        found, rule = "", ""
        candidates = (
            ("code", r["institution_code"], code, code_many),
            ("name_address", f"{r['name_key']}|{r['address_key']}", both, both_many),
            ("name", r["name_key"], name, name_many),
            ("address", r["address_key"], *by_kind.get(r["kind"], address_any)),
        )
        for this_rule, value, once, many in candidates:
            if not value or value == "|":
                continue
            if value in once:
                found, rule = once[value], this_rule
                break
            several = several or value in many
        note = "" if found else ("候補が複数" if several else "候補なし")
        out.append(
            {"institution_number": r["institution_number"], "facility_id": found, "link_rule": rule, "link_note": note}
        )
    return pd.DataFrame(out, columns=["institution_number", "facility_id", "link_rule", "link_note"])
