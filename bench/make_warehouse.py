"""Build a province-scale or national-scale warehouse to measure the pages on.

    python bench/make_warehouse.py province OUT.duckdb [--regions 104] [--indicators 80] [--years 5]
    python bench/make_warehouse.py national OUT.duckdb [--regions 2850] [--indicators 80] [--years 5]

province: one workbook per month (sheets 进度, 资金, 考评; every region in one file, as a
province 民生办 collects them), written to a temp folder and loaded by the real loader,
`python -m etl load FOLDER --yes`, in one swap. 104 × 80 × 12 × 5 = 499,200 progress rows.

national (a documented shortcut): the first month's workbook of every region goes through the
same loader (so the schema, views and load_log are the loader's own), then every other month is
inserted by DuckDB SQL (bench/sql/expand_months.sql) from that month's rows: the same targets,
completion from the same pace formula. 2,850 × 80 × 12 × 5 = 13.7M progress rows. The loader
is bypassed for those rows only, so its checks and warnings are not measured at this scale.

Figures: the year's target is fixed per region × indicator; completion = target × pace × month/12
(capped at the target), pace = 1.41 − 1.2·u² with u ∈ [0, 1) from a hash of (region, indicator,
year): about two in five items lag 序时进度 (the default month/12), most by a little, some (红)
by more than 30 points by mid-year. Not a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = Path(__file__).resolve().parent / "sql"
PROJECTS = 33
DEPARTMENTS = 20
CATEGORIES = ("工程类", "补助类", "参保服务类", "培训类")
FIRST_YEAR = 2021


def region_name(r: int) -> str:
    return f"县区{r:04d}"


def project_of(indicator: int) -> int:
    return indicator % PROJECTS + 1


def pace(region: int, indicator: int, year: int) -> float:
    """The same formula as bench/sql/expand_months.sql (keep them together)."""
    u = ((region * 31 + indicator * 17 + year * 7) % 100) / 100
    return 1.41 - 1.2 * u * u


def target(region: int, indicator: int) -> int:
    return 100 + (region * 7 + indicator * 13) % 900


def write_month(path: Path, year: int, month: int, regions: int, indicators: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    progress = book.add_worksheet("进度")
    progress.write_row(0, 0, [f"某省{year}年民生工程{month}月份进度表"])
    progress.write_row(1, 0, ["年份", "月份", "地区", "项目编号", "项目名称", "指标名称",
                              "年度目标", "累计完成", "计量单位", "责任单位", "类别"])  # fmt: skip
    row = 2
    for r in range(regions):
        for i in range(indicators):
            p = project_of(i)
            goal = target(r, i)
            done = min(goal, round(goal * pace(r, i, year) * month / 12, 2))
            progress.write_row(row, 0, [
                year, month, region_name(r), f"P{p:02d}", f"民生工程{p:02d}", f"指标{i:02d}",
                goal, done, "个", f"省直单位{p % DEPARTMENTS + 1:02d}",
                CATEGORIES[p % len(CATEGORIES)],
            ])  # fmt: skip
            row += 1
    funding = book.add_worksheet("资金")
    funding.write_row(0, 0, ["年份", "月份", "地区", "项目编号", "项目名称", "计划投入(万元)",
                             "到位资金(万元)", "拨付资金(万元)"])  # fmt: skip
    row = 1
    for r in range(regions):
        for p in range(1, PROJECTS + 1):
            budget = 500.0 + (r * 13 + p * 7) % 400
            share = min(1.0, pace(r, p, year) * month / 12)
            funding.write_row(row, 0, [
                year, month, region_name(r), f"P{p:02d}", f"民生工程{p:02d}",
                budget, round(budget * share, 2), round(budget * share * 0.8, 2),
            ])  # fmt: skip
            row += 1
    scores = book.add_worksheet("考评")
    scores.write_row(0, 0, ["年份", "月份", "对象类型", "对象名称", "得分", "加扣分", "说明"])
    units = [("县区", region_name(r)) for r in range(regions)]
    units += [("市直单位", f"省直单位{d:02d}") for d in range(1, DEPARTMENTS + 1)]
    for row, (kind, unit) in enumerate(units, start=1):
        scores.write_row(row, 0, [year, month, kind, unit, 80 + (row * 7 + month) % 20])
    book.close()


def load(folder: Path, db: Path) -> None:
    cmd = [sys.executable, "-m", "etl", "load", str(folder), "--db", str(db), "--yes"]
    done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"python -m etl load failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def province(db: Path, regions: int, indicators: int, years: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            for month in range(1, 13):
                write_month(Path(folder) / f"{year}-{month:02d}.xlsx", year, month, regions,
                            indicators)  # fmt: skip
        print(f"已写出 {years * 12} 个月报文件，载入中…", flush=True)
        load(Path(folder), db)


def national(db: Path, regions: int, indicators: int, years: int) -> None:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        write_month(Path(folder) / f"{FIRST_YEAR}-01.xlsx", FIRST_YEAR, 1, regions, indicators)
        print("首月文件已写出，载入中…", flush=True)
        load(Path(folder), db)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
    from warehouse.sql import sql_text  # the one SQL loader

    sql = sql_text(SQL_DIR, "expand_months.sql")
    with duckdb.connect(str(db)) as con:
        for statement in filter(str.strip, sql.split(";")):
            params = {"first_year": FIRST_YEAR, "last_year": FIRST_YEAR + years - 1}
            con.execute(statement, params)
        con.execute("CHECKPOINT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", choices=["province", "national"])
    parser.add_argument("db", type=Path)
    parser.add_argument("--regions", type=int)
    parser.add_argument("--indicators", type=int, default=80)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    if args.db.exists():
        raise SystemExit(f"{args.db} 已存在；请换一个文件名。")
    args.db.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    build = province if args.scale == "province" else national
    regions = args.regions or (104 if args.scale == "province" else 2850)
    build(args.db, regions, args.indicators, args.years)
    import duckdb

    with duckdb.connect(str(args.db), read_only=True) as con:
        (n,) = con.execute("SELECT count(*) FROM progress_report").fetchone()
    print(f"{args.db}: {n:,} 行进度数据，用时 {time.perf_counter() - start:.0f} 秒")


if __name__ == "__main__":
    main()
