"""Build one month's 通报 content from the metrics layer (pure: reads, never writes).

`build_content` asks the metrics layer the same questions the dashboard asks, so the bulletin's
figures are the dashboard's figures. The helpers below turn the metrics frames into the bulletin's
dataclasses and sentences; they are pure and tested with small tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from bulletin.form import DocumentForm, usual_issue_date
from bulletin.model import (
    COUNTY,
    DEPARTMENT,
    Adjustment,
    BulletinContent,
    Headline,
    LaggingIndicator,
    LaggingProject,
    RankingRow,
    SupervisionRow,
    SupervisionSection,
    chinese_date,
)
from metrics.filters import Filters
from metrics.forecast import bulletin_sentence
from metrics.format import fmt_money_wan, fmt_percent, fmt_score, project_sort_key
from metrics.lagging import lagging_items
from metrics.overview import month_figures
from metrics.periods import dimensions
from metrics.ranking import SOURCE_SCORES, rankings
from metrics.supervision import month_ledger


class NoDataForMonth(LookupError):
    """The month has neither progress nor scores loaded (该月没有数据)."""


def build_content(
    wh: Any,
    year: int,
    month: int,
    issued_on: dt.date | None = None,
    *,
    form: DocumentForm | None = None,
) -> BulletinContent:
    """通报 of (year, month) from the warehouse `wh` (a `metrics.db.Warehouse`), dated
    `issued_on`, by default the office's usual day (`form.issue_day`) of the month after.

    Raises `NoDataForMonth` when the month has no progress, funding or 考评 rows.
    """
    filters = Filters(year=year, month=month)
    county = rankings(wh, year, month, COUNTY)
    department = rankings(wh, year, month, DEPARTMENT)
    figures = month_figures(wh, filters)
    if not figures.has_data and county.empty and department.empty:
        raise NoDataForMonth(f"{year}年{month}月没有已导入的进度或考评数据")
    headline = headline_from(figures)
    county_rows = ranking_rows(_records(county.frame))
    department_rows = ranking_rows(_records(department.frame))
    lagging = group_lagging(_records(lagging_items(wh, filters)))
    adjustments = adjustments_from(_records(county.frame), COUNTY) + adjustments_from(
        _records(department.frame), DEPARTMENT
    )
    by_scores = (county.empty or county.source == SOURCE_SCORES,
                 department.empty or department.source == SOURCE_SCORES)  # fmt: skip
    summary = summary_paragraphs(
        year, month, headline, county_rows, department_rows, lagging, by_scores
    )
    forecast = bulletin_sentence(wh, filters)  # 预警: the items that will miss the year
    if forecast:
        if month < 12:
            forecast += "请相关县区和责任单位加快进度，确保完成全年目标任务。"
        summary = (*summary, forecast)
    issued_on = issued_on or usual_issue_date(year, month, (form or DocumentForm()).issue_day)
    supervision = supervision_section(wh, year, month, issued_on)
    if supervision is not None:
        summary = (*summary, supervision_sentence(month, supervision))
    return BulletinContent(
        year=year,
        month=month,
        issued_on=issued_on,
        headline=headline,
        county_ranking=county_rows,
        department_ranking=department_rows,
        lagging=lagging,
        adjustments=adjustments,
        summary=summary,
        county_ranking_by_scores=by_scores[0],
        department_ranking_by_scores=by_scores[1],
        supervision=supervision,
    )


def supervision_section(
    wh: Any, year: int, month: int, as_of: dt.date
) -> SupervisionSection | None:
    """附件4 from metrics.supervision.month_ledger; None without a ledger (an older database)
    or when nothing was opened or 销号 in the month and nothing is overdue."""
    ledger = month_ledger(wh, year, month, as_of)
    if ledger is None or ledger.is_empty:
        return None
    return SupervisionSection(
        as_of=as_of,
        opened=supervision_rows(_records(ledger.opened)),
        closed=supervision_rows(_records(ledger.closed)),
        overdue=supervision_rows(_records(ledger.overdue)),
    )


def supervision_rows(records: Iterable[Mapping[str, Any]]) -> tuple[SupervisionRow, ...]:
    """Ledger rows (metrics.supervision.LEDGER_COLUMNS, maybe with days_overdue) → 附件4 rows."""
    rows = []
    for r in records:
        closed_at = _value(r.get("closed_at"))
        rows.append(
            SupervisionRow(
                item_id=int(r["item_id"]),
                region=_value(r.get("region")),
                department=_value(r.get("department")),
                label=str(r["item_label"]),
                month=int(r["month"]),
                gap_opened_points=_float(r.get("gap_opened_points")),
                deadline=pd.Timestamp(r["deadline"]).date(),
                closed_on=None if closed_at is None else pd.Timestamp(closed_at).date(),
                days_overdue=_int(r.get("days_overdue")),
            )
        )
    return tuple(rows)


def supervision_sentence(month: int, s: SupervisionSection) -> str:
    """ "督办方面：针对9月份滞后情况下发督办5项；9月内销号2项；截至…，3项逾期未销号（…）。" """
    parts = [
        f"针对{month}月份滞后情况下发督办{len(s.opened)}项" if s.opened else
        f"{month}月份未新下发督办",
        f"{month}月内销号{len(s.closed)}项",
    ]  # fmt: skip
    day = chinese_date(s.as_of)
    if s.overdue:
        units = dict.fromkeys(r.region or r.department for r in s.overdue)
        names = "、".join(u for u in units if u)
        overdue = f"截至{day}，{len(s.overdue)}项已过整改期限仍未销号（红色督办）"
        if names:
            overdue += f"，涉及{names}"
        parts.append(overdue + "，请相关县区和单位抓紧整改并报送整改情况")
    else:
        parts.append(f"截至{day}，无逾期未销号的督办事项")
    return "督办方面：" + "；".join(parts) + "。详见附件4。"


def county_progress(
    wh: Any, year: int, month: int
) -> tuple[list[str], list[float | None], list[float | None]]:
    """Per county: (regions, completion rates, 序时进度) of the month, as the dashboard's cards
    compute them for a region filter — the data of the bulletin's chart."""
    regions, completion, planned = [], [], []
    for region in dimensions(wh, year).regions:
        figures = month_figures(wh, Filters(year=year, month=month, region=region))
        if figures.n_indicators:
            regions.append(region)
            completion.append(figures.completion_rate)
            planned.append(figures.planned_rate)
    return regions, completion, planned


