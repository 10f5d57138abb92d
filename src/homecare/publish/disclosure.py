"""Disclosure control for published tables (小さな人数の秘匿).

Counts of people (患者, 利用者, ICT network participating residents 参加住民 ...) from 1 to
``threshold - 1`` are withheld: **primary suppression**, shown as ``<10``. Where the table
(or another publication) gives a total, one withheld cell in a row or column could be
recomputed from the total and the other cells, so a second cell is withheld too:
**secondary suppression**, shown as ``x`` (e-Stat's mark for 秘匿). Facility counts are not
suppressed (public registers); :func:`is_person_count` tells the two apart by header.

Rules (threshold, symbols, header words) live in ``data/raw/reference/disclosure.yml``;
:func:`load_rules` records that file as a stage input so that changing the threshold reruns
the stages that publish person counts. Stages call :func:`suppress_small_counts` just
before ``publish.write_table`` and mention the rule in the table's note (:func:`note`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from homecare.core import paths, provenance
from homecare.core.errors import HomecareError, ReferenceDataError
from homecare.core.yamlio import load_yaml_mapping

RULES_FILE = Path("data/raw/reference/disclosure.yml")
_KEYS = {"threshold", "primary_symbol", "secondary_symbol", "suppress_zero", "person_words", "not_person_words"}


class DisclosureError(HomecareError):
    """A small count of people would be published, or could be recovered from what is."""


@dataclass(frozen=True)
class DisclosureRules:
    """Small-count rule: withhold person counts ``1..threshold-1`` (and 0 if ``suppress_zero``)."""

    threshold: int = 10
    primary_symbol: str = "<10"
    secondary_symbol: str = "x"
    suppress_zero: bool = False
    person_words: tuple[str, ...] = ("患者", "利用者", "住民", "参加者", "登録者", "受給者", "対象者", "人数", "（人）")
    not_person_words: tuple[str, ...] = ("施設", "事業所", "機関", "か所", "箇所", "人口")

    def is_small(self, value: float) -> bool:
        """True for a count that must be withheld."""
        if pd.isna(value):
            return False
        return (0 if self.suppress_zero else 1) <= value < self.threshold


def load_rules(path: str | Path = RULES_FILE) -> DisclosureRules:
    """Read the rules file (recorded as a stage input); errors name the file and the key."""
    p = paths.resolve(path)
    where = paths.relative(p)
    raw = load_yaml_mapping(p, ReferenceDataError, what="disclosure rules")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ReferenceDataError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(_KEYS)}")
    threshold = raw.get("threshold", 10)
    if not isinstance(threshold, int) or isinstance(threshold, bool) or not 1 <= threshold <= 1000:
        raise ReferenceDataError(f"{where}: threshold must be a whole number from 1 to 1000, got {threshold!r}")
    provenance.note_input(p)
    defaults = DisclosureRules()
    return DisclosureRules(
        threshold=threshold,
        primary_symbol=str(raw.get("primary_symbol", f"<{threshold}")),
        secondary_symbol=str(raw.get("secondary_symbol", defaults.secondary_symbol)),
        suppress_zero=bool(raw.get("suppress_zero", False)),
        person_words=tuple(raw.get("person_words", defaults.person_words)),
        not_person_words=tuple(raw.get("not_person_words", defaults.not_person_words)),
    )


def is_person_count(column: str, rules: DisclosureRules | None = None) -> bool:
    """Whether a published column counts people (by its Japanese header), e.g. ``参加住民数（人）``
    yes, ``施設数（か所）`` and ``人口（人）`` no."""
    rules = rules or DisclosureRules()
    name = str(column)
    return any(w in name for w in rules.person_words) and not any(w in name for w in rules.not_person_words)


@dataclass
class Suppressed:
    """A table after disclosure control, with where and why cells were withheld."""

    table: pd.DataFrame
    primary: list[tuple[int, str]] = field(default_factory=list)  # (row position, column)
    secondary: list[tuple[int, str]] = field(default_factory=list)

    @property
    def withheld(self) -> int:
        return len(self.primary) + len(self.secondary)


def _groups(
    n_rows: int, columns: list[str], total_row: int | None, total_column: str | None, known_column_totals: bool
) -> list[tuple[list[tuple[int, str]], tuple[int, str] | None]]:
    """Sets of cells that add up to a published total: (components, total cell or None when the
    total is published elsewhere)."""
    parts = [c for c in columns if c != total_column]
    rows = [r for r in range(n_rows) if r != total_row]
    groups: list[tuple[list[tuple[int, str]], tuple[int, str] | None]] = []
    if total_column is not None:
        for r in range(n_rows):
            groups.append(([(r, c) for c in parts], (r, total_column)))
    if total_row is not None:
        for c in columns:
            groups.append(([(r, c) for r in rows], (total_row, c)))
    elif known_column_totals:
        for c in columns:
            groups.append(([(r, c) for r in rows], None))
    return groups


def suppress_small_counts(
    df: pd.DataFrame,
    columns: list[str] | None = None,
    *,
    rules: DisclosureRules | None = None,
    total_row: tuple[str, object] | None = None,
    total_column: str | None = None,
    known_column_totals: bool = False,
) -> Suppressed:
    """Withhold small counts of people in ``columns`` (default: every person-count column).

    ``total_row`` = (key column, label), e.g. ``("圏域", "県計")``, names the row holding the
    column totals; ``total_column`` names a column holding the row totals (it is suppressed
    like the others when small). ``known_column_totals``: the column totals are published
    elsewhere (another table, the text), so a single withheld cell per column would still be
    revealed. Secondary suppression withholds the smallest remaining count of any group
    that has exactly one withheld cell, until no group has. Returns the table with withheld
    cells replaced by the symbols (count columns become text/integers) and the cell lists.
    """
    rules = rules or DisclosureRules()
    columns = list(columns) if columns is not None else [c for c in df.columns if is_person_count(c, rules)]
    if total_column is not None and total_column not in columns:
        columns.append(total_column)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the table: {missing}")
    facility = [c for c in columns if any(w in str(c) for w in rules.not_person_words)]
    if facility:
        raise ValueError(f"not counts of people, never suppressed: {facility}")
    values = df[columns].apply(pd.to_numeric, errors="raise").reset_index(drop=True)
    total_pos = None
    if total_row is not None:
        key, label = total_row
        hits = [i for i, v in enumerate(df[key].tolist()) if v == label]
        if len(hits) != 1:
            raise ValueError(f"total row {label!r} found {len(hits)} times in column {key!r}, expected once")
        total_pos = hits[0]

    primary = [(r, c) for c in columns for r in range(len(values)) if rules.is_small(values.at[r, c])]
    withheld = set(primary)
    secondary: list[tuple[int, str]] = []
    groups = _groups(len(values), columns, total_pos, total_column, known_column_totals)
    changed = True
    while changed:
        changed = False
        for parts, total in groups:
            members = parts + ([total] if total is not None else [])
            if sum(cell in withheld for cell in members) != 1:
                continue
            # withhold the smallest visible non-zero component (least information lost; a 0
            # withheld beside it would leave the total minus the rest equal to the small count);
            # else the total
            visible = [cell for cell in parts if cell not in withheld and _positive(values.at[cell])]
            if not visible and total is not None and total not in withheld:
                visible = [total]
            if not visible:
                lone = next(cell for cell in members if cell in withheld)
                raise DisclosureError(
                    f"a withheld count in row {lone[0] + 2}, column {lone[1]!r} could be recovered from a published "
                    f"total: every other cell of its group is 0 or empty; publish the group without its total, or merge it"
                )
            pick = min(visible, key=lambda cell: (values.at[cell], members.index(cell)))
            withheld.add(pick)
            secondary.append(pick)
            changed = True

    out = df.reset_index(drop=True).copy()
    primary_cells = set(primary)
    for c in columns:
        shown: list[object] = []
        for r in range(len(out)):
            v = values.at[r, c]
            if (r, c) in withheld:
                shown.append(rules.primary_symbol if (r, c) in primary_cells else rules.secondary_symbol)
            elif pd.isna(v):
                shown.append(None)
            else:
                shown.append(int(v) if float(v).is_integer() else float(v))
        out[c] = pd.Series(shown, dtype=object)
    out.index = df.index
    return Suppressed(out, sorted(primary), secondary)


def _positive(value: object) -> bool:
    return not pd.isna(value) and float(value) > 0


def note(rules: DisclosureRules | None = None) -> str:
    """The sentence a table's 注 carries when person counts were suppressed."""
    rules = rules or DisclosureRules()
    return (
        f"個人が特定されるおそれがあるため、{rules.threshold}未満の人数は「{rules.primary_symbol}」、"
        f"合計から逆算できる値は「{rules.secondary_symbol}」で秘匿した。施設数は秘匿していない。"
    )


