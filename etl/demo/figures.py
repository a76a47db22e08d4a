"""The demo's figures: targets, cumulative progress, funds and monthly scores, all from one seed.

Each 类别 has its own curve through the year (share of the year's task done by each month end);
every county and indicator gets its own small delay and year-end outcome drawn from a
`random.Random` seeded by text, so the figures never depend on hash salt or run order.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from etl.demo import story
from etl.demo.city import PROJECTS, WHOLE_UNITS, Indicator, Project, Region, regions_of

# Cumulative share of the year's task at month ends 0…12, per curve.
CURVES: dict[str, tuple[float, ...]] = {
    # slow until spring, then steep; done by November
    "工程类": (0, 0, 0.01, 0.07, 0.18, 0.32, 0.45, 0.6, 0.74, 0.88, 0.97, 1.0, 1.0),
    # paid in lumps at the quarter ends, most of it early
    "补助类": (0, 0.1, 0.19, 0.42, 0.45, 0.49, 0.72, 0.75, 0.78, 0.93, 0.95, 0.97, 1.0),
    # enrolment is nearly complete by spring
    "参保服务类": (0, 0.62, 0.83, 0.93, 0.96, 0.975, 0.985, 0.99, 0.993, 0.996, 0.998, 0.999, 1.0),
    # training classes finish in batches
    "培训类": (0, 0.03, 0.08, 0.28, 0.3, 0.47, 0.56, 0.6, 0.64, 0.8, 0.9, 0.95, 1.0),
    "其他": (0, 0.09, 0.18, 0.27, 0.36, 0.45, 0.54, 0.63, 0.72, 0.81, 0.9, 0.97, 1.0),
}
# Curves whose county-to-county delay is drawn smoothly; lump curves keep their months.
SMOOTH = frozenset({"工程类", "其他"})
# Share of the year's funds arrived (到位) by month end: subsidies and insurance come early.
ARRIVAL = (0, 0.15, 0.22, 0.38, 0.45, 0.55, 0.68, 0.74, 0.8, 0.88, 0.93, 0.97, 1.0)
ARRIVAL_EARLY = (0, 0.3, 0.42, 0.6, 0.65, 0.7, 0.82, 0.85, 0.88, 0.95, 0.97, 0.99, 1.0)


@dataclass(frozen=True)
class ProgressFigure:
    year: int
    month: int
    region: str
    project: Project
    indicator: Indicator
    target: float
    actual: float


@dataclass(frozen=True)
class FundingFigure:
    year: int
    month: int
    region: str
    project: Project
    budget: float
    arrived: float
    disbursed: float


def rng_for(*parts: object) -> random.Random:
    """A generator seeded by text: the same parts always give the same draws."""
    return random.Random(":".join(str(p) for p in (story.SEED, *parts)))


def curve_at(curve: tuple[float, ...], month: float) -> float:
    """Linear interpolation of a month-end curve at a (possibly fractional) month."""
    x = min(max(month, 0.0), 12.0)
    lo = math.floor(x)
    if lo >= 12:
        return curve[12]
    return curve[lo] + (curve[lo + 1] - curve[lo]) * (x - lo)


def planned_share(project: Project, year: int, month: int) -> float:
    """序时进度 the demo's published plans will give (fraction): the project's plan, else its 类别's,
    else month / 12 — the warehouse's rule (views.sql planned_rate_of), predicted here because
    the story is written before any warehouse exists; tests/demo check the loaded figures."""
    if project.code == story.WATER_PROJECT:
        return story.WATER_PLAN[month - 1] / 100
    if project.category == "工程类":
        return story.ENGINEERING_PLAN[month - 1] / 100
    return month / 12


def split_target(total: float, regions: list[Region], unit: str, rng: random.Random) -> list[float]:
    """Share a city-wide figure among regions by weight, a little uneven, whole units ≥ 1."""
    weights = [r.weight * rng.uniform(0.9, 1.1) for r in regions]
    shares = [total * w / sum(weights) for w in weights]
    if unit not in WHOLE_UNITS and unit != "%":
        return [round(s, 2) for s in shares]
    if unit == "%":
        return [float(total)] * len(regions)  # a rate target is the same everywhere
    return [float(max(1, round(s))) for s in shares]


def year_target(indicator: Indicator, project: Project, year: int) -> float:
    """City-wide target of a year: 2025 as in the table; the next year a little higher."""
    if year == story.YEAR:
        return indicator.target
    if (project.code, indicator.name) == story.OVER_TARGET:
        return 320.0  # the city corrected an unrealistic target
    growth = rng_for("growth", project.code, indicator.name).uniform(1.0, 1.08)
    value = indicator.target * growth
    return float(round(value)) if indicator.unit in WHOLE_UNITS else round(value, 2)


def _series(
    project: Project, indicator: Indicator, region: Region, year: int, target: float
) -> list[float]:
    """Cumulative actuals for months 1…12 of one region, indicator and year (true figures)."""
    rng = rng_for("series", year, region.name, project.code, indicator.name)
    shape = indicator.shape or project.category
    outcome = indicator.outcome
    if (project.code, indicator.name) == story.OVER_TARGET and year == story.YEAR:
        outcome = story.OVER_TARGET_OUTCOMES.get(region.name, story.OVER_TARGET_OTHERS)
    # on-target tasks end on or above target; late ones scatter around their outcome
    outcome *= rng.uniform(0.95, 1.05) if indicator.chronic else rng.uniform(1.0, 1.06)
    delay = rng.uniform(-0.5, 0.4) if shape in SMOOTH else 0.0
    if indicator.chronic:
        delay += 1.5
    values = []
    for month in range(1, 13):
        if shape == "rate":
            share = 0.96 + 0.04 * month / 12
        elif shape == "steady":
            share = 1.0
        else:
            share = curve_at(CURVES[shape], month + indicator.lead - delay)
        factor = 1.0
        if region.name == story.LAGGING_REGION and year == story.YEAR and shape != "steady":
            factor = story.LAGGING_FACTORS.get(month, 1.0)
        values.append(target * outcome * share * factor)
    running = 0.0
    result = []
    for v in values:  # cumulative figures never fall
        running = max(running, v)
        # a road section or a 泵站 is either finished or not: whole units round down
        whole = indicator.unit in WHOLE_UNITS
        result.append(float(math.floor(running + 1e-9)) if whole else round(running, 2))
    return result


def progress_figures() -> list[ProgressFigure]:
    """Every true progress figure of the demo, before any clerk's typo or missing file."""
    figures = []
    for year in sorted({y for y, _ in story.PERIODS}):
        months = [m for y, m in story.PERIODS if y == year]
        for project in PROJECTS:
            regions = regions_of(project)
            for indicator in project.indicators:
                total = year_target(indicator, project, year)
                rng = rng_for("split", year, project.code, indicator.name)
                targets = split_target(total, regions, indicator.unit, rng)
                for region, target in zip(regions, targets, strict=True):
                    series = _series(project, indicator, region, year, target)
                    for month in months:
                        figures.append(
                            ProgressFigure(
                                year, month, region.name, project, indicator, target,
                                series[month - 1],
                            )
                        )  # fmt: skip
    return figures


