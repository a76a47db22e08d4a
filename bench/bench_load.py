"""Benchmark: one province-sized month (100 regions × 80 indicators + 100 × 33 funding rows).

    python bench/bench_load.py [--runs 3] [--regions 100] [--indicators 80] [--scores] [--verbose]

The twelve months are written once as .xlsx in a temp folder. Every measurement is a fresh
process (modules imported before the clock starts, as in a running app): June into a fresh
database, June into one that already holds May (the usual case: schema in place, warnings compare
with last month), and December into one that holds January to November (the year's largest):

- 端到端: `load_paths([June], db)`, exactly what `python -m etl load` does; the warehouse copy is
  opened in the background while the file is parsed, so this is less than 解析 + 入库;
- 解析 / 入库: in another process, `parse_file` then `load_parsed` one after the other, to show
  the reader side and the warehouse side apart;
- calamine只读: in a third process, python-calamine alone reading every sheet into Python lists,
  one after the other (the issue's "about 130k rows/s"). A shared machine's speed drifts by a
  factor of 1.5 within minutes; 端到端/只读 (the loader's speed as a share of the bare reader's,
  measured side by side) drifts far less. The issue's target, 60k of 130k rows/s, is 46%.

已热进程: the same end-to-end load in a process that loaded the month before (untimed, into a
scratch database), as in the running dashboard, where a clerk uploads one file after another:
its memory is already mapped and its code paths run once.

CPU is the process's CPU time (all threads): on a shared, busy machine it varies far less than
the wall clock. Peak RSS is that of the end-to-end process. Prints one table of medians.
With --scores each month also carries a 考评 sheet (one score per region), as a real month's
province file does beside 进度 and 资金.

Not a test: figures vary with the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.common import PROJECTS, clock, print_columns, run_child, write_month  # noqa: E402


def child(mode: str, book: Path, template: Path | None, warm_up: Path | None = None) -> dict:
    """Runs in a fresh process; mode "total" times load_paths, "split" its two halves,
    "calamine" the reader alone (every sheet to Python lists, one after the other). `warm_up`:
    a file loaded first, untimed, into a scratch database (a running dashboard has loaded
    before: its memory and DuckDB are warm)."""
    import resource

    if mode == "calamine":
        return read_only_calamine(book)

    import python_calamine  # noqa: F401 - imported lazily by the reader: not part of the load

    from etl.reading.parse import parse_file
    from etl.writing.warehouse import load_parsed, load_paths

    with tempfile.TemporaryDirectory() as folder:
        if warm_up is not None:
            load_paths([warm_up], Path(folder) / "warm-up.duckdb")
        db = Path(folder) / "wh.duckdb"
        if template is not None:  # the earlier months, loaded in another process
            shutil.copyfile(template, db)
        wall, cpu = clock()
        if mode == "total":
            [result] = load_paths([book], db)
            parsed_at = parsed_cpu = None
        else:
            parsed = parse_file(book)
            parsed_at, parsed_cpu = clock()
            [result] = load_parsed([parsed], db)
        done, done_cpu = clock()
    assert not result.refused, [str(e) for e in result.errors[:3]]
    run = {"rows": sum(result.rows.values()), "wall": done - wall, "cpu": done_cpu - cpu}
    if parsed_at is not None:
        run |= {"parse": parsed_at - wall, "parse_cpu": parsed_cpu - cpu,
                "write": done - parsed_at, "write_cpu": done_cpu - parsed_cpu}  # fmt: skip
    run["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return run


def read_only_calamine(book: Path) -> dict:
    """python-calamine alone, as the issue's 130k rows/s figure: the yardstick of this machine
    at this moment, since a shared machine's speed drifts by a factor of 1.5 within minutes.
    The median of three reads, each of every sheet into Python lists, one after the other."""
    from python_calamine import CalamineWorkbook

    times = []
    for _ in range(3):
        wall = time.perf_counter()
        workbook = CalamineWorkbook.from_path(str(book))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        times.append(time.perf_counter() - wall)
    return {"wall": statistics.median(times)}


def prepare(db: Path, books: list[Path]) -> None:
    command = [sys.executable, __file__, "--child", "prepare", str(db), *map(str, books)]
    run_child(command)


def measure(mode: str, book: Path, template: Path | None, warm_up: Path | None = None) -> dict:
    command = [sys.executable, __file__, "--child", mode, str(book)]
    command += [str(template) if template is not None else "-"]
    command += [str(warm_up)] if warm_up is not None else []
    return run_child(command)


def main() -> None:
    parser = argparse.ArgumentParser(description="导入速度基准：一个省份规模的月报")
    parser.add_argument("--runs", type=int, default=3, help="每种情形测几次（取中位数）")
    parser.add_argument("--regions", type=int, default=100, help="地区数")
    parser.add_argument("--indicators", type=int, default=80, help="每个地区的指标数")
    parser.add_argument("--scores", action="store_true", help="月报另带一张考评表（每个地区一行）")
    parser.add_argument("--verbose", action="store_true", help="打印每一次的结果")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, *paths = args.child
        if mode == "prepare":  # build a database of earlier months: paths are db, books...
            from etl.writing.warehouse import load_paths

            load_paths([Path(p) for p in paths[1:]], Path(paths[0]))
            print("{}")  # run_child reads the last line as JSON
            return
        template = Path(paths[1]) if len(paths) > 1 and paths[1] != "-" else None
        warm_up = Path(paths[2]) if len(paths) > 2 else None
        print(json.dumps(child(mode, Path(paths[0]), template, warm_up)))
        return
    with tempfile.TemporaryDirectory() as folder:
        books = {}
        for month in range(1, 13):
            books[month] = Path(folder) / f"省{month}月.xlsx"
            rows = write_month(
                books[month], month, args.regions, args.indicators, scores=args.scores
            )
        scores = f"，考评 {args.regions}" if args.scores else ""
        print(f"月报：{rows} 行（进度 {args.regions}×{args.indicators}，"
              f"资金 {args.regions}×{PROJECTS}{scores}），{books[6].stat().st_size / 1024:.0f} KB，"
              f"每种情形 {args.runs} 次，取中位数")  # fmt: skip
        may, year = Path(folder) / "5月.duckdb", Path(folder) / "1-11月.duckdb"
        prepare(may, [books[5]])
        prepare(year, [books[m] for m in range(1, 12)])
        cases = (
            ("新数据库", books[6], None, books[5]),
            ("已有5月数据", books[6], may, books[5]),
            ("已有1–11月数据", books[12], year, books[11]),
        )
        table = []
        for label, book, previous, warm_up in cases:
            runs = []
            for number in range(1, args.runs + 1):
                run = measure("total", book, previous) | _split(measure("split", book, previous))
                run["calamine"] = measure("calamine", book, None)["wall"]
                run["warm"] = measure("total", book, previous, warm_up)["wall"]
                assert run["rows"] == rows, run
                runs.append(run)
                if args.verbose:
                    print(f"{label} 第{number}次：{json.dumps(run)}")
            table.append((label, {k: statistics.median(r[k] for r in runs) for k in runs[0]}))
        _print_table(table)


def _split(run: dict) -> dict:
    return {key: run[key] for key in ("parse", "parse_cpu", "write", "write_cpu")}


def _print_table(table: list[tuple[str, dict]]) -> None:
    header = ("情形", "端到端 s", "行/秒", "CPU s", "CPU 行/秒", "解析 s (CPU)", "入库 s (CPU)",
              "峰值内存 MB", "calamine只读 行/秒", "端到端/只读", "已热进程 行/秒")  # fmt: skip
    lines = [header]
    for label, m in table:
        lines.append((
            label, f"{m['wall']:.3f}", f"{m['rows'] / m['wall']:,.0f}", f"{m['cpu']:.3f}",
            f"{m['rows'] / m['cpu']:,.0f}", f"{m['parse']:.3f} ({m['parse_cpu']:.3f})",
            f"{m['write']:.3f} ({m['write_cpu']:.3f})", f"{m['peak_mb']:.0f}",
            f"{m['rows'] / m['calamine']:,.0f}", f"{m['calamine'] / m['wall']:.0%}",
            f"{m['rows'] / m['warm']:,.0f}",
        ))  # fmt: skip
    print_columns(lines)


if __name__ == "__main__":
    main()
