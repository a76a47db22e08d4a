"""Generate the demo city's report files into data/demo/: `python -m etl.demo.generate [OUT_DIR]`.

One workbook per county per month (`2025-03_东湖区.xlsx`), the 民生办's monthly 考评 file
(`2025-03_市民生办_考评.xlsx`; CSV in GB18030 from 2026), and each year's published 序时计划.
The same seed always writes the same bytes, so the committed files can be checked for staleness.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from openpyxl import Workbook

from etl.demo import story
from etl.demo.city import REGIONS
from etl.demo.figures import (
    FundingFigure,
    ProgressFigure,
    as_reported,
    funding_figures,
    progress_figures,
)
from etl.demo.scores import ScoreFigure, score_figures
from etl.demo.workbook import (
    SCORES_HEADER,
    Habits,
    county_workbook,
    save_csv,
    save_workbook,
    schedule_workbook,
    scores_workbook,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "data" / "demo"
# Files this generator owns in its folder (anything else there is left alone).
OWN_FILE = re.compile(r"^\d{4}(-\d{2})?_.+\.(xlsx|csv)$")

HABITS: dict[str, Habits] = {
    "东湖区": Habits(progress_sheet="进度表", funding_sheet="资金表", footer=True),
    "西山区": Habits(fullwidth_header=True),
    "南溪县": Habits(
        progress_sheet="1.项目进度", funding_sheet="2.资金进度", codes_as_numbers=True,
        totals_row=True, extra_sheets=("填报说明",),
    ),
    "北岭县": Habits(title=False, money_unit="(元)", money_scale=10_000.0),
    "青阳县": Habits(money_unit="", text_numbers=True, footer=True),
    "示例经开区": Habits(),
}  # fmt: skip
# From December the 经开区's new clerk reports money in 亿元.
YI_FROM = ("示例经开区", (2025, 12))
# 北岭县's Excel turned 12-1 … 12-3 into dates in these months.
DATE_CODES = ("北岭县", {(2025, 5), (2025, 6)})
# 青阳县 merged its 地区 and 项目 cells until the 民生办 asked it to stop.
MERGED = ("青阳县", (2025, 4))


def _habits(region: str, year: int, month: int) -> Habits:
    habits = HABITS[region]
    if region == YI_FROM[0] and (year, month) >= YI_FROM[1]:
        habits = Habits(money_unit="(亿元)", money_scale=1 / 10_000)
    if region == DATE_CODES[0] and (year, month) in DATE_CODES[1]:
        habits = Habits(**{**habits.__dict__, "codes_as_dates": True})
    if region == MERGED[0] and (year, month) <= MERGED[1]:
        habits = Habits(**{**habits.__dict__, "merged": True})
    return habits


def _progress_row(f: ProgressFigure) -> list:
    p, i = f.project, f.indicator
    return [
        f.year, f.month, f.region, p.code, p.name, i.name, i.unit,
        f.target, as_reported(f), p.department, p.category,
    ]  # fmt: skip


def _funding_row(f: FundingFigure) -> list:
    return [
        f.year,
        f.month,
        f.region,
        f.project.code,
        f.project.name,
        f.budget,
        f.arrived,
        f.disbursed,
    ]


def _score_row(s: ScoreFigure) -> list:
    adjustment = s.adjustment if s.adjustment else None
    return [s.year, s.month, s.unit_type, s.unit, s.base, adjustment, s.note or None]


def _schedule_workbook(year: int) -> Workbook:
    """工程类 plan as plain numbers; the water plan as text with "%" (2025), then as Excel
    percentage cells holding fractions (2026)."""
    if year == story.YEAR:
        water = [f"{v}%" for v in story.WATER_PLAN]
    else:
        water = [v / 100 for v in story.WATER_PLAN]
    rows = [
        [year, None, "工程类", *story.ENGINEERING_PLAN, "工程类项目10月份基本完成"],
        [year, story.WATER_PROJECT, None, *water, "汛期放缓"],
    ]
    return schedule_workbook(year, rows, frozenset() if year == story.YEAR else frozenset({1}))


def _county_files(out_dir: Path, progress: list, funding: list) -> list[Path]:
    by_report: dict[tuple, tuple[list, list]] = {}
    for f in progress:
        by_report.setdefault((f.year, f.month, f.region), ([], []))[0].append(_progress_row(f))
    for f in funding:
        by_report[(f.year, f.month, f.region)][1].append(_funding_row(f))
    paths = []
    for year, month in story.PERIODS:
        for region in REGIONS:
            if (region.name, year, month) == story.MISSING_REPORT:
                continue
            rows, money = by_report[(year, month, region.name)]
            habits = _habits(region.name, year, month)
            wb = county_workbook(region.name, year, month, rows, money, habits)
            paths.append(save_workbook(wb, out_dir / f"{year}-{month:02d}_{region.name}.xlsx"))
    return paths


def _score_files(out_dir: Path, scores: list[ScoreFigure]) -> list[Path]:
    paths = []
    for year, month in story.PERIODS:
        rows = [_score_row(s) for s in scores if (s.year, s.month) == (year, month)]
        stem = f"{year}-{month:02d}_市民生办_考评"
        if year > story.YEAR:  # the 民生办 moved to exporting CSV from its new system
            paths.append(save_csv(SCORES_HEADER, rows, out_dir / f"{stem}.csv"))
        else:
            paths.append(
                save_workbook(scores_workbook(year, month, rows), out_dir / f"{stem}.xlsx")
            )
    return paths


def generate(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Write every demo report file into out_dir (created if needed); return them in name order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    progress = progress_figures()
    funding = funding_figures(progress)
    scores = score_figures(progress)
    paths = _county_files(out_dir, progress, funding)
    paths += _score_files(out_dir, scores)
    for year in sorted({y for y, _ in story.PERIODS}):
        paths.append(save_workbook(_schedule_workbook(year), out_dir / f"{year}_序时计划.xlsx"))
    written = {p.name for p in paths}
    for (
        old
    ) in out_dir.iterdir():  # drop files of an earlier story so the folder is exactly the demo
        if old.is_file() and OWN_FILE.match(old.name) and old.name not in written:
            old.unlink()
    return sorted(paths, key=lambda p: p.name)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else DEFAULT_OUT
    paths = generate(out_dir)
    size = sum(p.stat().st_size for p in paths)
    print(f"已生成示例数据 {len(paths)} 个文件，共 {size / 1024:.0f} KB：{out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
