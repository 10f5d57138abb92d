"""Stage 07 24時間の在宅医療の提供体制と実績: 在支診・在支病 by type and 在後病 from the 地方厚生局
届出受理医療機関名簿 (geocoded, linked to 医療情報ネット), per population aged 75+ now and in the target
year with the supply needed to keep today's rate; 訪問診療・往診・看取り from the 地域別データ集 against
the national value; the cross-check of the 在支診 count between the two sources.

The orchestration between topics happens here: the list's addresses are geocoded with
:func:`homecare.facilities.geocode.geocode_records`, institutions are linked to the processed
``facilities`` table with the facility topic's name and address keys, and every rate divides by
the one population table through :mod:`homecare.population.rates`. Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from homecare.core import paths, processed, provenance
from homecare.core.errors import InputError, ReferenceDataError
from homecare.core.qa import QA_SCHEMA, QAEntry, qa_frame, qa_table_ja
from homecare.facilities import geocode
from homecare.facilities.address import normalize_address, split_prefecture
from homecare.facilities.assign import DEFAULT_TOLERANCE_M
from homecare.facilities.merge import facility_name_key
from homecare.figures import charts
from homecare.figures import home_medical as figures
from homecare.home_medical import activity, crosscheck, geography, link, published, schemas, supply
from homecare.home_medical.read_databook import Databook, read_databook
from homecare.home_medical.read_notifications import NotificationList, read_notification_list
from homecare.home_medical.symbols import TYPE_LABELS
from homecare.population import rates
from homecare.population import read as population_read
from homecare.publish import disclosure
from homecare.reference import areas, geo
from homecare.stages.base import Stage

STAGE = "07_home_care_supply"
LIST_SOURCE = "関東信越厚生局「届出受理医療機関名簿（医科）」"
DATABOOK_SOURCE = "厚生労働省「在宅医療にかかる地域別データ集」"
FACILITY_SOURCE = "医療情報ネット（処理済み facilities 表）"
MEDICAL_TYPES = ("hospital", "clinic")
# データ集 items the stage uses (activity measures and the 在支診・在支病 counts of the cross-check)
REQUIRED_ITEMS = (
    *(i for m in activity.MEASURES for i in m.items),
    "support_clinics",
    "support_clinics_enhanced_single",
    "support_clinics_enhanced_linked",
    "support_hospitals",
)
ACTIVITY_FIGURE_MEASURES = ("home_visit", "house_call", "end_of_life")


@dataclass
class Sources:
    """The two sources read once, and the files to note again in each section (sample marks)."""

    notifications: NotificationList
    databook: Databook
    files: dict[str, str]  # absolute path -> sha256

    def note(self) -> None:
        """Record the source files as inputs of the open section (no rereading, no rehashing)."""
        for path, digest in self.files.items():
            provenance.note_input(path, sha256=digest)

    @property
    def list_date(self) -> str:
        return self.notifications.as_of_text

    def databook_date(self, item_id: str) -> str:
        """データ時点 of an item as ISO text, for comparing dates ('' when the file states none)."""
        return str(self.databook.items.set_index("item_id").at[item_id, "data_date"])

    def databook_when(self, item_id: str) -> str:
        """データ時点 of an item as the file writes it (「令和5年9月」), for labels."""
        row = self.databook.items.set_index("item_id").loc[item_id]
        return row["data_date_text"] or row["data_date"] or f"{row['data_year']}年"


def read_sources(stage: Stage, notification_file: str, databook_file: str, prefecture_code: str) -> Sources:
    """Read the 届出受理医療機関名簿 and the 地域別データ集 for ``prefecture_code`` (都道府県コード); print
    and record both reconciliations and the institutions counted."""
    with stage.section():
        lst = read_notification_list(notification_file, prefecture_code)
        book = read_databook(databook_file, prefecture_code)
    missing = sorted(set(REQUIRED_ITEMS) - set(book.items["item_id"]))
    if missing:
        raise ReferenceDataError(
            f"the データ集 item map (data/raw/reference/home_medical/databook_items.csv) lacks items stage 07 uses: {missing}"
        )
    files = {}
    for f in (notification_file, databook_file):
        p = paths.resolve(f)
        files[str(p)] = provenance.inputs()[paths.relative(p)]
    stage.reconcile("07 届出受理医療機関名簿", lst.counts)
    stage.reconcile("07 地域別データ集", book.counts)
    summary = institution_summary(lst)
    print(summary)
    stage.rows.update(
        list_institutions=len(lst.institutions),
        list_notifications=len(lst.notifications),
        databook_values=len(book.values),
    )
    stage.notes["list_date"] = lst.as_of_text
    stage.vintage("届出受理医療機関名簿（地方厚生局）", f"{lst.as_of_text}現在" if lst.as_of_text else "時点の記載なし")
    stage.notes["institutions"] = summary
    sources = Sources(lst, book, files)
    stage.vintage("在宅医療にかかる地域別データ集", sources.databook_when("home_visit_clinic_cases"))
    return sources


def institution_summary(lst: NotificationList) -> str:
    """``institutions 630 (553 with a notification); 在支診 75 (…); 在支病 14 (…); 在後病 5``."""
    inst = lst.institutions

    def by_type(column: str) -> str:
        counts = inst[column].value_counts()
        return ", ".join(f"{TYPE_LABELS[t]} {int(counts.get(t, 0))}" for t in TYPE_LABELS)

    return (
        f"institutions {len(inst)} ({int((inst['n_notifications'] > 0).sum())} with a notification); "
        f"在支診 {int((inst['support_clinic_type'] != '').sum())} ({by_type('support_clinic_type')}); "
        f"在支病 {int((inst['support_hospital_type'] != '').sum())} ({by_type('support_hospital_type')}); "
        f"在後病 {int(inst['backup_hospital'].sum())}"
    )


def _address_key(address: pd.Series) -> pd.Series:
    """Address matching key without prefecture and county (both sides write them differently)."""
    keys = address.fillna("").astype(str).map(normalize_address).map(lambda k: split_prefecture(k).body)
    return keys.str.replace(r"^[^市区町村]{1,4}郡(?=.+?[町村])", "", regex=True)


def _medical_facilities() -> pd.DataFrame:
    """Hospitals and clinics of the processed ``facilities`` table (one record per facility)."""
    fac = processed.read_processed("facilities")
    fac = fac[fac["facility_type"].isin(MEDICAL_TYPES) & fac["is_primary"].astype(bool)]
    return fac


def _link_keys(inst: pd.DataFrame, fac: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    hospital = (inst["support_hospital_type"] != "") | inst["backup_hospital"].astype(bool)
    kind = pd.Series("", index=inst.index).mask(inst["support_clinic_type"] != "", "clinic").mask(hospital, "hospital")
    inst_keys = pd.DataFrame(
        {
            "institution_number": inst["institution_number"],
            "institution_code": inst["institution_code"],
            "name_key": inst["name"].map(facility_name_key),
            "address_key": _address_key(inst["address"]),
            "kind": kind,
        }
    )
    code = fac["institution_code"] if "institution_code" in fac.columns else pd.Series("", index=fac.index)
    fac_keys = pd.DataFrame(
        {
            "facility_id": fac["facility_id"],
            "institution_code": code.fillna("").astype(str),
            "name_key": fac["name"].map(facility_name_key),
            "address_key": _address_key(fac["address"]),
            "facility_type": fac["facility_type"],
        }
    )
    return inst_keys, fac_keys


@dataclass
class Located:
    """The home-care institutions placed and linked, and their QA entries."""

    table: pd.DataFrame  # schemas.institutions_schema
    qa: list[QAEntry]
    linked_all: pd.Series  # link rule counts over every institution of the list
    scheme: areas.AreaScheme
    unlinked: pd.DataFrame  # published: home-care institutions not linked, with the reason


def locate_institutions(
    stage: Stage, sources: Sources, area_scheme: str, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> Located:
    """Geocode the home-care institutions (在支診, 在支病, 在後病) with the facility geocoder, link every
    institution of the list to 医療情報ネット, write ``home_care_institutions`` and publish the list of
    home-care institutions and those that could not be linked."""
    with stage.section():
        sources.note()
        scheme = areas.load_scheme(area_scheme)
        inst = sources.notifications.institutions
        fac = _medical_facilities()
        inst_keys, fac_keys = _link_keys(inst, fac)
        links = link.link_institutions(inst_keys, fac_keys)
        held = (inst["support_clinic_type"] != "") | (inst["support_hospital_type"] != "") | inst["backup_hospital"]
        home = inst[held].merge(links, on="institution_number", how="left", validate="1:1").reset_index(drop=True)
        home = _place(home, fac, scheme, tolerance_m, sources.list_date)
        qa = _placement_qa(home, sources.notifications.file)
        table = home[list(schemas.institutions_schema().columns)]
        processed.write_processed(table, "home_care_institutions", schema=schemas.institutions_schema())
        srcs = [f"{LIST_SOURCE}（{sources.list_date}現在）", FACILITY_SOURCE]
        stage.table(
            published.institutions_table(table),
            "07_home_care_institutions",
            title="在宅療養支援診療所・病院・後方支援病院の一覧（所在地・圏域・医療情報ネットとの照合）",
            sheet="在支診・在支病の一覧",
            sources=srcs,
        )
        unlinked = published.unlinked_table(table)
        located = Located(table, qa, links["link_rule"].value_counts(), scheme, unlinked)
        stage.table(
            unlinked,
            "07_unlinked_institutions",
            title="医療情報ネットの施設と照合できない在支診・在支病",
            sheet="照合できない医療機関",
            sources=srcs,
            note="照合の順序：医療機関コード、名称と所在地、名称のみ（一意）、所在地のみ（種別が同じで一意）。",
        )
    stage.rows["home_care_institutions"] = len(table)
    stage.notes["linked"] = {link.RULE_LABELS[r]: int(n) for r, n in located.linked_all.items()}
    linked = int((table["facility_id"] != "").sum())
    rules = ", ".join(f"{link.RULE_LABELS[r]} {int(n)}" for r, n in located.linked_all.items())
    print(
        f"linked to 医療情報ネット: home-care institutions {linked} of {len(table)}; every institution: {rules}; "
        f"placed in a unit: {int(table['municipality_code'].notna().sum())} of {len(table)}"
    )
    return located


def _place(
    home: pd.DataFrame, fac: pd.DataFrame, scheme: areas.AreaScheme, tolerance_m: float, list_date: str
) -> pd.DataFrame:
    """Unit, area and point of each institution: the geocoded address (prefecture prefixed when
    the list leaves it out); the linked facility's unit when the address cannot be placed."""
    pref = home["prefecture_name"].fillna("")
    address = home["address"].fillna("")
    written = [a if a.startswith(p) else f"{p}{a}" for p, a in zip(pref, address, strict=True)]
    geo_ = geocode.geocode_records(pd.Series(written, index=home.index), scheme, tolerance_m=tolerance_m)
    out = home.copy()
    for c in (
        "municipality_code",
        "municipality_name",
        "area",
        "area_scheme",
        "match_level",
        "lat",
        "lon",
        "geocode_note",
    ):
        out[c] = geo_[c]
    out["disagreement"] = geo_["disagreement"]
    for c in ("municipality_code", "municipality_name", "area"):
        out[c] = out[c].replace("", pd.NA)
    fac_unit = fac.set_index("facility_id")["municipality_code"]
    linked_unit = out["facility_id"].fillna("").map(fac_unit)
    fill = out["municipality_code"].isna() & linked_unit.notna()
    if fill.any():
        out.loc[fill, "municipality_code"] = linked_unit[fill]
        out.loc[fill, "area"] = out.loc[fill, "municipality_code"].map(
            scheme.assignment().set_index("municipality_code")["area"]
        )
        out.loc[fill, "geocode_note"] = out.loc[fill, "geocode_note"] + "; 照合した医療情報ネットの施設の区市町村を使用"
    out["facility_unit"] = linked_unit
    out["source_code"] = out["municipality_code"].map(geography.source_code_of_units())
    out["list_date"] = list_date
    out["area_scheme"] = scheme.id
    out["facility_id"] = out["facility_id"].fillna("")
    out["link_rule"] = out["link_rule"].fillna("")
    out["link_note"] = out["link_note"].fillna("")
    return out


