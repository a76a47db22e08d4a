"""The bulletin's content as frozen dataclasses, and the labels both writers share.

Writers (.docx, Markdown) only lay out a `BulletinContent`; every figure and sentence is decided
in `bulletin.content`, so the two documents always say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from metrics.format import MISSING, fmt_score

COUNTY = "县区"
DEPARTMENT = "市直单位"


def chinese_date(day: dt.date) -> str:
    """落款日期 in the form the 民生办 writes it: 2020年10月16日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cumulative_label(month: int) -> str:
    """Label of the year-to-date column: 1-9月 (seed 004), 1月 for January."""
    return "1月" if month == 1 else f"1-{month}月"


def fmt_adjustment(value: float | None) -> str:
    """加扣分 with its sign: +0.05, -0.05 (the sheets' precision, trailing zeros dropped)."""
    if value is None or round(value, 3) == 0:
        return "0"
    text = f"{abs(value):.3f}".rstrip("0").rstrip(".")
    return ("+" if value > 0 else "-") + text


def fmt_rank(value: int | None) -> str:
    return MISSING if value is None else str(value)


@dataclass(frozen=True)
class RankingRow:
    """One unit's line in 附件1: the month's score and rank, and the year-to-date ones."""

    unit: str
    score: float | None
    rank: int | None
    cumulative_score: float | None
    cumulative_rank: int | None


@dataclass(frozen=True)
class Adjustment:
    """加扣分 of one unit in the month, with the reason (说明) as loaded."""

    unit_type: str
    unit: str
    adjustment: float
    note: str


@dataclass(frozen=True)
class LaggingIndicator:
    """One 指标 of one region that is below its 序时进度 (rates are fractions)."""

    region: str
    indicator: str
    completion_rate: float | None
    planned_rate: float | None
    gap_points: float | None
    below_city_average: bool = False


@dataclass(frozen=True)
class LaggingProject:
    """滞后项目: a project with the regions behind schedule and its lead department (责任单位)."""

    project_code: str
    project_name: str
    department: str | None
    regions: tuple[str, ...]
    indicators: tuple[LaggingIndicator, ...]

    @property
    def label(self) -> str:
        """ "4、“四好农村路”建设" — the numbering the 通报 uses for projects."""
        return f"{self.project_code}、{self.project_name}"


@dataclass(frozen=True)
class Headline:
    """总体进展 figures of the month (rates are fractions, money 万元); None where not loaded."""

    n_projects: int
    n_indicators: int
    completion_rate: float | None
    planned_rate: float | None
    n_lagging: int
    budget: float | None = None
    arrived: float | None = None
    disbursed: float | None = None
    arrived_rate: float | None = None
    disbursed_rate: float | None = None


@dataclass(frozen=True)
class SupervisionRow:
    """One 督办事项 as the 通报's 附件4 lists it (gap: points behind 序时进度, positive)."""

    item_id: int
    region: str | None
    department: str | None
    label: str  # project (indicator), or 督查发现
    month: int  # the month it was opened for
    gap_opened_points: float | None
    deadline: dt.date
    closed_on: dt.date | None = None
    days_overdue: int | None = None


@dataclass(frozen=True)
class SupervisionSection:
    """督办台账 in the 通报: items opened for the month, 销号 in the month, overdue (红) on the
    通报's date."""

    as_of: dt.date
    opened: tuple[SupervisionRow, ...]
    closed: tuple[SupervisionRow, ...]
    overdue: tuple[SupervisionRow, ...]


