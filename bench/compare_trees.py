"""Compare two checkouts: the page benchmark and the load benchmark of each, in one run.

    python bench/compare_trees.py --before DIR --after DIR [--rounds 3] [--page-runs 3]
        [--regions 30] [--indicators 40] [--only pages|load]

Meant for a refactor's "no slower" check. A shared machine's speed drifts by a factor of 1.5
within minutes, so figures from two separate runs cannot be compared; this tool runs both trees
interleaved in one run (`--rounds` rounds of both; the order turns each round: before, after,
after, before … so neither tree always runs second) and compares the ratio after ÷ before of
the medians, which drifts far less.

Each measurement is a fresh process of the tree's own script, with the tree as the working
directory and the same Python as this tool (`sys.executable`): `bench/bench_pages.py --demo DB
--runs N` and `bench/bench_load.py --runs 1 --regions R --indicators I`. Their printed tables
are read back, so both trees must keep those scripts' command lines and output. Each tree first
builds its own demo warehouse with its own loader (`python -m etl demo --db …`: the two trees may
lay out views differently), in a temp folder that is removed at the end; nothing is written into
either checkout (no bytecode either).

Printed: for each page · tab the medians of the first run (ms) and of the warm script CPU time
(ms); for each load case the medians of end-to-end wall and CPU seconds; each with after ÷
before, and the per-round ratio of the pages' summed warm CPU and of the loads' summed CPU, to
show the run's own noise (the first-run column is one sample a round: trust the warm CPU
column). A ratio under 1 means the after tree is faster. With the defaults (demo data, 30
regions × 40 indicators) a run took 2.5 minutes on a 2-core machine, 9 minutes when the machine
was busy with other work; `--only pages` or `--only load` halves it, and `--regions 100
--indicators 80` gives bench_load.py's own province-sized month (slower, steadier load figures).
Not a test: figures vary with the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.common import print_columns  # noqa: E402

SIDES = ("before", "after")
LABELS = {"before": "之前", "after": "之后"}
# a row of bench_pages.py's table: name, first run ms, warm CPU ms (or 异常), maybe "超"
PAGE_ROW = re.compile(r"^(?P<name>\S.*?)\s+(?P<first>\d+)\s+(?P<warm>\d+|异常)(?: 超)?\s*$")


def child_env() -> dict[str, str]:
    """The environment of a measured process: no bytecode written into the checkouts, and no
    REPO_ROOT override, so each script measures its own tree."""
    env = {k: v for k, v in os.environ.items() if k not in ("REPO_ROOT", "MINSHENG_DB")}
    return env | {"PYTHONDONTWRITEBYTECODE": "1"}


def run_script(tree: Path, args: list[str]) -> str:
    """Run `python ARGS` in `tree`; return its standard output (a failure stops the tool)."""
    done = subprocess.run(
        [sys.executable, *args], cwd=tree, env=child_env(), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(
            f"{tree}：{' '.join(args)} 失败（退出码 {done.returncode}）\n{done.stderr[-2000:]}"
        )
    return done.stdout


def parse_pages(output: str) -> dict[str, tuple[float, float | None]]:
    """bench_pages.py's table (one scale) → page · tab → (first ms, warm CPU ms or None)."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("页面 · 标签")), None)
    if start is None:
        raise SystemExit(f"读不到页面基准的输出：\n{output[-1000:]}")
    rows = {}
    for line in lines[start + 1 :]:
        match = PAGE_ROW.match(line)
        if match:
            warm = match["warm"]
            rows[match["name"]] = (float(match["first"]), None if warm == "异常" else float(warm))
    return rows