def unsuppressed_small_counts(df: pd.DataFrame, rules: DisclosureRules | None = None) -> list[tuple[str, int]]:
    """Person-count cells of a published table that are small but shown: (column, 1-based data row).

    Used to check a run's tables after the fact (a stage that forgot to suppress)."""
    rules = rules or DisclosureRules()
    found = []
    for c in df.columns:
        if not is_person_count(c, rules):
            continue
        nums = pd.to_numeric(df[c], errors="coerce")
        found += [(str(c), i + 1) for i, v in enumerate(nums.tolist()) if rules.is_small(v)]
    return found


def check_run(run_dir: Path, rules: DisclosureRules | None = None) -> list[str]:
    """Published tables of a run that show small person counts: 'table: column, row n' lines."""
    rules = rules or DisclosureRules()
    problems = []
    for csv in sorted((run_dir / "tables").glob("*.csv")):
        df = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        problems += [f"{csv.stem}: column {c}, row {r}" for c, r in unsuppressed_small_counts(df, rules)]
    return problems


def _count_pattern(rules: DisclosureRules) -> re.Pattern[str]:
    """A person word, a few characters, then a number of persons (参加住民7人, 患者数：5名), not a
    rate (住民1人当たり)."""
    words = "|".join(re.escape(w) for w in rules.person_words if not w.startswith("（"))
    return re.compile(rf"(?:{words})[^0-9０-９\n]{{0,10}}?([0-9０-９][0-9０-９,，]*)\s*(?:人|名)(?!当たり|あたり)")


