"""The index page of a run (成果物一覧, ``index.html``): what an analyst opens first.

- the run date, every input with its 時点 (vintage) and SHA-256, and links to ``changes.md``,
  ``manifest.json``, the workbook, the slide deck and every table;
- every figure as a thumbnail with caption, 出典, サンプルデータ badge and links to PNG, SVG and
  the table behind it, grouped by the stage (topic) that made it;
- an interactive map of the 58 units that works offline (:mod:`homecare.publish.unit_map`).

Self-contained (inline CSS and script, no external file) and deterministic (sorted, the
date taken from the run folder's name), so an unchanged run gives an unchanged page.

The table behind a figure is the figure's ``"table"``, the table named like the figure, or
the longest table name that is a prefix of the figure name at an ``_`` boundary.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from homecare.core import paths
from homecare.core.files import atomic_write_bytes
from homecare.core.labels import SAMPLE_LABEL, scenario_label, source_line
from homecare.publish import unit_map
from homecare.publish.slides import PPTX_NAME, load_records, run_facts

WORKBOOK_NAME = "tables.xlsx"

_CSS = """
body{font-family:"IPAexGothic","Hiragino Sans","Yu Gothic","Meiryo",sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #332288}
p.lead{color:#555;margin:0 0 16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:16px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px}
.card img{width:100%;height:auto;border:1px solid #eee;background:#fff}
.card h3{font-size:15px;margin:6px 0}
.cap{font-size:13px;margin:4px 0}.src{font-size:11px;color:#666;margin:4px 0}
.links a{display:inline-block;margin:2px 8px 2px 0;font-size:13px}
.badge{display:inline-block;background:#C00000;color:#fff;font-size:12px;padding:1px 6px;border-radius:3px;margin-left:4px}
.name{font-family:monospace;font-size:11px;color:#888}
h3{font-size:16px;margin:20px 0 8px}details{margin:8px 0 16px}table.inputs td,table.inputs th{font-size:12px}
table{border-collapse:collapse;background:#fff;font-size:13px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#DDE5F0}
"""


def table_for_figure(figure: dict, table_names: list[str]) -> str | None:
    """The table behind a figure (図のもとになった表): the ``"table"`` key, the table with the
    figure's name, or the longest table name that prefixes it at an ``_`` boundary."""
    explicit = figure.get("table")
    if explicit in table_names:
        return explicit
    name = figure["name"]
    candidates = [t for t in table_names if t == name or name.startswith(t + "_")]
    return max(candidates, key=len) if candidates else None


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def _badge(sample: bool) -> str:
    return f'<span class="badge">{SAMPLE_LABEL}</span>' if sample else ""


def _figure_card(fig: dict, table: dict | None, has_workbook: bool) -> str:
    links = [f'<a href="{_e(fig["png"])}">PNG（300dpi）</a>']
    links += [f'<a href="{_e(fig[fmt])}">{fmt.upper()}</a>' for fmt in ("svg", "pdf") if fig.get(fmt)]
    if table is not None:
        links.append(f'<a href="tables/{_e(table["name"])}.csv">表CSV：{_e(table["title"])}</a>')
        if has_workbook:
            links.append(f'<a href="{WORKBOOK_NAME}">Excel（シート「{_e(table["sheet"])}」）</a>')
    sources = "<br>".join(_e(source_line(s)) for s in fig.get("sources", []))
    return (
        f'<div class="card" id="fig-{_e(fig["name"])}">'
        f'<a href="{_e(fig["png"])}"><img src="{_e(fig["png"])}" alt="{_e(fig["title"])}" loading="lazy"></a>'
        f"<h3>{_e(fig['title'])}{_badge(bool(fig.get('sample')))}</h3>"
        f'<p class="cap">{_e(fig.get("caption"))}</p>'
        f'<p class="src">{sources}</p>'
        f'<p class="links">{" ".join(links)}</p>'
        f'<p class="name">{_e(fig["name"])}</p>'
        "</div>"
    )


def _table_rows(tables: list[dict], has_workbook: bool) -> str:
    rows = []
    for t in tables:
        sources = "<br>".join(_e(s) for s in t.get("sources", []))
        sheet = f'<a href="{WORKBOOK_NAME}">{_e(t["sheet"])}</a>' if has_workbook else _e(t["sheet"])
        rows.append(
            f'<tr id="table-{_e(t["name"])}"><td><a href="tables/{_e(t["name"])}.csv">{_e(t["title"])}</a>'
            f"{_badge(bool(t.get('sample')))}</td><td>{sheet}</td><td>{_e(t.get('rows'))}</td>"
            f"<td>{_e('、'.join(t.get('columns', [])))}</td><td>{sources}</td></tr>"
        )
    return "\n".join(rows)


def _stage_titles(out: Path) -> dict[str, str]:
    """Stage name -> the title of its notebook (its first heading), from the executed notebooks."""
    titles = {}
    for nb in sorted((out / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
        heading = next(
            (("".join(c["source"]).splitlines() or [""])[0] for c in cells if c.get("cell_type") == "markdown"), ""
        )
        titles[nb.stem] = heading.lstrip("# ").strip() or nb.stem
    return titles


def _inputs_table(out: Path, vintages: list[tuple[str, str]]) -> str:
    """Every input of the run with its SHA-256 (from the stage records) and the ``vintages``."""
    inputs: dict[str, str] = {}
    for record in load_records(out / "stages"):
        inputs.update(record.get("inputs", {}))
    rows = [f"<tr><th>{_e(what)}</th><td colspan=2>{_e(as_of)}</td></tr>" for what, as_of in vintages]
    rows += [
        f"<tr><td>{_e(path)}</td><td colspan=2><code>{_e(digest[:16])}…</code></td></tr>"
        for path, digest in sorted(inputs.items())
    ]
    if not rows:
        return "<p>入力の記録はありません。</p>"
    return (
        "<details><summary>入力データの時点と全ファイル（SHA-256）</summary>"
        f'<table class="inputs"><tbody>{"".join(rows)}</tbody></table></details>'
    )


def build_index(output_dir: str | Path) -> Path:
    """Write ``<output_dir>/index.html`` (see the module docstring); works on an output folder
    with no figures or tables (the page says so). Returns the path."""
    out = paths.resolve(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    figures = load_records(out / "figures")
    tables = load_records(out / "tables")
    by_name = {t["name"]: t for t in tables}
    has_workbook = (out / WORKBOOK_NAME).is_file()
    any_sample = any(r.get("sample") for r in figures + tables)
    date, vintages = run_facts(out)
    links = [
        f'<a href="{href}">{_e(label)}</a>'
        for href, label in (
            (WORKBOOK_NAME, f"全表のExcelブック（{WORKBOOK_NAME}）"),
            (PPTX_NAME, f"スライド案（{PPTX_NAME}）"),
            ("changes.md", "前回からの変更点（changes.md）"),
            ("manifest.json", "実行記録（manifest.json：パラメータ・入力・パッケージ）"),
        )
    ]
    warning = (
        f'<p class="lead"><span class="badge">{SAMPLE_LABEL}</span> 印の図表は架空のサンプル入力から作成したもので、実数ではありません。</p>'
        if any_sample
        else ""
    )
    for scenario in sorted({r["scenario"] for r in figures + tables if r.get("scenario")}):
        warning += f'<p class="lead"><span class="badge">{_e(scenario_label(scenario))}</span></p>'
    titles = _stage_titles(out)
    groups: dict[str, list[str]] = {}
    for f in figures:
        card = _figure_card(f, by_name.get(table_for_figure(f, sorted(by_name)) or ""), has_workbook)
        groups.setdefault(f.get("stage") or f["name"].split("_", 1)[0], []).append(card)
    sections = [
        f'<h3 id="stage-{_e(stage)}">{_e(titles.get(stage, stage))}</h3><div class="grid">{"".join(cards)}</div>'
        for stage, cards in sorted(groups.items())
    ]
    map_html = unit_map.render(out / "tables")
    map_section = ["<h2>区市町村別の概要（地図）</h2>", map_html] if map_html else []
    body = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>図表一覧（在宅医療・地域包括ケア分析）</title>",
        f"<style>{_CSS}{unit_map.CSS}</style></head><body>",
        "<h1>図表一覧（在宅医療・地域包括ケア分析）</h1>",
        f'<p class="lead">実行 {_e(date)}（{_e(out.name)}）。図 {len(figures)} 件・表 {len(tables)} 件。'
        f"図をクリックすると300dpiのPNGが開きます。資料への貼り付けにはPNG（Word/PowerPoint）またはSVG"
        f"（拡大しても劣化しません）を使ってください。</p>",
        warning,
        f'<p class="links">{" ".join(links)}</p>',
        _inputs_table(out, vintages),
        *map_section,
        "<h2>図</h2>",
        "".join(sections) if sections else "<p>図はありません。</p>",
        "<h2>表</h2>",
        (
            "<table><thead><tr><th>表（CSV, UTF-8 BOM付き）</th><th>Excelシート</th><th>行数</th><th>列</th><th>出典</th></tr></thead>"
            f"<tbody>{_table_rows(tables, has_workbook)}</tbody></table>"
            if tables
            else "<p>表はありません。</p>"
        ),
        "</body></html>",
    ]
    path = out / "index.html"
    atomic_write_bytes(path, ("\n".join(line for line in body if line) + "\n").encode("utf-8"))
    return path