def parse_load(output: str) -> dict[str, tuple[float, float]]:
    """bench_load.py's table → case → (end-to-end wall s, CPU s)."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("情形")), None)
    if start is None:
        raise SystemExit(f"读不到导入基准的输出：\n{output[-1000:]}")
    header = re.split(r"\s{2,}", lines[start].strip())
    wall, cpu = header.index("端到端 s"), header.index("CPU s")
    rows = {}
    for line in lines[start + 1 :]:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) == len(header):
            rows[cells[0]] = (float(cells[wall]), float(cells[cpu]))
    return rows


def build_demo(tree: Path, db: Path) -> None:
    run_script(tree, ["-m", "etl", "demo", "--db", str(db)])


def median_of(rounds: list[dict], key: str, index: int) -> float | None:
    values = [r[key][index] for r in rounds if key in r and r[key][index] is not None]
    return statistics.median(values) if values else None


def ratio(before: float | None, after: float | None) -> str:
    if before is None or after is None or before == 0:
        return "—"
    return f"{after / before:.2f}"


def fmt(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def print_pages(runs: dict[str, list[dict]]) -> None:
    print("\n页面基准（bench/bench_pages.py，示例数据）：各轮中位数")
    lines = [("页面 · 标签", "之前 首次(ms)", "之后 首次(ms)", "之后÷之前",
              "之前 热运行CPU(ms)", "之后 热运行CPU(ms)", "之后÷之前")]  # fmt: skip
    names = list(runs["before"][0])
    totals = {side: [0.0, 0.0] for side in SIDES}
    for name in names:
        cells = [name]
        for index, digits in ((0, 0), (1, 0)):
            before, after = (median_of(runs[side], name, index) for side in SIDES)
            for side, value in zip(SIDES, (before, after), strict=True):
                totals[side][index] += value or 0.0
            cells += [fmt(before, digits), fmt(after, digits), ratio(before, after)]
        lines.append(tuple(cells))
    lines.append(("合计", *(cell for index in (0, 1) for cell in (
        fmt(totals["before"][index], 0), fmt(totals["after"][index], 0),
        ratio(totals["before"][index], totals["after"][index]),
    ))))  # fmt: skip
    print_columns(lines)
    per_round = [
        ratio(sum(w for _, w in b.values() if w), sum(w for _, w in a.values() if w))
        for b, a in zip(runs["before"], runs["after"], strict=True)
    ]
    print(f"逐轮热运行 CPU 合计之后÷之前：{'，'.join(per_round)}")


def print_load(runs: dict[str, list[dict]]) -> None:
    print("\n导入基准（bench/bench_load.py）：各轮中位数")
    lines = [("情形", "之前 端到端 s", "之后 端到端 s", "之后÷之前",
              "之前 CPU s", "之后 CPU s", "之后÷之前")]  # fmt: skip
    for case in runs["before"][0]:
        cells = [case]
        for index in (0, 1):
            before, after = (median_of(runs[side], case, index) for side in SIDES)
            cells += [fmt(before, 3), fmt(after, 3), ratio(before, after)]
        lines.append(tuple(cells))
    print_columns(lines)
    per_round = [
        ratio(sum(c for _, c in b.values()), sum(c for _, c in a.values()))
        for b, a in zip(runs["before"], runs["after"], strict=True)
    ]
    print(f"逐轮 CPU 合计之后÷之前：{'，'.join(per_round)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description="两个代码目录的页面与导入基准对比（同一次运行内交替测量）"
    )
    parser.add_argument("--before", type=Path, required=True, help="改动之前的代码目录")
    parser.add_argument("--after", type=Path, required=True, help="改动之后的代码目录")
    parser.add_argument("--rounds", type=int, default=3, help="交替测量的轮数（取中位数）")
    parser.add_argument("--page-runs", type=int, default=3, help="页面基准每个标签的热运行次数")
    parser.add_argument("--regions", type=int, default=30, help="导入基准的地区数")
    parser.add_argument("--indicators", type=int, default=40, help="导入基准每个地区的指标数")
    parser.add_argument("--only", choices=["pages", "load"], help="只测页面或只测导入")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    for side, tree in trees.items():
        if not (tree / "bench" / "bench_pages.py").exists():
            raise SystemExit(f"{LABELS[side]}：{tree} 不是本项目的代码目录")
    started = time.perf_counter()
    pages: dict[str, list[dict]] = {side: [] for side in SIDES}
    loads: dict[str, list[dict]] = {side: [] for side in SIDES}
    with tempfile.TemporaryDirectory(prefix="compare-trees-") as folder:
        demo = {side: Path(folder) / side / "demo.duckdb" for side in SIDES}
        if args.only != "load":
            for side in SIDES:
                build_demo(trees[side], demo[side])
        for number in range(1, args.rounds + 1):
            print(f"第 {number}/{args.rounds} 轮 …", file=sys.stderr, flush=True)
            order = SIDES if number % 2 else SIDES[::-1]  # neither tree always second
            if args.only != "load":
                for side in order:
                    command = ["bench/bench_pages.py", "--demo", str(demo[side])]
                    output = run_script(trees[side], command + ["--runs", str(args.page_runs)])
                    pages[side].append(parse_pages(output))
            if args.only != "pages":
                for side in order:
                    command = ["bench/bench_load.py", "--runs", "1", "--regions",
                               str(args.regions), "--indicators", str(args.indicators)]  # fmt: skip
                    loads[side].append(parse_load(run_script(trees[side], command)))
    print(f"之前：{trees['before']}\n之后：{trees['after']}")
    print(f"{args.rounds} 轮，先后次序逐轮交替；同一个 Python（{sys.executable}）")
    if pages["before"]:
        print_pages(pages)
    if loads["before"]:
        print_load(loads)
    print(f"\n共用时 {time.perf_counter() - started:.0f} 秒。之后÷之前小于 1 表示之后更快。")


if __name__ == "__main__":
    main()
