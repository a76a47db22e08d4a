"""Benchmark: one province-sized month (100 regions × 80 indicators + 100 × 33 funding rows).

    python bench/bench_load.py [--runs 3]

June (and May) are written once as .xlsx in a temp folder. Each run is a fresh process that
loads June end to end (parse + checks + write + swap), into a fresh database and into one that
already holds May, timing the parse and the warehouse halves; the peak RSS is that process's.
Prints each run and the medians.
Not a test: figures vary with the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
REGIONS, INDICATORS, PROJECTS = 100, 80, 33


def write_month(path: Path, month: int = 6) -> int:
    """Write the month's workbook (figures grow with the month); return its number of data rows."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    progress = workbook.add_worksheet("进度")
    progress.write_row(0, 0, [f"某省2024年民生工程{month}月份进度表"])
    progress.write_row(1, 0, ["年份", "月份", "地区", "项目编号", "项目名称", "指标名称", "年度目标",
                              "累计完成", "计量单位", "责任单位", "类别"])  # fmt: skip
    row = 2
    for region in range(REGIONS):
        for indicator in range(INDICATORS):
            project = indicator % PROJECTS + 1
            target = 100 + (region * 7 + indicator * 13) % 900
            progress.write_row(row, 0, [
                2024, month, f"地区{region:03d}", str(project), f"民生工程{project}",
                f"指标{indicator:02d}", target,
                round(target * ((region + indicator) % 10) / 9 * month / 6, 2),
                "个", f"省直单位{project}", "工程类",
            ])  # fmt: skip
            row += 1
    funding = workbook.add_worksheet("资金")
    funding.write_row(0, 0, ["年份", "月份", "地区", "项目编号", "项目名称", "计划投入(万元)",
                             "到位资金(万元)", "拨付资金(万元)"])  # fmt: skip
    for region in range(REGIONS):
        for project in range(1, PROJECTS + 1):
            budget = 500.0 + region + project
            funding.write_row(region * PROJECTS + project, 0, [
                2024, month, f"地区{region:03d}", str(project), f"民生工程{project}",
                budget, budget * 0.8 * month / 6, budget * 0.6 * month / 6,
            ])  # fmt: skip
    workbook.close()
    return REGIONS * INDICATORS + REGIONS * PROJECTS


def child(book: Path, previous: Path | None) -> dict:
    """Runs in a fresh process: parse the file, then write it into a fresh database, or into
    one that already holds the previous month (the usual case: schema in place, warnings that
    compare with last month).

    load_paths is exactly parse_file followed by load_parsed; timing the two halves here tells
    the reader side from the warehouse side."""
    import resource

    sys.path.insert(0, str(REPO_ROOT))
    from etl.parse import parse_file
    from etl.warehouse import load_parsed

    imports_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "wh.duckdb"
        if previous is not None:
            load_parsed([parse_file(previous)], db)
        start = time.perf_counter()
        parsed = parse_file(book)
        parsed_at = time.perf_counter()
        [result] = load_parsed([parsed], db)
        done = time.perf_counter()
    assert not result.refused, [str(e) for e in result.errors[:3]]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: kilobytes
    return {
        "rows": sum(result.rows.values()), "load_s": done - start, "parse_s": parsed_at - start,
        "write_s": done - parsed_at, "peak_mb": peak_kb / 1024, "imports_mb": imports_kb / 1024,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="导入速度基准：一个省份规模的月报")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        paths = [Path(p) for p in args.child]
        print(json.dumps(child(paths[0], paths[1] if len(paths) > 1 else None)))
        return
    with tempfile.TemporaryDirectory() as folder:
        book, may = Path(folder) / "省6月.xlsx", Path(folder) / "省5月.xlsx"
        rows = write_month(book)
        write_month(may, month=5)
        print(f"月报：{rows} 行（进度 {REGIONS}×{INDICATORS}，资金 {REGIONS}×{PROJECTS}），"
              f"{book.stat().st_size / 1024:.0f} KB")  # fmt: skip
        for label, previous in (("新数据库", None), ("已有5月数据的数据库", may)):
            runs = []
            for number in range(1, args.runs + 1):
                command = [sys.executable, __file__, "--child", str(book)]
                command += [str(previous)] if previous else []
                done = subprocess.run(command, check=True, capture_output=True, text=True,
                                      cwd=REPO_ROOT)  # fmt: skip
                run = json.loads(done.stdout.strip().splitlines()[-1])
                assert run["rows"] == rows
                runs.append(run)
                print(f"{label} 第{number}次：{_describe(run)}")
            median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            print(f"{label} 中位数：{_describe(median)}")


def _describe(run: dict) -> str:
    rows = run["rows"]
    return (
        f"端到端 {run['load_s']:.3f} s = {rows / run['load_s']:,.0f} 行/秒"
        f"（解析 {run['parse_s']:.3f} s = {rows / run['parse_s']:,.0f} 行/秒，"
        f"入库 {run['write_s']:.3f} s）；"
        f"峰值内存 {run['peak_mb']:.0f} MB（其中导入库 {run['imports_mb']:.0f} MB）"
    )


if __name__ == "__main__":
    main()
