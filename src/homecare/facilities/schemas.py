"""pandera schemas of the facility tables in ``data/processed`` (施設データの型と制約)."""

from __future__ import annotations

import pandera.pandas as pa

CODE5 = r"^14\d{3}$"
MATCH_LEVELS = ["town", "municipality", "none"]


def _facility_types() -> list[str]:
    from homecare.facilities.read import load_facility_types

    return load_facility_types()["facility_type"].tolist()


def merged_schema() -> pa.DataFrameSchema:
    """``facilities_raw_merged``: every source record kept, with id and duplicate links."""
    return pa.DataFrameSchema(
        {
            "facility_id": pa.Column(str, unique=True),
            "source": pa.Column(str),
            "source_file": pa.Column(str),
            "source_row": pa.Column(int, pa.Check.ge(2)),
            "source_id": pa.Column(str),
            "facility_type": pa.Column(str, pa.Check.isin(_facility_types())),
            "facility_type_label": pa.Column(str),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "address": pa.Column(str, pa.Check.str_length(min_value=1)),
            "geocode_address": pa.Column(str, pa.Check.str_length(min_value=1)),
            "building": pa.Column(str),
            "source_municipality_code": pa.Column(str, pa.Check.str_matches(CODE5), nullable=True),
            "src_lat": pa.Column(float, nullable=True),
            "src_lon": pa.Column(float, nullable=True),
            "capacity": pa.Column(float, pa.Check.ge(0), nullable=True),
            "duplicate_group": pa.Column(str),
            "n_in_group": pa.Column(int, pa.Check.ge(1)),
            "is_primary": pa.Column(bool),
        },
        strict=True,
        coerce=True,
    )


def facilities_schema() -> pa.DataFrameSchema:
    """``facilities``: one row per source record, geocoded and assigned to an area."""
    return pa.DataFrameSchema(
        {
            "facility_id": pa.Column(str, unique=True),
            "source": pa.Column(str),
            "source_file": pa.Column(str),
            "source_row": pa.Column(int),
            "source_id": pa.Column(str),
            "facility_type": pa.Column(str, pa.Check.isin(_facility_types())),
            "facility_type_label": pa.Column(str),
            "name": pa.Column(str),
            "address": pa.Column(str),
            "municipality_code": pa.Column(str, pa.Check.str_matches(CODE5), nullable=True),
            "municipality_name": pa.Column(str, nullable=True),
            "town": pa.Column(str, nullable=True),
            "lat": pa.Column(float, pa.Check.in_range(20, 46), nullable=True),
            "lon": pa.Column(float, pa.Check.in_range(122, 154), nullable=True),
            "match_level": pa.Column(str, pa.Check.isin(MATCH_LEVELS)),
            "coord_source": pa.Column(str, pa.Check.isin(["source", "geocoded", "source_swapped", "none"])),
            "coord_status": pa.Column(str),
            "area": pa.Column(str, nullable=True),
            "area_scheme": pa.Column(str),
            "geocode_note": pa.Column(str),
            "point_municipality_code": pa.Column(str, nullable=True),
            "point_distance_m": pa.Column(float, nullable=True),
            "disagreement": pa.Column(bool),
            "source_municipality_code": pa.Column(str, nullable=True),
            "duplicate_group": pa.Column(str),
            "is_primary": pa.Column(bool),
            "capacity": pa.Column(float, nullable=True),
        },
        strict=True,
        coerce=True,
    )


def _list_columns(own: dict[str, pa.Column]) -> dict[str, pa.Column]:
    """Columns of a geocoded list (協力医療機関, ICT): source location, own columns, unit/area."""
    return {
        "source_file": pa.Column(str),
        "source_row": pa.Column(int),
        **own,
        "municipality_code": pa.Column(str, pa.Check.str_matches(CODE5), nullable=True),
        "municipality_name": pa.Column(str, nullable=True),
        "area": pa.Column(str, nullable=True),
        "area_scheme": pa.Column(str),
        "match_level": pa.Column(str, pa.Check.isin(MATCH_LEVELS)),
        "geocode_note": pa.Column(str),
    }


def cooperation_schema() -> pa.DataFrameSchema:
    """``cooperation_notifications``: 協力医療機関の届出, one row per facility."""
    return pa.DataFrameSchema(
        _list_columns(
            {
                "source_id": pa.Column(str),
                "name": pa.Column(str),
                "address": pa.Column(str),
                "written_type": pa.Column(str),
                "category": pa.Column(str),
                "obligation": pa.Column(str, pa.Check.isin(["義務", "努力義務", ""])),
                "requirement_1": pa.Column(bool),
                "requirement_2": pa.Column(bool),
                "requirement_3": pa.Column(bool),
                "requirements_met": pa.Column(int, pa.Check.in_range(0, 3)),
                "requirement_status": pa.Column(str, pa.Check.isin(["全要件", "一部要件", "その他"])),
                "partners": pa.Column(str),
                "n_partners": pa.Column(int),
                "notified_on": pa.Column(str),
            }
        ),
        strict=True,
        coerce=True,
    )


def ict_schema() -> pa.DataFrameSchema:
    """``ict_participants``: ICT連携ネットワークの参加施設."""
    return pa.DataFrameSchema(
        _list_columns(
            {
                "network": pa.Column(str),
                "name": pa.Column(str),
                "written_type": pa.Column(str),
                "participant_type": pa.Column(str),
                "address": pa.Column(str),
            }
        ),
        strict=True,
        coerce=True,
    )
