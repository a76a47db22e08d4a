"""Monthly 考评 scores of the demo: counties (县区) and city departments (市直单位).

A unit starts from 1.5 and loses a little for each of its lagging tasks (counties) or projects
(departments), like seed 004's range of 1.25–1.55; the 民生办's 加扣分 come with their reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.demo import story
from etl.demo.city import DEPARTMENTS, REGIONS
from etl.demo.figures import ProgressFigure, planned_share, rng_for

# (reason, points): the 民生办's bonuses and deductions, as in seed 004.
COUNTY_ADJUSTMENTS = (
    ("信息被省民生工程网站采用", 0.05, 0.22),
    ("部分项目点未使用民生工程标识牌", -0.05, 0.08),
    ("未按时报送资金报表", -0.05, 0.07),
)
DEPARTMENT_ADJUSTMENTS = (
    ("信息被省民生工程网站采用", 0.05, 0.18),
    ("未按时报送信息", -0.025, 0.06),
    ("未按时公示民生工程进展", -0.05, 0.04),
    ("数据库上报不符合要求", -0.025, 0.04),
)


@dataclass(frozen=True)
class ScoreFigure:
    year: int
    month: int
    unit_type: str  # 县区 or 市直单位
    unit: str
    base: float  # 得分
    adjustment: float  # 加扣分
    note: str  # 说明


def _is_lagging(figure: ProgressFigure) -> bool:
    share = planned_share(figure.project, figure.year, figure.month)
    return figure.actual / figure.target < share - 1e-9


def _draw(unit: str, year: int, month: int, table: tuple) -> tuple[float, list[str]]:
    rng = rng_for("adjust", year, month, unit)
    total, notes = 0.0, []
    for reason, points, chance in table:
        if rng.random() < chance:
            total += points
            sign = "加" if points > 0 else "扣"
            notes.append(f"{reason}{sign}{abs(points):g}分")
    return total, notes


def _county_scores(progress: list[ProgressFigure], year: int, month: int) -> list[ScoreFigure]:
    rows = []
    for region in REGIONS:
        mine = [f for f in progress if (f.year, f.month, f.region) == (year, month, region.name)]
        lagging = sum(_is_lagging(f) for f in mine)
        base = round(min(1.5, max(1.3, 1.5 - 0.004 * lagging)), 3)
        adjustment, notes = _draw(region.name, year, month, COUNTY_ADJUSTMENTS)
        if (region.name, year, month) == story.MISSING_REPORT:
            adjustment -= 0.1
            notes.append(f"未按时报送{month}月份月报扣0.1分")
        rows.append(
            ScoreFigure(year, month, "县区", region.name, base, adjustment, "；".join(notes))
        )
    tie = story.SCORE_TIE
    if (year, month) == (tie["year"], tie["month"]):
        first, second = tie["units"]
        rows = [
            ScoreFigure(year, month, "县区", r.unit, tie["score"], 0.0, "")
            if r.unit == first
            else ScoreFigure(
                year, month, "县区", r.unit, round(tie["score"] - 0.05, 3), 0.05,
                "信息被省民生工程网站采用加0.05分",
            )
            if r.unit == second
            else r
            for r in rows
        ]  # fmt: skip
    return rows


def _department_scores(progress: list[ProgressFigure], year: int, month: int) -> list[ScoreFigure]:
    # City-wide completion of each task: Σ累计完成 ÷ Σ年度目标 over the counties.
    sums: dict[tuple[str, str], list] = {}
    for f in progress:
        if (f.year, f.month) == (year, month):
            entry = sums.setdefault((f.project.code, f.indicator.name), [f, 0.0, 0.0])
            entry[1] += f.actual
            entry[2] += f.target
    lagging_by_department: dict[str, int] = {}
    for figure, actual, target in sums.values():
        if actual / target < planned_share(figure.project, year, month) - 1e-9:
            department = figure.project.department
            lagging_by_department[department] = lagging_by_department.get(department, 0) + 1
    rows = []
    for department in DEPARTMENTS:
        lagging = lagging_by_department.get(department, 0)
        # 工作推进情况: the part of 得分 the 民生办 judges from meetings and checks
        conduct = rng_for("conduct", year, month, department).choice((0, 0, 0, 0.025, 0.025, 0.05))
        base = round(max(1.25, 1.5 - 0.05 * lagging - conduct) / 0.025) * 0.025
        adjustment, notes = _draw(department, year, month, DEPARTMENT_ADJUSTMENTS)
        typo = story.TYPO
        if department == "市医保局" and (year, month) == (typo["year"], typo["month"]):
            adjustment -= 0.05
            notes.append(
                f"上报进展时审核不严，造成{typo['region']}城乡居民医保参保数据错误扣0.05分"
            )
        rows.append(
            ScoreFigure(
                year, month, "市直单位", department, round(base, 3), round(adjustment, 3),
                "；".join(notes),
            )
        )  # fmt: skip
    return rows


def score_figures(progress: list[ProgressFigure]) -> list[ScoreFigure]:
    """Every month's scores for all counties and departments, from the true progress figures."""
    rows = []
    for year, month in story.PERIODS:
        rows += _county_scores(progress, year, month)
        rows += _department_scores(progress, year, month)
    return [
        ScoreFigure(r.year, r.month, r.unit_type, r.unit, r.base, round(r.adjustment, 3), r.note)
        for r in rows
    ]
