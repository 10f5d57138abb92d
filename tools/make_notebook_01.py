"""Write notebooks/01_insurer_scores.ipynb (no outputs). Rerun after editing the cells:
``.venv/bin/python tools/make_notebook_01.py``. Cell ids are fixed so the file is stable."""

from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

CELLS: list[tuple[str, str, list[str]]] = [
    ("md", """# 01 保険者機能評価の得点（Insurer-function scores）

**What it answers:** the 保険者機能強化推進交付金・介護保険保険者努力支援交付金 results of every
insurer of the prefecture, cleaned into one row per insurer x scored item, and the 目標III
(在宅医療・介護連携, 100 points) score of each municipality: per indicator, total, 得点率, rank
within the prefecture and change from the previous year.

**Inputs:** one national (or per-prefecture) results file per fiscal year (`input_files`), the
目標III item structure `data/raw/reference/indicators/goal3_items.csv` (verify against the
official indicator PDF), `data/raw/reference/municipalities.csv`.
**Outputs:** processed `insurer_scores`, `insurer_scores_qa`, `goal3_by_indicator`,
`goal3_summary`; tables `01_goal3_summary`, `01_goal3_by_indicator`, `01_insurer_scores_qa`
and the workbook `01_goal3_summary.xlsx`. See docs/insurer_scores.md.""", []),
    ("code", '''# Parameters (papermill injects overrides after this cell; keep to plain literals)
output_dir = "outputs/dev"
# input_files: fiscal year (2025 = 令和7年度) -> results file (.xlsx), relative to the project root
input_files = {
    2024: "data/raw/sample/scores/hyoka_kekka_FY2024_R06_sample.xlsx",
    2025: "data/raw/sample/scores/hyoka_kekka_FY2025_R07_sample.xlsx",
}
prefecture = "神奈川県"
# focus_goal: the goal (I, II, III, IV) shown item by item below; the processed goal3_* tables are always 目標III
focus_goal = "III"''', ["parameters"]),
    ("code", """from homecare import provenance, style
from homecare.scores import clean, outputs, summary

provenance.reset()
style.apply_style()""", []),
    ("md", "## Clean and validate each file (rows read = kept + statistics + other prefectures + quarantined)", []),
    ("code", """result = clean.clean_years(input_files, prefecture=prefecture)
for fy, counts in result.files.items():
    print(fy, clean.reconciliation(counts))
print("total", clean.reconciliation(result.counts))
result.scores.head()""", []),
    ("md", "## QA: excluded, replaced and reported rows and cells", []),
    ("code", """qa = result.qa_table()
qa.groupby("action").size()""", []),
    ("code", """qa[qa["action"] != "excluded"].head(30)""", []),
    ("md", "## Focus goal by indicator (prefecture mean of the municipalities)", []),
    ("code", """summary.goal_overview(result.scores, focus_goal)""", []),
    ("md", "## Processed tables and the 目標III summary", []),
    ("code", """tables = outputs.write_processed_tables(result)
tables["goal3_summary"].head(10)""", []),
    ("code", """published = outputs.publish_tables(tables, output_dir)
{name: str(path.name) for name, path in published.items()}""", []),
    ("code", """provenance.finish_stage(
    output_dir,
    "01_insurer_scores",
    rows={name: len(df) for name, df in tables.items()},
    notes={"reconciliation": clean.reconciliation(result.counts)},
)""", []),
]


def build() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python (homecare)", "language": "python", "name": "homecare"},
        "language_info": {"name": "python"},
    }
    for i, (kind, source, tags) in enumerate(CELLS):
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        cell.id = f"nb01-{i:02d}"
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


if __name__ == "__main__":
    out = ROOT / "notebooks" / "01_insurer_scores.ipynb"
    nbformat.write(build(), out)
    print(out.relative_to(ROOT))
