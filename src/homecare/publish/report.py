"""Index page (成果物一覧) and slide draft for the analyst, built from a run's output folder.

:func:`build_index` reads what the stages left in ``<output_dir>``: ``figures/*.json``
(written by :func:`homecare.figures.style.save_figure`) and ``tables/*.json`` (written by
:func:`homecare.publish.write_table`), and writes ``<output_dir>/index.html``: every figure as
a thumbnail with its caption, 出典, サンプルデータ badge and links to PNG, SVG and the table
behind it, then a list of every table. The page is self-contained (inline CSS, no scripts,
no external files) and deterministic (sorted, no timestamps), so an unchanged run gives an
unchanged page.

The table behind a figure is found by name: the table named like the figure, or else the
longest table name that is a prefix of the figure name at an ``_`` boundary (so
``goal3_score_map`` and ``goal3_score_rank`` both link to ``goal3_score``). A figure may also
name its table explicitly with a ``"table"`` key in its ``.json``.

:func:`build_pptx` writes a PowerPoint draft (一枚一図) with one figure per slide and its
caption and 出典, byte-identical on re-run.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

from PIL import Image

from homecare.core import paths
from homecare.core.files import FIXED_TIME, atomic_write_bytes, normalise_zip
from homecare.core.labels import SAMPLE_LABEL, scenario_label, source_line

WORKBOOK_NAME = "tables.xlsx"
PPTX_NAME = "figures.pptx"

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
table{border-collapse:collapse;background:#fff;font-size:13px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#DDE5F0}
"""


def _load_json(folder: Path) -> list[dict]:
    """Every ``*.json`` record in ``folder``, sorted by file name (deterministic order)."""
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


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


def build_index(output_dir: str | Path) -> Path:
    """Write ``<output_dir>/index.html`` (成果物一覧): every figure as a thumbnail with caption,
    出典, サンプルデータ badge and links to PNG/SVG and its table, then every table. Returns the
    path. Works on an output folder with no figures or tables (the page says so)."""
    out = paths.resolve(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    figures = _load_json(out / "figures")
    tables = _load_json(out / "tables")
    by_name = {t["name"]: t for t in tables}
    has_workbook = (out / WORKBOOK_NAME).is_file()
    any_sample = any(r.get("sample") for r in figures + tables)
    cards = [_figure_card(f, by_name.get(table_for_figure(f, sorted(by_name)) or ""), has_workbook) for f in figures]
    extra = []
    if has_workbook:
        extra.append(f'<a href="{WORKBOOK_NAME}">全表のExcelブック（{WORKBOOK_NAME}）</a>')
    if (out / PPTX_NAME).is_file():
        extra.append(f'<a href="{PPTX_NAME}">スライド案（{PPTX_NAME}）</a>')
    warning = (
        f'<p class="lead"><span class="badge">{SAMPLE_LABEL}</span> 印の図表は架空のサンプル入力から作成したもので、実数ではありません。</p>'
        if any_sample
        else ""
    )
    scenarios = sorted({r["scenario"] for r in figures + tables if r.get("scenario")})
    if scenarios:
        warning += "".join(f'<p class="lead"><span class="badge">{_e(scenario_label(s))}</span></p>' for s in scenarios)
    body = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>図表一覧（在宅医療・地域包括ケア分析）</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>図表一覧（在宅医療・地域包括ケア分析）</h1>",
        f'<p class="lead">図 {len(figures)} 件・表 {len(tables)} 件。図をクリックすると300dpiのPNGが開きます。'
        f"資料への貼り付けにはPNG（Word/PowerPoint）またはSVG（拡大しても劣化しません）を使ってください。</p>",
        warning,
        f'<p class="links">{" ".join(extra)}</p>' if extra else "",
        "<h2>図</h2>",
        f'<div class="grid">{"".join(cards)}</div>' if cards else "<p>図はありません。</p>",
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


def build_pptx(output_dir: str | Path, filename: str = PPTX_NAME) -> Path | None:
    """Write a PowerPoint draft (スライド案): one 16:9 slide per figure with the PNG (which carries
    its title, 出典 and サンプルデータ mark) and the caption below, in figure-name order. Deterministic: fixed document properties and
    zip timestamps. Returns None when the run has no figures."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    out = paths.resolve(output_dir)
    figures = _load_json(out / "figures")
    if not figures:
        return None
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 16:9, 33.867 x 19.05 cm
    blank = prs.slide_layouts[6]
    margin = Emu(300000)
    for fig in figures:
        slide = prs.slides.add_slide(blank)
        # the figure carries its own title, 出典 and サンプルデータ mark: no second title on the slide
        png = out / fig["png"]
        with Image.open(png) as im:
            w_px, h_px = im.size
        box_w, box_h = prs.slide_width - 2 * margin, Emu(5650000)
        scale = min(box_w / w_px, box_h / h_px)
        w, h = int(w_px * scale), int(h_px * scale)
        slide.shapes.add_picture(str(png), int((prs.slide_width - w) / 2), Emu(150000), Emu(w), Emu(h))
        cap = slide.shapes.add_textbox(margin, Emu(5900000), prs.slide_width - 2 * margin, Emu(800000))
        cap.name = "caption"
        cap.text_frame.word_wrap = True
        cap.text_frame.text = fig.get("caption") or fig["title"]
        cap.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
        if fig.get("sample"):
            p = cap.text_frame.add_paragraph()
            p.text = f"【{SAMPLE_LABEL}】架空の入力から作成・実数ではありません"
            p.runs[0].font.size = Pt(11)
    prs.core_properties.author = "homecare"
    prs.core_properties.last_modified_by = "homecare"
    prs.core_properties.created = FIXED_TIME
    prs.core_properties.modified = FIXED_TIME
    prs.core_properties.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    path = out / filename
    atomic_write_bytes(path, normalise_zip(buf.getvalue()))
    return path
