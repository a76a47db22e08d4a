"""Report files for the 数据管理 tests (AppTest, actions, browser): a base of two months as the
CLI would have loaded it, a county's good correction and a county's bad file."""

from __future__ import annotations

import io
import zipfile

import openpyxl

# The contract's header rows are written out once, for every loader test (tests/etl/fixtures.py).
from tests.etl.fixtures import FUNDING_HEADER, PROGRESS_HEADER


def workbook(progress: list[list], funding: list[list] | None = None) -> bytes:
    """A 月报 workbook as a county sends it: a title row, the header row, then the rows."""
    book = openpyxl.Workbook()
    sheets = [("进度", PROGRESS_HEADER, progress)] + (
        [("资金", FUNDING_HEADER, funding)] if funding else []
    )
    for i, (title, header, rows) in enumerate(sheets):
        sheet = book.active if i == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([f"测试市2025年民生工程{title}表"])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


JOBS = ["1", "公益性岗位开发", "公益性岗位开发"]
REGIONS = ("铜官区", "义安区", "枞阳县")


def jobs_row(month: int, region: str, target: float, actual: float) -> list:
    return [2025, month, region, *JOBS, target, actual, "个", "市人社局", "补助类"]


# The months already loaded: May and June for three regions; 枞阳县 has sent no June funding, and
# 义安区's June 拨付 is above its 到位 (a warning).
BASE = workbook(
    [jobs_row(m, r, 100, 5 * m * (i + 1)) for m in (5, 6) for i, r in enumerate(REGIONS)],
    [[2025, 5, r, "1", "公益性岗位开发", 500, 200, 100] for r in REGIONS]
    + [[2025, 6, "铜官区", "1", "公益性岗位开发", 500, 300, 120],
       [2025, 6, "义安区", "1", "公益性岗位开发", 800, 600, 640]],
)  # fmt: skip
# 铜官区 corrects its June figure: 42 of 100 instead of 30.
GOOD = ("铜官区6月.xlsx", workbook([jobs_row(6, "铜官区", 100, 42)]))
# 枞阳县's file has a negative 累计完成 in spreadsheet row 3.
BAD = ("枞阳县6月.xlsx", workbook([jobs_row(6, "枞阳县", 100, -3)]))


def forged(content: bytes) -> bytes:
    """The workbook with a shared-string table that declares four billion strings: the reader
    would reserve 96 GB for them and abort the process serving the dashboard."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename.lower() != "xl/sharedstrings.xml":
                target.writestr(info.filename, source.read(info))
        target.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'uniqueCount="4000000000"><si><t>铜官区</t></si></sst>',
        )
    return out.getvalue()


# 义安区's file, forged (a copy of the correction with a hostile part added).
FORGED = ("义安区6月.xlsx", forged(GOOD[1]))
