"""The interactive map of the 58 units on the index page (区市町村ドリルダウン), offline.

Analysts are on LGWAN: no CDN, no tiles, no library to download. The map is an inline SVG
(the N03 polygons projected to the plane rectangular system and simplified) with a few lines
of plain JavaScript: clicking or tabbing to a unit shows its panel. The panel's facts come
from the run's published unit profile table (``*_unit_profile.csv``: one row per unit, the
columns the stage chose) and the area members table (``00_area_members_*``); nothing is
computed here. Terms: docs/glossary.md.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from homecare.publish.tables import read_table
from homecare.reference import areas, geo

VIEW_W, VIEW_H = 1000, 760
SIMPLIFY_M = 60  # metres: invisible at page size, a quarter of the bytes

_SCRIPT = """
(function(){
  var data = JSON.parse(document.getElementById('unit-data').textContent);
  var panel = document.getElementById('unit-panel');
  var selected = null;
  function show(code){
    var d = data[code]; if(!d){return;}
    if(selected){selected.classList.remove('selected');}
    selected = document.querySelector('path[data-code="'+code+'"]');
    if(selected){selected.classList.add('selected');}
    var rows = d.facts.map(function(f){
      return '<tr><th>'+f[0]+'</th><td>'+f[1]+'</td></tr>';}).join('');
    var mark = d.sample ? '<p class="sample">サンプルデータ（架空の入力から作成・実数ではありません）</p>' : '';
    panel.innerHTML = '<h3>'+d.name+'</h3><p class="area">'+d.area+'</p>'+mark+'<table>'+rows+'</table>';
  }
  document.querySelectorAll('#unit-map path').forEach(function(p){
    p.addEventListener('click', function(){show(p.getAttribute('data-code'));});
    p.addEventListener('keydown', function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();show(p.getAttribute('data-code'));}});
  });
})();
"""

CSS = """
#unit-map-wrap{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}
#unit-map{width:min(100%,720px);height:auto;background:#F4F8FB;border:1px solid #ddd}
#unit-map path{stroke:#fff;stroke-width:1.2;cursor:pointer;fill-opacity:.75}
#unit-map path:hover,#unit-map path:focus{stroke:#222;stroke-width:2.5;outline:none}
#unit-map path.selected{stroke:#000;stroke-width:3.5}
#unit-panel{min-width:280px;max-width:420px;background:#fff;border:1px solid #ddd;padding:10px;font-size:14px}
#unit-panel h3{margin:0 0 4px;font-size:17px}#unit-panel .area{color:#555;margin:0 0 8px}
#unit-panel th{text-align:left;font-weight:normal;color:#444;padding-right:8px}
#unit-panel .sample{color:#fff;background:#C00000;padding:2px 6px;display:inline-block;margin:0 0 6px}
"""


def _svg_path(geom, transform) -> str:
    polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    parts = []
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            pts = [transform(x, y) for x, y in ring.coords]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def _profile(tables: Path) -> tuple[pd.DataFrame, bool] | None:
    """The unit profile table and whether it was computed from sample inputs."""
    found = sorted(tables.glob("*_unit_profile.csv"))
    if not found:
        return None
    df, meta = read_table(found[-1])
    return df, bool(meta.get("sample"))


def _members(tables: Path) -> pd.DataFrame | None:
    found = sorted(tables.glob("00_area_members_*.csv"))
    return read_table(found[0])[0] if found else None


def _fmt(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.3g}" if abs(number) < 100 else f"{number:,.1f}"


def unit_facts(tables: Path) -> dict[str, dict]:
    """Per unit code: name, area and the (label, value) facts the panel lists."""
    members, found = _members(tables), _profile(tables)
    profile, sample = found if found else (None, False)
    out: dict[str, dict] = {}
    if members is not None:
        for row in members.itertuples(index=False):
            out[str(row[1])] = {"name": str(row[3]), "area": str(row[0]), "facts": []}
    if profile is not None:
        code_col = next(c for c in profile.columns if "コード" in c)
        skip = {code_col, *[c for c in profile.columns if c in ("区市町村名", "圏域")]}
        for row in profile.to_dict("records"):
            entry = out.setdefault(
                str(row[code_col]), {"name": str(row.get("区市町村名", "")), "area": "", "facts": []}
            )
            entry["facts"] = [(html.escape(str(c)), html.escape(_fmt(v))) for c, v in row.items() if c not in skip]
            entry["sample"] = sample
    return out


def render(tables: Path) -> str:
    """The map section of the index page: inline SVG, the unit data as JSON, the script; empty
    when the run published no area members table (stage 00), which says what a unit belongs to."""
    if not sorted(tables.glob("00_area_members_*.csv")):
        return ""
    units = geo.load_units().to_crs(geo.PLANE_CRS)
    units["geometry"] = units.geometry.simplify(SIMPLIFY_M)
    minx, miny, maxx, maxy = units.total_bounds
    scale = min(VIEW_W / (maxx - minx), VIEW_H / (maxy - miny))

    def transform(x: float, y: float) -> tuple[float, float]:
        return (x - minx) * scale, (maxy - y) * scale

    facts = unit_facts(tables)
    colors = _area_colors(tables)
    paths_svg = []
    for row in units.itertuples():
        code = row.municipality_code
        name = facts.get(code, {}).get("name") or row.full_name
        fill = colors.get(facts.get(code, {}).get("area", ""), "#BBBBBB")
        paths_svg.append(
            f'<path data-code="{code}" tabindex="0" role="button" aria-label="{html.escape(name)}" fill="{fill}" '
            f'd="{_svg_path(row.geometry, transform)}"><title>{html.escape(name)}</title></path>'
        )
    data = json.dumps(facts, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return "\n".join(
        [
            '<div id="unit-map-wrap">',
            f'<svg id="unit-map" viewBox="0 0 {VIEW_W} {VIEW_H}" xmlns="http://www.w3.org/2000/svg" role="img" '
            'aria-label="神奈川県の区市町村（クリックで詳細）">',
            *paths_svg,
            "</svg>",
            '<div id="unit-panel"><p>地図の区市町村をクリック（またはTabキーで選んでEnter）すると、圏域、保険者の得点、'
            "施設数、75歳以上人口の見通しを表示します。</p></div>",
            "</div>",
            f'<script type="application/json" id="unit-data">{data}</script>',
            f"<script>{_SCRIPT}</script>",
        ]
    )


def _area_colors(tables: Path) -> dict[str, str]:
    """Area name -> the scheme's colour (the one the area has in every figure), the scheme named
    by the members table ``00_area_members_<scheme id>``."""
    found = sorted(tables.glob("00_area_members_*.csv"))
    if not found:
        return {}
    return areas.load_scheme(found[0].stem.removeprefix("00_area_members_")).colors