def small_counts_in_text(text: str, rules: DisclosureRules | None = None) -> list[str]:
    """Excerpts of ``text`` that print a count of people below the threshold (figure labels,
    captions, notebook output, pages): what a table check cannot see."""
    rules = rules or DisclosureRules()
    found = []
    for m in _count_pattern(rules).finditer(text):
        value = int(unicodedata.normalize("NFKC", m.group(1)).replace(",", ""))
        if rules.is_small(value):
            found.append(text[max(0, m.start() - 10) : m.end() + 2].replace("\n", " "))
    return found


def check_artefacts(run_dir: Path, rules: DisclosureRules | None = None) -> list[str]:
    """Small counts of people anywhere a run publishes: its tables (by column), the texts of its
    figures (what the PNG, SVG and slides show), the index page, changes.md and the printed
    outputs of its executed notebooks. Empty list: nothing to withhold."""
    rules = rules or DisclosureRules()
    problems = check_run(run_dir, rules)
    texts: list[tuple[str, str]] = []
    for record in sorted((run_dir / "figures").glob("*.json")):
        data = json.loads(record.read_text(encoding="utf-8"))
        texts.append(
            (
                f"figures/{record.stem}",
                "\n".join([data.get("title", ""), data.get("caption", ""), *data.get("texts", [])]),
            )
        )
    for page in ("index.html", "changes.md"):
        if (run_dir / page).is_file():
            texts.append((page, (run_dir / page).read_text(encoding="utf-8")))
    for nb in sorted((run_dir / "notebooks").glob("*.ipynb")):
        texts.append((f"notebooks/{nb.name}", _notebook_output_text(nb)))
    for where, text in texts:
        problems += [f"{where}: {excerpt}" for excerpt in small_counts_in_text(text, rules)]
    return problems


def _notebook_output_text(path: Path) -> str:
    """Everything an executed notebook shows: streams, plain-text and HTML results."""
    shown = []
    for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
        for output in cell.get("outputs", []):
            shown.append("".join(output.get("text", "")))
            for kind in ("text/plain", "text/html"):
                shown.append("".join(output.get("data", {}).get(kind, "")))
    return "\n".join(shown)