@dataclass(frozen=True)
class BulletinContent:
    """Everything one month's 通报 says. Built by `bulletin.content.build_content`."""

    year: int
    month: int
    issued_on: dt.date
    headline: Headline | None
    county_ranking: tuple[RankingRow, ...]
    department_ranking: tuple[RankingRow, ...]
    lagging: tuple[LaggingProject, ...]
    adjustments: tuple[Adjustment, ...]
    summary: tuple[str, ...] = field(default=())  # the body paragraphs, in order
    issuer: str = "市民生办"
    # False when a unit type had no 考评 sheet this month and metrics ranked by 进度指数 instead.
    county_ranking_by_scores: bool = True
    department_ranking_by_scores: bool = True
    # 督办台账 (附件4); None for a database without the ledger or a month with nothing to say
    supervision: SupervisionSection | None = None

    @property
    def title(self) -> str:
        return f"{self.month}月份民生工程月度考评情况通报"

    @property
    def salutation(self) -> str:
        return "市民生工作领导小组有关成员单位："

    @property
    def date_text(self) -> str:
        return chinese_date(self.issued_on)

    @property
    def month_label(self) -> str:
        return f"{self.month}月"

    @property
    def cumulative_label(self) -> str:
        return cumulative_label(self.month)

    def ranking_header(self, by_scores: bool = True) -> tuple[str, ...]:
        """Header of a ranking table in 附件1, as in seed 004 (进度指数 without a 考评 sheet)."""
        m, c = self.month_label, self.cumulative_label
        what, total = ("得分", "得分") if by_scores else ("进度指数", "累计指数")
        return ("单位", f"{m}{what}", f"{m}排名", f"{c}{total}", f"{c}排名")

    def ranking_sections(self) -> tuple[tuple[str, tuple[RankingRow, ...], bool], ...]:
        """(caption, rows, ranked by 考评 scores?) of the two tables of 附件1."""
        return (
            ("县区排名", self.county_ranking, self.county_ranking_by_scores),
            ("市直责任单位排名", self.department_ranking, self.department_ranking_by_scores),
        )

    @property
    def attachment_titles(self) -> tuple[str, ...]:
        m = f"{self.month}月份"
        titles = (
            f"{m}民生工程排名情况汇总表",
            f"{m}民生工程进展滞后项目表",
            f"{m}民生工程加（扣）分情况表",
        )
        if self.supervision is not None:
            titles += (f"{m}民生工程督办事项情况表",)
        return titles

    def supervision_sections(self) -> tuple[tuple[str, tuple[str, ...], list, str], ...]:
        """(caption, header, cell rows, sentence when empty) of the three tables of 附件4."""
        s = self.supervision
        if s is None:
            return ()
        m, day = f"{self.month}月", chinese_date(s.as_of)
        return (
            (f"一、针对{m}份滞后情况下发的督办", SUPERVISION_OPENED_HEADER,
             [supervision_opened_cells(r) for r in s.opened], f"{m}份未下发督办。"),
            (f"二、{m}内销号的督办", SUPERVISION_CLOSED_HEADER,
             [supervision_closed_cells(r) for r in s.closed], f"{m}内无销号的督办。"),
            (f"三、截至{day}逾期未销号的督办（红色）", SUPERVISION_OVERDUE_HEADER,
             [supervision_overdue_cells(r) for r in s.overdue], "无逾期未销号的督办。"),
        )  # fmt: skip


LAGGING_HEADER = ("项目", "责任单位", "地区", "指标", "完成率", "序时进度", "落后（百分点）")
INDEX_NOTE = "注：本月未导入考评表，按进度指数排名（各指标完成率÷序时进度的平均，单项最高按1.2计；1.0为恰好达到序时进度）。"
ADJUSTMENT_HEADER = ("类型", "单位", "加（扣）分", "原因")


def ranking_cells(row: RankingRow) -> tuple[str, ...]:
    """The five cells of a ranking row as printed in both documents."""
    return (
        row.unit,
        fmt_score(row.score),
        fmt_rank(row.rank),
        fmt_score(row.cumulative_score),
        fmt_rank(row.cumulative_rank),
    )


SUPERVISION_OPENED_HEADER = (
    "编号",
    "地区",
    "责任单位",
    "督办事项",
    "下发时落后（百分点）",
    "整改期限",
)
SUPERVISION_CLOSED_HEADER = ("编号", "地区", "责任单位", "督办事项", "下发月份", "销号日期")
SUPERVISION_OVERDUE_HEADER = ("编号", "地区", "责任单位", "督办事项", "整改期限", "逾期天数")


def _unit(value: str | None) -> str:
    return value or MISSING


def supervision_opened_cells(row: SupervisionRow) -> tuple[str, ...]:
    gap = MISSING if row.gap_opened_points is None else f"{row.gap_opened_points:.1f}"
    return (str(row.item_id), _unit(row.region), _unit(row.department), row.label, gap,
            chinese_date(row.deadline))  # fmt: skip


def supervision_closed_cells(row: SupervisionRow) -> tuple[str, ...]:
    closed = MISSING if row.closed_on is None else chinese_date(row.closed_on)
    return (str(row.item_id), _unit(row.region), _unit(row.department), row.label,
            f"{row.month}月", closed)  # fmt: skip


def supervision_overdue_cells(row: SupervisionRow) -> tuple[str, ...]:
    days = MISSING if row.days_overdue is None else f"{row.days_overdue}天"
    return (str(row.item_id), _unit(row.region), _unit(row.department), row.label,
            chinese_date(row.deadline), days)  # fmt: skip