def _placement_qa(home: pd.DataFrame, file: str) -> list[QAEntry]:
    """QA entries of placing and linking: not placed, municipality level only, and a unit that
    differs from the linked facility's."""
    qa = []
    for r in home.to_dict("records"):
        where = {
            "sheet": r["sheet"],
            "row": int(r["source_row"]),
            "column": "医療機関所在地（住所）",
            "value": r["address"],
        }
        if pd.isna(r["municipality_code"]):
            qa.append(
                QAEntry(
                    STAGE,
                    file,
                    f"所在地を区市町村に割り当てられない: 県計にのみ数える（{r['geocode_note']}）",
                    "kept",
                    **where,
                )
            )
        elif r["match_level"] == "municipality":
            qa.append(QAEntry(STAGE, file, f"区市町村レベルのみ: {r['geocode_note']}", "kept", **where))
        unit = r["facility_unit"]
        if isinstance(unit, str) and pd.notna(r["municipality_code"]) and unit != r["municipality_code"]:
            qa.append(
                QAEntry(
                    STAGE,
                    file,
                    f"名簿の所在地の区市町村（{r['municipality_code']}）と照合した医療情報ネットの施設（{unit}）が違う: 名簿を使う",
                    "kept",
                    **where,
                )
            )
    return qa


def aged75_at(pop: pd.DataFrame, scheme: areas.AreaScheme, year: int) -> tuple[pd.Series, str]:
    """Population aged 75+ per area for ``year``: the table's own year, else a linear interpolation
    between the two years around it (the table holds every 5th year), else the nearest year.
    Returns the series and how the year was taken, for labels."""
    years = sorted(set(pop["year"].astype(int)))
    if year in years:
        return rates.aged75_by_area(pop, scheme, year)[0], f"{year}年"
    lower = max((y for y in years if y < year), default=None)
    upper = min((y for y in years if y > year), default=None)
    if lower is None or upper is None:
        nearest = min(years, key=lambda y: abs(y - year))
        return rates.aged75_by_area(pop, scheme, nearest)[0], f"{nearest}年（{year}年に最も近い年）"
    a, b = rates.aged75_by_area(pop, scheme, lower)[0], rates.aged75_by_area(pop, scheme, upper)[0]
    weight = (year - lower) / (upper - lower)
    return a + (b - a.reindex(b.index)) * weight, f"{year}年（{lower}年と{upper}年の補間）"


