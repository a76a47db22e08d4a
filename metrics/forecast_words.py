"""预警 in words: the sentence a clerk checks with a calculator, the view's headlines, and the
通报's paragraph. The figures come from metrics.forecast (the rule is in its docstring)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.format import fmt_percent

LAST_MONTH = 12
_SPANS = {1: "近一个月", 2: "近两个月", 3: "近三个月"}


# --- the sentence a clerk checks ------------------------------------------------------------


def pace_phrase(pace: float, base_month: int, month: int) -> str:
    """How the pace was measured, in words: '按近三个月平均每月4.1%的进度'."""
    span = "年初以来" if base_month <= 0 else _SPANS.get(month - base_month, "近期")
    if round(float(pace), 9) < 0:
        return f"{span}累计完成不增反降（平均每月{fmt_percent(pace)}，请核实月报），照此"
    if round(float(pace), 9) == 0:
        return f"{span}没有进展，照此"
    return f"按{span}平均每月{fmt_percent(pace)}的进度"


def explain(
    *,
    completion_rate: float,
    pace: float,
    projected_rate: float,
    month: int,
    base_month: int | None = None,
    is_lagging: bool | None = None,
    gap_points: float | None = None,
    scope: str = "当前",
    span: str | None = None,
) -> str:
    """One Chinese sentence a clerk can check with a calculator:
    "当前完成54.0%，未滞后，但按近三个月平均每月3.0%的进度，年底只能完成72.0%；今后每月需完成7.7%。"
    (54.0% + 3.0% × 6 = 72.0%; (100% − 54.0%) ÷ 6 = 7.7%). `span` replaces the pace phrase
    (totals: "按各县区近期进度合计，平均每月7.4%"). December states the year's result."""
    done = fmt_percent(completion_rate)
    misses = round(float(projected_rate), 9) < 1
    if month >= LAST_MONTH:
        if misses:
            return f"{month}月底完成{done}，未完成年度目标。"
        return f"{month}月底完成{done}，已完成年度目标。"
    if span is None:
        span = pace_phrase(pace, base_month or 0, month)
    if is_lagging:
        state = f"{scope}完成{done}，落后序时进度{float(gap_points or 0):.1f}个百分点；"
    elif is_lagging is False and misses:
        state = f"{scope}完成{done}，未滞后，但"
    else:
        state = f"{scope}完成{done}；"
    end = fmt_percent(projected_rate)
    span += "" if span.endswith("照此") else "，"
    if not misses:
        return f"{state}{span}年底可完成{end}，能够完成全年目标任务。"
    needed = (1 - float(completion_rate)) / (LAST_MONTH - month)
    if needed <= 0:
        return f"{state}{span}年底只能完成{end}；已达到年度目标，须保持。"
    return f"{state}{span}年底只能完成{end}；今后每月需完成{fmt_percent(needed)}。"


def explain_rows(rows: pd.DataFrame, month: int) -> list[str]:
    """The sentence of each forecast_rows row (see explain)."""
    return [
        explain(
            completion_rate=r.completion_rate,
            pace=r.pace,
            projected_rate=r.projected_rate,
            month=month,
            base_month=r.base_month,
            is_lagging=r.is_lagging,
            gap_points=r.gap_points,
        )
        for r in rows.itertuples(index=False)
    ]


def total_sentence(
    completion_rate: float, pace: float, projected_rate: float, month: int, n_regions: int
) -> str:
    """The sentence of an indicator summed over n_regions counties (see explain)."""
    if n_regions > 1:
        span = f"按{n_regions}个县区各自的近期进度合计（平均每月{fmt_percent(pace)}）"
        return explain(
            completion_rate=completion_rate,
            pace=pace,
            projected_rate=projected_rate,
            month=month,
            scope="合计",
            span=span,
        )
    return explain(
        completion_rate=completion_rate,
        pace=pace,
        projected_rate=projected_rate,
        month=month,
        span=f"按近期平均每月{fmt_percent(pace)}的进度",
    )


