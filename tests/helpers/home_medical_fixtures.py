"""Small inputs for the home-care tests: a 届出受理医療機関名簿 in the real layout, row by row.

``list_row`` builds one row of the 24 real columns; ``write_list`` writes rows under the real
top block (empty row 1, the 「…現在」 date in A2, empty row 3, the header in row 4).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from homecare_dev.samples.home_medical import HEADER, SUPPORT_CLINIC, SUPPORT_HOSPITAL

AS_OF = "[令和７年９月１日 現在 ]令和７年１０月２日作成 全医療機関出力"


def list_row(
    number: str = "0100011",
    *,
    pref: str = "14",
    name: str = "あおばクリニック",
    address: str = "横浜市青葉区青葉台１－１－１",
    symbol: str = "",
    notification: str = "",
    accepted: str = "第1号",
    started: str = "令和 6年 6月 1日",
    remark: tuple[str, str] = ("", ""),
    serial: str = "1",
) -> list[str]:
    """One row of the list (every cell text, as the real file); ``symbol`` '' = no notification."""
    if symbol and not notification:
        notification = {
            **{f"支援診{k}": v for k, v in SUPPORT_CLINIC.items()},
            **{f"支援病{k}": v for k, v in SUPPORT_HOSPITAL.items()},
        }.get(symbol[:4], f"{symbol}の届出")  # 支援診２ア: the name of 支援診２
    filled = bool(symbol)
    return [
        serial,
        pref,
        {"14": "神奈川県", "13": "東京都", "19": "山梨県"}.get(pref, ""),
        "医科",
        number,
        "",
        "",
        name,
        "225-0011",
        address,
        "045-000-0000",
        "",
        "",
        notification if filled else "",
        symbol,
        accepted if filled else "",
        started if filled else "",
        "",
        remark[0],
        remark[1],
        "",
        "",
        "",
        "",
    ]


def write_list(
    path: Path, rows: list[list[str]], *, top: str = AS_OF, header_row: int = 4, sheet: str = "Sheet1"
) -> Path:
    """The rows under the real top block: the date in A2, the header in ``header_row``."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.cell(row=2, column=1, value=top)
    for j, h in enumerate(HEADER, start=1):
        ws.cell(row=header_row, column=j, value=h)
    for i, row in enumerate(rows, start=header_row + 1):
        for j, v in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=v)
    wb.save(path)
    return path