def _national(sources: Sources, items: tuple[str, ...]) -> float | None:
    values = sources.databook.national.set_index("item_id")["value"]
    got = [values.get(i) for i in items]
    return None if any(v is None or pd.isna(v) for v in got) else float(sum(got))


def supply_by_area(
    stage: Stage, sources: Sources, located: Located, *, target_year: int, national_population_year: int
) -> pd.DataFrame:
    """在支診・在支病 by type and 在後病 per area and per municipality, per population aged 75+ now (the
    list's year) and in ``target_year`` at today's count, the share of 機能強化型 and the count the
    target year needs; the map and the bar chart against the prefecture and national values."""
    if sources.notifications.as_of is None:
        raise InputError(
            "the list states no 「…現在」 date above its header: its year is needed for the rates",
            file=sources.notifications.file,
        )
    year = sources.notifications.as_of.year
    with stage.section():
        sources.note()
        pop = population_read.read_population_by_unit()
        national_pop = activity.load_national_population(national_population_year)
        out = {}
        for scheme in (located.scheme, geography.municipality_scheme()):
            now, now_label = aged75_at(pop, scheme, year)
            target, _ = aged75_at(pop, scheme, target_year)
            counts = supply.supply_counts(located.table, scheme)
            out[scheme.id] = supply.supply_rates(counts, now, target, per=rates.PER)
            out[scheme.id].attrs["now_label"] = now_label
        scheme = located.scheme
        area_rates = out[scheme.id]
        now_label = area_rates.attrs["now_label"]
        srcs = [
            f"{LIST_SOURCE}（{sources.list_date}現在）",
            f"人口：{population_read.processed_source_label()}",
        ]
        national_srcs = [
            f"全国値：{DATABOOK_SOURCE}（{sources.databook_when('support_clinics')}）",
            national_pop.source,
        ]
        note = (
            f"{target_year}年の率は現在の数を{target_year}年の75歳以上人口で割った値。必要数は現在の率を保つ数（切り上げ）。"
            "機能強化型・従来型の読み方（受理記号の１・２・３）は要確認（notification_symbols.csv）。"
        )
        for sid, label in ((scheme.id, scheme.label), (geography.MUNICIPALITY_SCHEME_ID, "区市町村")):
            table = published.supply_table(
                out[sid], area_label=label, now_label=now_label, target_year=target_year, rate_label=rates.RATE_LABEL
            )
            stage.table(
                table,
                f"07_home_care_supply_{sid}",
                title=f"{label}別の在宅療養支援診療所・病院（{rates.RATE_LABEL}、{now_label}と{target_year}年）",
                sheet=f"在支診・在支病_{label}",
                sources=srcs,
                note=note,
            )
            if sid == scheme.id:
                area_table = table
        pref_rows = area_rates[area_rates["area"].isin(scheme.area_names)].set_index("area")["supply_rate_now"]
        units, prefectures = geo.load_units(), geo.load_prefectures()
        stage.figure(
            figures.plot_supply_map(
                located.table, units, scheme, as_of=sources.list_date, sources=srcs[:1], prefectures=prefectures
            ),
            f"07_home_care_supply_map_{scheme.id}",
            table=f"07_home_care_supply_{scheme.id}",
        )
        stage.figure(
            figures.plot_supply_rate_map(
                units,
                scheme,
                pref_rows,
                rate_label=rates.RATE_LABEL,
                year_label=now_label,
                sources=srcs,
                prefectures=prefectures,
            ),
            f"07_home_care_supply_rate_map_{scheme.id}",
            table=f"07_home_care_supply_{scheme.id}",
        )
        national_supply = _national(sources, ("support_clinics", "support_hospitals"))
        national_rate = None if national_supply is None else national_supply / national_pop.aged75 * rates.PER
        enhanced = _national(sources, ("support_clinics_enhanced_single", "support_clinics_enhanced_linked"))
        clinics = _national(sources, ("support_clinics",))
        national_share = None if enhanced is None or not clinics else 100 * enhanced / clinics
        stage.figure(
            figures.plot_supply_rates(
                area_rates,
                scheme,
                national_rate=national_rate,
                national_enhanced_share=national_share,
                rate_label=rates.RATE_LABEL,
                now_label=now_label,
                target_year=target_year,
                national_label=f"全国（{sources.databook_when('support_clinics')}）",
                sources=[*srcs, *national_srcs],
                note=f"全国値は地域別データ集の全国計を{national_pop.year}年の全国75歳以上人口で割った値（時点が名簿と異なる）。",
            ),
            f"07_home_care_supply_rates_{scheme.id}",
            table=f"07_home_care_supply_{scheme.id}",
            chart=[
                charts.one_panel(
                    area_table,
                    scheme.label,
                    [c for c in area_table.columns if c.startswith(f"在支診＋在支病（{rates.RATE_LABEL}")],
                    title=f"在支診＋在支病（{rates.RATE_LABEL}）",
                    unit="施設",
                ),
                charts.one_panel(
                    area_table,
                    scheme.label,
                    ["在支診 機能強化型の割合（％）"],
                    title="在支診のうち機能強化型",
                    unit="%",
                    colors={**scheme.colors, "県計": charts.TOTAL_COLOR},
                ),
            ],
        )
    return area_table