# --- headlines --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastSummary:
    """The view's forecast at a glance. Indicators are summed over the filtered regions;
    items are region × indicator rows. Rates are fractions (None without indicators)."""

    year: int
    month: int
    n_indicators: int
    n_indicators_reach: int
    n_indicators_will_miss: int
    completion_rate: float | None  # mean of indicators' 完成率, each capped at 100%
    projected_rate: float | None  # mean of indicators' projected rates, each capped at 100%
    n_items: int
    n_items_will_miss: int
    n_items_not_lagging_yet: int  # will miss, but not behind 序时进度 today

    @property
    def share_reach(self) -> float | None:
        return self.n_indicators_reach / self.n_indicators if self.n_indicators else None

    def sentence(self, scope: str = "全市") -> str:
        """The headline: 按近三个月的进度推算，全市5个指标中3个（60.0%）年底能完成目标…"""
        if not self.n_indicators:
            return f"{scope}{self.year}年{self.month}月没有进度数据，无法预计年底完成情况。"
        if self.month >= LAST_MONTH:
            return (
                f"{self.month}月底，{scope}{self.n_indicators}个指标中{self.n_indicators_reach}个"
                f"（{fmt_percent(self.share_reach)}）完成年度目标、{self.n_indicators_will_miss}个"
                f"未完成；总体完成率{fmt_percent(self.completion_rate)}"
                f"（各指标每项最多计100%的平均）；县区指标中{self.n_items_will_miss}项未完成。"
            )
        text = (
            f"按近三个月的进度推算，{scope}{self.n_indicators}个指标中{self.n_indicators_reach}个"
            f"（{fmt_percent(self.share_reach)}）年底能完成目标、{self.n_indicators_will_miss}个"
            f"完不成，预计总体完成率{fmt_percent(self.projected_rate)}（现为"
            f"{fmt_percent(self.completion_rate)}，各指标每项最多计100%的平均）；"
            f"县区指标中{self.n_items_will_miss}项年底完不成"
        )
        if self.n_items_not_lagging_yet:
            text += f"，其中{self.n_items_not_lagging_yet}项目前尚未滞后"
        return text + "。"

    def short_sentence(self, scope: str = "全市") -> str:
        """For a headline (总览, 汇报模式): "按近三个月进度，全市78个指标中67个年底能完成、11个
        完不成，预计总体完成率94.9%。"; December states the result."""
        if not self.n_indicators:
            return ""
        if self.month >= LAST_MONTH:
            return (
                f"{self.month}月底，{scope}{self.n_indicators}个指标中{self.n_indicators_reach}个"
                f"完成年度目标、{self.n_indicators_will_miss}个未完成。"
            )
        return (
            f"按近三个月进度，{scope}{self.n_indicators}个指标中{self.n_indicators_reach}个"
            f"年底能完成、{self.n_indicators_will_miss}个完不成，"
            f"预计总体完成率{fmt_percent(self.projected_rate)}。"
        )


# --- the 通报 ----------------------------------------------------------------------------------


def bulletin_paragraph(items: pd.DataFrame, month: int, limit: int) -> str:
    """The 通报's paragraph on the items that will miss (worst first, forecast_rows columns):
    "按近三个月的进度推算，以下3项年底完不成全年目标任务（其中1项目前尚未滞后）：铜官区公益性岗位开发
    （现完成15.0%，预计年底45.0%，今后每月需完成14.2%）；…。" Empty when none will miss."""
    if items.empty:
        return ""
    verb = "未完成" if month >= LAST_MONTH else "完不成"
    lead = "截至12月底" if month >= LAST_MONTH else "按近三个月的进度推算"
    not_yet = int((~items["is_lagging"]).sum())
    head = f"{lead}，以下{len(items)}项年底{verb}全年目标任务"
    if month < LAST_MONTH and not_yet:
        head += f"（其中{not_yet}项目前尚未滞后）"
    parts = []
    for row in items.head(limit).itertuples(index=False):
        name = row.indicator
        if row.indicator != row.project_name:
            name = f"{row.project_name}（{row.indicator}）"
        if month >= LAST_MONTH:
            detail = f"完成{fmt_percent(row.completion_rate)}"
        else:
            detail = (
                f"现完成{fmt_percent(row.completion_rate)}，预计年底"
                f"{fmt_percent(row.projected_rate)}，今后每月需完成{fmt_percent(row.needed_pace)}"
            )
        parts.append(f"{row.region}{name}（{detail}）")
    more = f"等{len(items)}项" if len(items) > limit else ""
    return f"{head}：{'；'.join(parts)}{more}。"
