"""What every stage (notebook) shares: its output folder, how it publishes, what it records.

A notebook opens one :class:`Stage` after its parameters cell and hands it to the functions
of its stage module (``homecare.stages.<topic>``). The stage publishes tables and figures
into ``<output_dir>`` with the sample flag derived from provenance (never passed by hand),
prints and records every reconciliation, and ends with :meth:`Stage.finish`, which writes
the stage record the runner merges into the manifest. Every stage function returns a
:class:`StageResult`. Terms: docs/glossary.md.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from homecare.core import provenance
from homecare.core.qa import Reconciliation
from homecare.publish import disclosure
from homecare.publish.tables import write_table

if TYPE_CHECKING:  # matplotlib and seaborn are imported only by stages that draw (~0.4 s per kernel)
    from matplotlib.figure import Figure

    from homecare.figures import style

_STYLE_MODULE = "homecare.figures.style"


@dataclass
class StageResult:
    """What one stage function produced: named frames (to display or pass on), published
    table names with row counts, and reconciliations."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    reconciliations: dict[str, Reconciliation] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]


class Stage:
    """One notebook run: ``Stage("01_insurer_scores", output_dir)``."""

    def __init__(
        self, name: str, output_dir: str | Path, *, formats: tuple[str, ...] | list[str] = ("png", "svg")
    ) -> None:
        provenance.reset()
        # the house style is set when the figure modules are imported; a new stage sets it
        # again (a notebook may have changed rcParams), without importing matplotlib for a
        # stage that draws nothing
        if _STYLE_MODULE in sys.modules:
            sys.modules[_STYLE_MODULE].apply_style()
        self.name = name
        self.output_dir = output_dir
        self.formats = tuple(formats)
        self.rows: dict[str, int] = {}
        self.notes: dict[str, Any] = {}
        self._rules: disclosure.DisclosureRules | None = None

    @property
    def rules(self) -> disclosure.DisclosureRules:
        """The disclosure rules (``data/raw/reference/disclosure.yml``), read once per stage."""
        if self._rules is None:
            self._rules = disclosure.load_rules()
        return self._rules

    @contextmanager
    def section(self) -> Iterator[None]:
        """Tables and figures made inside are marked サンプルデータ when an input read inside is."""
        with provenance.section():
            yield

    def table(
        self,
        df: pd.DataFrame,
        name: str,
        *,
        title: str,
        sources: list[str],
        note: str | None = None,
        sheet: str | None = None,
    ) -> Path:
        """Publish ``df`` as table ``name`` (CSV + meta, gathered into the run workbook). A
        column counting people must already be under disclosure control: a small count is an
        error here, never a published number."""
        small = disclosure.unsuppressed_small_counts(df, self.rules)
        if small:
            raise disclosure.DisclosureError(
                f"table {name}: small counts of people in {sorted({c for c, _ in small})} (rows {[r for _, r in small][:5]}); "
                f"withhold them with homecare.publish.disclosure.suppress_small_counts before publishing"
            )
        path = write_table(df, self.output_dir, name, title=title, sources=sources, note=note, sheet=sheet)
        self.rows[name] = len(df)
        return path

    def figure(
        self,
        fig: Figure,
        name: str,
        *,
        table: str | None = None,
        chart: style.ChartSpec | list[style.ChartSpec] | None = None,
    ) -> dict[str, str]:
        """Save ``fig`` (finished with :func:`homecare.figures.style.finish_figure`) in the
        stage's formats; ``table`` names the published table behind it and ``chart`` how the
        slide deck draws it as native, editable charts from that table (one spec per panel). A text on the figure
        that prints a small count of people (参加住民7人) is an error, never a published label."""
        from homecare.figures import style

        small = disclosure.small_counts_in_text("\n".join(style.figure_texts(fig)), self.rules)
        if small:
            raise disclosure.DisclosureError(f"figure {name} prints small counts of people: {small[:3]}")
        return style.save_figure(
            fig, self.output_dir, name, formats=self.formats, table=table, chart=chart, stage=self.name
        )

    def vintage(self, what: str, as_of: str) -> None:
        """Record the 時点 of an input (``"施設データ", "2025-12-01"``): the index page and the
        slide deck's cover list every input with its vintage."""
        self.notes.setdefault("vintages", {})[what] = as_of

    def reconcile(self, label: str, counts: Reconciliation) -> Reconciliation:
        """Check, print and record a reconciliation (``rows in = kept + excluded + quarantined``)."""
        counts.check()
        print(f"{label}: {counts.line()}")
        self.notes.setdefault("reconciliation", {})[label] = counts.line()
        return counts

    def record(self, result: StageResult) -> StageResult:
        """Add a stage function's row counts and reconciliations to the stage record."""
        self.rows.update(result.rows)
        for label, counts in result.reconciliations.items():
            self.reconcile(label, counts)
        return result

    def finish(self, rows: Mapping[str, int] | None = None, notes: Mapping[str, Any] | None = None) -> None:
        """Write the stage record (inputs with hashes, row counts, reconciliations, sample flag);
        returns nothing, so the notebook shows no local path."""
        provenance.finish_stage(
            self.output_dir, self.name, rows={**self.rows, **(rows or {})}, notes={**self.notes, **(notes or {})}
        )