def _suppress(
    table: pd.DataFrame, key: str, measures: list[str], target_year: int, rules: disclosure.DisclosureRules
) -> tuple[pd.DataFrame, set]:
    """Withhold small case counts (訪問診療・往診・看取り 実施件数) and every cell derived from them in
    the same row (rate, ratio, target-year need), which would reveal them."""
    columns = [f"{m} 実施件数（件）" for m in measures]
    result = disclosure.suppress_small_counts(table, columns, rules=rules, total_row=(key, "県計"))
    out = result.table
    withheld = set()
    ids = {m.label: m.id for m in activity.MEASURES}
    for r, col in [*result.primary, *result.secondary]:
        label = col.removesuffix(" 実施件数（件）")
        withheld.add((out.at[r, key], ids[label]))
        symbol = out.at[r, col]
        for c in out.columns:
            if (
                c.startswith(f"{label}（")
                or c.startswith(f"{label} 全国値")
                or c.startswith(f"{label} {target_year}年")
            ):
                out[c] = out[c].astype(object)
                out.at[r, c] = symbol
    return out, withheld


def activity_by_area(
    stage: Stage, sources: Sources, located: Located, *, target_year: int, national_population_year: int
) -> pd.DataFrame:
    """訪問診療・往診・看取り per population aged 75+ by area group (areas that share a designated city
    merged: the データ集 has cities as a whole) and by municipality, against the national value, with
    the count the target year needs; small case counts withheld."""
    with stage.section():
        sources.note()
        pop = population_read.read_population_by_unit()
        national_pop = activity.load_national_population(national_population_year)
        wide = sources.databook.wide()
        national = sources.databook.national.set_index("item_id")["value"].to_dict()
        items = sources.databook.items.set_index("item_id")
        data_year = int(items.at["home_visit_clinic_cases", "data_year"])
        when = sources.databook_when("home_visit_clinic_cases")
        scheme = located.scheme
        groups = geography.exact_groups(scheme)
        muni = geography.municipality_scheme()
        tables, frames = {}, {}
        for sid, label, group_of_code, names, aged_scheme in (
            (scheme.id, scheme.label, groups.group_of_source_code(), groups.group_names, scheme),
            ("municipality", "区市町村", pd.Series(geography.municipality_names()), muni.area_names, muni),
        ):
            now, now_label = aged75_at(pop, aged_scheme, data_year)
            target, _ = aged75_at(pop, aged_scheme, target_year)
            if sid == scheme.id:  # areas summed to their groups: exact, the populations of whole areas
                group_of = groups.table.set_index("area")["group"]
                now, target = now.groupby(group_of).sum(), target.groupby(group_of).sum()
            act = activity.activity_by_group(
                wide, group_of_code, names, now, target, national, national_pop.aged75, per=rates.PER
            )
            frames[sid] = act
            table = published.activity_table(
                act,
                group_label=label,
                data_year=now_label,
                target_year=target_year,
                rate_label=rates.RATE_LABEL,
                national_label="全国",
            )
            tables[sid] = _suppress(table, label, ["訪問診療", "往診", "看取り"], target_year, stage.rules)
        notes = [
            f"件数は{when}の1か月分（医療施設調査の特別集計、医療機関所在地ベース）。",
            f"全国値は全国計を{national_pop.year}年の全国75歳以上人口（{national_pop.aged75:,.0f}人）で割った値。",
            "データ集で秘匿・空欄の値は0とせず、その区市町村を除いた合計を示す（「秘匿・空欄の値の数」が1以上の行は下限値）。",
            *groups.notes,
            disclosure.note(stage.rules),
        ]
        srcs = [
            f"{DATABOOK_SOURCE}（{when}）",
            f"人口：{population_read.processed_source_label()}",
            national_pop.source,
        ]
        for sid, label in ((scheme.id, scheme.label), ("municipality", "区市町村")):
            stage.table(
                tables[sid][0],
                f"07_home_care_activity_{sid}",
                title=f"{label}別の訪問診療・往診・看取り（{rates.RATE_LABEL}）と全国値",
                sheet=f"訪問診療等_{label}",
                sources=srcs,
                note=" ".join(notes),
            )
        colors = {
            g: scheme.colors[groups.table[groups.table["group"] == g]["area"].iloc[0]] for g in groups.group_names
        }
        stage.figure(
            figures.plot_activity_rates(
                frames[scheme.id],
                groups.group_names,
                colors,
                measures=ACTIVITY_FIGURE_MEASURES,
                withheld=tables[scheme.id][1],
                rate_label=rates.RATE_LABEL,
                national_label="全国",
                scheme_label=scheme.label,
                sources=srcs,
                note=" ".join([f"件数は{when}の1か月分。", *groups.notes]),
            ),
            f"07_home_care_activity_{scheme.id}",
            table=f"07_home_care_activity_{scheme.id}",
            chart=charts.per_column(
                tables[scheme.id][0],
                scheme.label,
                [f"{m.label}（{rates.RATE_LABEL}）" for m in activity.MEASURES if m.id in ACTIVITY_FIGURE_MEASURES],
                unit="件",
                colors={**colors, "県計": charts.TOTAL_COLOR, "全国": charts.TOTAL_COLOR},
            ),
        )
        processed.write_processed(sources.databook.values, "home_care_activity", schema=schemas.activity_schema())
    stage.rows["home_care_activity"] = len(sources.databook.values)
    return tables[scheme.id][0]


