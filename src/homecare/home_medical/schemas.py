"""pandera schemas of the home-care tables in ``data/processed`` (在宅医療の処理済み表).

``home_care_institutions``: the institutions of the 届出受理医療機関名簿 that hold a home-care supply
notification (在支診, 在支病, 在後病), geocoded to a unit and area and linked to 医療情報ネット;
``home_care_activity``: the 地域別データ集 items of the prefecture, one row per municipality and
item. Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandera.pandas as pa

from homecare.home_medical.link import RULES
from homecare.home_medical.symbols import SUPPORT_TYPES

CODE5 = r"^\d{5}$"
_TYPES = ["", *SUPPORT_TYPES]


def institutions_schema() -> pa.DataFrameSchema:
    """``home_care_institutions``: one row per home-care institution of the list."""
    return pa.DataFrameSchema(
        {
            "prefecture_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}$")),
            "institution_number": pa.Column(str, pa.Check.str_matches(r"^\d{7}$"), unique=True),
            "institution_code": pa.Column(str, pa.Check.str_matches(r"^\d{10}$")),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "address": pa.Column(str),
            "support_clinic_type": pa.Column(str, pa.Check.isin(_TYPES)),
            "support_hospital_type": pa.Column(str, pa.Check.isin(_TYPES)),
            "backup_hospital": pa.Column(bool),
            "supply_symbols": pa.Column(str),
            "support_start_date": pa.Column(str),
            "municipality_code": pa.Column(str, pa.Check.str_matches(CODE5), nullable=True),
            "municipality_name": pa.Column(str, nullable=True),
            "source_code": pa.Column(str, pa.Check.str_matches(CODE5), nullable=True),
            "area": pa.Column(str, nullable=True),
            "area_scheme": pa.Column(str),
            "match_level": pa.Column(str),
            "lat": pa.Column(float, pa.Check.in_range(20, 46), nullable=True),
            "lon": pa.Column(float, pa.Check.in_range(122, 154), nullable=True),
            "geocode_note": pa.Column(str),
            "facility_id": pa.Column(str),
            "link_rule": pa.Column(str, pa.Check.isin(["", *RULES])),
            "link_note": pa.Column(str),
            "source_file": pa.Column(str),
            "source_row": pa.Column(int, pa.Check.ge(1)),
            "list_date": pa.Column(str),
        },
        strict=True,
        coerce=True,
    )


def activity_schema() -> pa.DataFrameSchema:
    """``home_care_activity``: the データ集 values of the prefecture (NaN where withheld or blank)."""
    return pa.DataFrameSchema(
        {
            "sheet": pa.Column(str),
            "item_id": pa.Column(str),
            "item_no": pa.Column(int, pa.Check.ge(1)),
            "municipality_code": pa.Column(str, pa.Check.str_matches(CODE5)),
            "municipality_name": pa.Column(str),
            "level": pa.Column(str, pa.Check.isin(["municipality", "designated_city", "ward"])),
            "value": pa.Column(float, nullable=True),
            "status": pa.Column(str, pa.Check.isin(["ok", "blank", "suppressed", "invalid"])),
            "row": pa.Column(int, pa.Check.ge(1)),
        },
        strict=True,
        coerce=True,
        unique=["sheet", "item_id", "municipality_code"],
    )