def as_reported(figure: ProgressFigure) -> float:
    """The figure as the county's clerk typed it: one month has a digit dropped."""
    typo = story.TYPO
    if (
        figure.region == typo["region"]
        and (figure.year, figure.month) == (typo["year"], typo["month"])
        and (figure.project.code, figure.indicator.name)
        == (typo["project_code"], typo["indicator"])
    ):
        return float(math.floor(figure.actual / 10))
    return figure.actual


def completion_share(figures: list[ProgressFigure]) -> float:
    """How far a project is, for paying out funds: mean capped completion of its counted tasks."""
    counted = [f for f in figures if (f.indicator.shape or "") not in ("rate", "steady")]
    if not counted:
        return figures[0].month / 12
    return sum(min(1.0, f.actual / f.target) for f in counted) / len(counted)


def funding_figures(progress: list[ProgressFigure]) -> list[FundingFigure]:
    """计划投入, 到位资金 and 拨付资金 (万元) per project, region and month, following progress."""
    by_key: dict[tuple, list[ProgressFigure]] = {}
    for f in progress:
        by_key.setdefault((f.year, f.region, f.project.code), []).append(f)
    result = []
    for (year, region_name, code), figures in by_key.items():
        project = figures[0].project
        regions = regions_of(project)
        rng = rng_for("budget", year, code)
        budget_total = project.budget * (1.0 if year == story.YEAR else rng.uniform(1.0, 1.1))
        budgets = split_target(budget_total, regions, "万元", rng)
        budget = budgets[[r.name for r in regions].index(region_name)]
        noise = rng_for("funds", year, region_name, code)
        arrival_pace = noise.uniform(0.95, 1.02)
        pay_pace = noise.uniform(0.9, 1.0)
        early = project.category in ("补助类", "参保服务类")
        arrival = ARRIVAL_EARLY if early else ARRIVAL
        months = sorted({f.month for f in figures})
        advance = story.ADVANCE_PAYMENT
        arrived_so_far = disbursed_so_far = 0.0
        for month in months:
            done = completion_share([f for f in figures if f.month == month])
            arrived = round(budget * min(1.0, arrival[month] * arrival_pace), 2)
            arrived = max(arrived, arrived_so_far)
            disbursed = round(min(arrived * 0.98, budget * done * pay_pace), 2)
            disbursed = max(disbursed, disbursed_so_far)
            if (region_name, year, month, code) == (
                advance["region"], advance["year"], advance["month"], advance["project_code"]
            ):  # fmt: skip
                disbursed = round(arrived * 1.06, 2)  # paid ahead of the funds: 拨付 > 到位
            else:
                arrived = max(arrived, disbursed)
            arrived_so_far, disbursed_so_far = arrived, disbursed
            result.append(
                FundingFigure(year, month, region_name, project, budget, arrived, disbursed)
            )
    return result