def crosscheck_support_clinics(stage: Stage, sources: Sources, located: Located) -> pd.DataFrame:
    """在支診 in the list against the データ集 by municipality (designated cities as a whole), with
    the difference explained; prints the prefecture line."""
    with stage.section():
        sources.note()
        book = activity.by_source_code(sources.databook.wide())
        names = geography.municipality_names()
        list_date = sources.list_date
        book_date = sources.databook_date("support_clinics")
        cc = crosscheck.crosscheck_support_clinics(
            located.table, book, names, list_date=list_date, databook_date=book_date
        )
        table = published.crosscheck_table(cc, list_date=list_date, databook_date=book_date)
        stage.table(
            table,
            "07_support_clinic_crosscheck",
            title="在宅療養支援診療所数の突合（届出受理医療機関名簿と地域別データ集）",
            sheet="在支診数の突合",
            sources=[f"{LIST_SOURCE}（{list_date}現在）", f"{DATABOOK_SOURCE}（{book_date}）"],
            note="差＝算定開始がデータ集の時点より後の在支診（データ集に未計上）＋残差（データ集の時点にあって名簿にないもの等）。"
            "政令指定都市はデータ集に合わせて市全体で比較する。",
        )
    total = cc[cc["area"] == crosscheck.TOTAL].iloc[0]
    print(
        f"在支診 list {int(total['list_count'])} ({list_date}) - データ集 {total['databook_count']:.0f} ({book_date}) "
        f"= {total['difference']:.0f} = started after {book_date} {int(total['new_since'])} + residual {total['residual']:.0f}"
    )
    return table


def publish_qa(stage: Stage, sources: Sources, located: Located) -> pd.DataFrame:
    """Every QA entry of both sources and of the placement (``home_care_supply_qa``), published."""
    with stage.section():
        sources.note()
        qa = qa_frame([*sources.notifications.qa, *sources.databook.qa, *located.qa])
        processed.write_processed(qa, "home_care_supply_qa", schema=QA_SCHEMA)
        stage.table(
            qa_table_ja(qa),
            "07_home_care_supply_qa",
            title="在宅医療の提供体制と実績のQA（要確認の行・値）",
            sheet="在宅医療QA",
            sources=[LIST_SOURCE, DATABOOK_SOURCE],
        )
    stage.rows["home_care_supply_qa"] = len(qa)
    return qa