def _records(frame: Any) -> list[dict[str, Any]]:
    return [] if frame is None else frame.to_dict("records")


def _value(value: Any) -> Any:
    """NaN / NA / NaT from pandas → None, so the dataclasses hold plain values."""
    return None if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else value


def _int(value: Any) -> int | None:
    value = _value(value)
    return None if value is None else int(value)


def _float(value: Any) -> float | None:
    value = _value(value)
    return None if value is None else float(value)


def headline_from(ov: Any) -> Headline | None:
    """总体进展 from a `metrics.overview.Overview`; None when the month has no progress rows."""
    if ov is None or not ov.n_indicators:
        return None
    return Headline(
        n_projects=int(ov.n_projects),
        n_indicators=int(ov.n_indicators),
        completion_rate=_float(ov.completion_rate),
        planned_rate=_float(ov.planned_rate),
        n_lagging=int(ov.n_lagging or 0),
        budget=_float(ov.budget),
        arrived=_float(ov.arrived),
        disbursed=_float(ov.disbursed),
        arrived_rate=_float(ov.arrived_rate),
        disbursed_rate=_float(ov.disbursed_rate),
    )


def ranking_rows(records: Iterable[Mapping[str, Any]]) -> tuple[RankingRow, ...]:
    """附件1 rows in the order printed: by month rank, then name (ties keep a stable order)."""
    rows = [
        RankingRow(
            unit=str(r["unit"]),
            score=_float(r.get("score")),
            rank=_int(r.get("rank")),
            cumulative_score=_float(r.get("cumulative_score")),
            cumulative_rank=_int(r.get("cumulative_rank")),
        )
        for r in records
    ]
    return tuple(sorted(rows, key=lambda row: (row.rank is None, row.rank or 0, row.unit)))


def adjustments_from(
    records: Iterable[Mapping[str, Any]], unit_type: str
) -> tuple[Adjustment, ...]:
    """加扣分 with a reason or a non-zero amount, in ranking order of the given rows."""
    found = []
    for r in records:
        amount = _float(r.get("adjustment")) or 0.0
        note = str(_value(r.get("note")) or "").strip()
        if note or round(amount, 3) != 0:
            found.append(Adjustment(unit_type, str(r["unit"]), amount, note))
    return tuple(found)


def _lead_department(departments: list[str | None]) -> str | None:
    """责任单位 of a project: the department named most often on its lagging rows."""
    named = [d for d in departments if d]
    return max(dict.fromkeys(named), key=named.count) if named else None


def group_lagging(records: Iterable[Mapping[str, Any]]) -> tuple[LaggingProject, ...]:
    """滞后指标 grouped by project, naming the counties behind and the lead department."""
    by_project: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for r in records:
        by_project.setdefault((str(r["project_code"]), str(r["project_name"])), []).append(r)
    projects = []
    for (code, name), rows in by_project.items():
        indicators = tuple(
            LaggingIndicator(
                region=str(r["region"]),
                indicator=str(r["indicator"]),
                completion_rate=_float(r.get("completion_rate")),
                planned_rate=_float(r.get("planned_rate")),
                gap_points=_float(r.get("gap_points")),
                below_city_average=bool(_value(r.get("below_city_average")) or False),
            )
            for r in rows
        )
        projects.append(
            LaggingProject(
                project_code=code,
                project_name=name,
                department=_lead_department([_value(r.get("department")) for r in rows]),
                regions=tuple(dict.fromkeys(i.region for i in indicators)),
                indicators=indicators,
            )
        )
    return tuple(sorted(projects, key=lambda p: project_sort_key(p.project_code)))


