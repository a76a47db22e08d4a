"""What the bench scripts share: the repository on the import path, the province-sized monthly
workbook, a demo warehouse in a temp folder, wall + CPU clocks, a child process that answers in
JSON, and columns that line up with Chinese text. Not a test, and not part of the app.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PROJECTS = 33
YEAR = 2024  # the year of every generated province month


def use_repo(root: Path = REPO_ROOT) -> None:
    """Put the checkout first on the import path (a bench script runs from bench/)."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))


def write_month(
    path: Path,
    month: int = 6,
    regions: int = 100,
    indicators: int = 80,
    *,
    scores: bool = False,
    catch_up: bool = False,
) -> int:
    """Write a province's month (sheets 进度 and 资金; figures grow with the month); return its
    number of data rows. `scores`: a 考评 sheet too, one row per region. `catch_up`: in June the
    indicators with (region + indicator) % 10 == 4 — lagging in May — reach 60% (序时进度 50%),
    so a fifth of May's lagging indicators catch up."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    progress = workbook.add_worksheet("进度")
    progress.write_row(0, 0, [f"某省{YEAR}年民生工程{month}月份进度表"])
    progress.write_row(1, 0, ["年份", "月份", "地区", "项目编号", "项目名称", "指标名称", "年度目标",
                              "累计完成", "计量单位", "责任单位", "类别"])  # fmt: skip
    row = 2
    for region in range(regions):
        for indicator in range(indicators):
            project = indicator % PROJECTS + 1
            target = 100 + (region * 7 + indicator * 13) % 900
            done = round(target * ((region + indicator) % 10) / 9 * month / 6, 2)
            if catch_up and month == 6 and (region + indicator) % 10 == 4:
                done = round(target * 0.6, 2)
            progress.write_row(row, 0, [
                YEAR, month, f"地区{region:03d}", str(project), f"民生工程{project}",
                f"指标{indicator:02d}", target, done,
                "个", f"省直单位{project}", "工程类",
            ])  # fmt: skip
            row += 1
    funding = workbook.add_worksheet("资金")
    funding.write_row(0, 0, ["年份", "月份", "地区", "项目编号", "项目名称", "计划投入(万元)",
                             "到位资金(万元)", "拨付资金(万元)"])  # fmt: skip
    for region in range(regions):
        for project in range(1, PROJECTS + 1):
            budget = 500.0 + region + project
            funding.write_row(region * PROJECTS + project, 0, [
                YEAR, month, f"地区{region:03d}", str(project), f"民生工程{project}",
                budget, budget * 0.8 * month / 6, budget * 0.6 * month / 6,
            ])  # fmt: skip
    if scores:
        sheet = workbook.add_worksheet("考评")
        sheet.write_row(0, 0, ["年份", "月份", "对象类型", "对象名称", "得分", "加扣分", "说明"])
        for region in range(regions):
            sheet.write_row(region + 1, 0, [
                YEAR, month, "县区", f"地区{region:03d}", 80 + region % 20, 0.5 * (region % 3), "",
            ])  # fmt: skip
    workbook.close()
    return regions * indicators + regions * PROJECTS + (regions if scores else 0)


def demo_database(db: Path | None = None) -> Path:
    """`db`, or a fresh demo warehouse in a new temp folder (outside the checkout)."""
    if db is not None:
        return db
    use_repo()
    from etl.demo import build_demo_database

    db = Path(tempfile.mkdtemp()) / "demo.duckdb"
    build_demo_database(db)
    return db


def clock() -> tuple[float, float]:
    """(wall, CPU) seconds now; CPU is the process's, all threads: on a shared, busy machine it
    varies far less than the wall clock."""
    return time.perf_counter(), time.process_time()


def run_child(command: list[str]) -> dict:
    """Run a measurement in a fresh process (from the checkout); its last line of output is JSON."""
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO_ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def text_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # CJK takes two columns


def pad(text: str, width: int) -> str:
    """`text` filled with spaces to `width` columns (CJK counted as two)."""
    return text + " " * max(0, width - text_width(text))


def print_columns(lines: list[tuple[str, ...]]) -> None:
    """Print rows of cells as columns two spaces apart, each as wide as its widest cell."""
    widths = [max(text_width(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(pad(cell, w) for cell, w in zip(line, widths, strict=True)))