def _units_at_rank_one(rows: tuple[RankingRow, ...], cumulative: bool) -> list[RankingRow]:
    rank = (lambda r: r.cumulative_rank) if cumulative else (lambda r: r.rank)
    return [r for r in rows if rank(r) == 1]


def ranking_sentence(
    rows: tuple[RankingRow, ...], who: str, month: int, measure: str = "得分"
) -> str | None:
    """ "县区中，义安区、铜官区9月得分1.498，并列第一；1-9月累计得分义安区最高（13.715）…"

    `measure` is 得分, or 进度指数 when metrics ranked without a 考评 sheet."""
    if not rows:
        return None
    firsts = _units_at_rank_one(rows, cumulative=False)
    text = f"{who}中，"
    if firsts:
        names = "、".join(r.unit for r in firsts)
        tie = "并列第一" if len(firsts) > 1 else "排名第一"
        text += f"{names}{month}月{measure}{fmt_score(firsts[0].score)}，{tie}"
    cumulative_firsts = _units_at_rank_one(rows, cumulative=True)
    if cumulative_firsts and month > 1:
        names = "、".join(r.unit for r in cumulative_firsts)
        best = fmt_score(cumulative_firsts[0].cumulative_score)
        text += f"；1-{month}月累计{measure}{names}最高（{best}）"
    last = [r for r in rows if r.rank is not None and r.rank == max(x.rank or 0 for x in rows)]
    if last and len(rows) > 2 and last[0].rank != 1:
        text += f"；{'、'.join(r.unit for r in last)}{month}月{measure}最低（{fmt_score(last[0].score)}）"
    return text + "。"


def headline_sentence(month: int, h: Headline) -> str:
    """ "截至9月底，全市…" — the month's headline figures (总体进展 and 资金)."""
    text = (
        f"截至{month}月底，全市{h.n_projects}个民生工程项目共{h.n_indicators}项指标，"
        f"指标平均完成率{fmt_percent(h.completion_rate)}（单项超过100%的按100%计），"
        f"平均序时进度{fmt_percent(h.planned_rate)}"
    )
    if h.budget:
        text += (
            f"；计划投入{fmt_money_wan(h.budget)}，到位资金{fmt_money_wan(h.arrived)}"
            f"（到位率{fmt_percent(h.arrived_rate)}），拨付资金{fmt_money_wan(h.disbursed)}"
            f"（拨付率{fmt_percent(h.disbursed_rate)}，按到位资金计）"
        )
    return text + f"。分县区看，{h.n_lagging}项县区指标完成率低于序时进度。"


MAX_NAMED_PROJECTS = 8  # the letter names the widest-spread ones; 附件2 lists every item


def lagging_sentence(month: int, lagging: tuple[LaggingProject, ...]) -> str:
    """ "二是个别项目进展缓慢" in one sentence: which department's project lags where.

    With more than MAX_NAMED_PROJECTS projects, those lagging in the most regions are named
    (in project order) and the sentence ends "等N个项目".
    """
    if not lagging:
        return f"{month}月份各项目指标均达到序时进度。"
    named = lagging
    if len(lagging) > MAX_NAMED_PROJECTS:
        widest = sorted(lagging, key=lambda p: -len(p.regions))[:MAX_NAMED_PROJECTS]
        named = tuple(p for p in lagging if p in widest)
    parts = []
    for p in named:
        who = f"{p.department}承担的" if p.department else ""
        parts.append(f"{who}{p.project_name}项目（{'、'.join(p.regions)}）")
    text = f"{month}月份进展未达序时进度的有：" + "；".join(parts)
    if len(named) < len(lagging):
        text += f"等{len(lagging)}个项目"
    return text + "。"


def summary_paragraphs(
    year: int,
    month: int,
    headline: Headline | None,
    county_rows: tuple[RankingRow, ...],
    department_rows: tuple[RankingRow, ...],
    lagging: tuple[LaggingProject, ...],
    by_scores: tuple[bool, bool] = (True, True),
) -> tuple[str, ...]:
    """The body paragraphs before the 附件 list, in the order of seed 004."""
    paragraphs = [
        f"根据《{year}年度民生工程月度考评办法》要求，市民生办依据各地各部门报送的{month}月份"
        f"民生工程进展数据和考评结果，完成了{month}月份月度考评工作，现将有关情况通报如下。"
    ]
    if headline is not None:
        paragraphs.append(headline_sentence(month, headline))
    rank_text = [
        s
        for s in (
            ranking_sentence(county_rows, "县区", month, "得分" if by_scores[0] else "进度指数"),
            ranking_sentence(
                department_rows, "市直单位", month, "得分" if by_scores[1] else "进度指数"
            ),
        )
        if s
    ]
    if rank_text:
        paragraphs.append("从考评结果看：" + "".join(rank_text) + "具体排名见附件1。")
    if headline is not None:
        paragraphs.append(lagging_sentence(month, lagging) + "详见附件2。")
    return tuple(paragraphs)
