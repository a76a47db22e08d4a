"""Every table column of the pages, declared once: its name, the metrics column, the Chinese header,
the kind (dashboard.layout.Col).

A table lists its columns by name (`columns("region", "indicator", …)`). A name is the metrics
column itself, or — where one table words the same column its own way — a name of its own in
`WORDED` (`county` is `region` headed 县区). A header made at run time (排名's 「6月排名」) is passed
as a `Col` and kept as it is.
"""

from __future__ import annotations

from dashboard.layout import Col

# Grouped by kind: a kind's columns read as one list.
_COLUMNS = (
    # text
    Col("region", "地区"),
    Col("project_code", "项目编号"),
    Col("project_name", "项目名称"),
    Col("project_label", "项目"),
    Col("indicator", "指标名称"),
    Col("category", "类别"),
    Col("department", "责任单位"),
    Col("unit", "计量单位"),
    Col("item", "工程内容"),
    Col("explanation", "说明"),
    Col("source_file", "来源文件"),
    Col("source_sheet", "工作表"),
    Col("loaded_at_text", "导入时间"),
    Col("loaded_by", "导入人"),
    Col("replacement", "替换记录"),
    Col("status_note", "说明"),
    Col("item_label", "督办事项"),
    Col("deadline_text", "整改期限"),
    Col("reason", "督办原因"),
    Col("opened_by", "下发人"),
    Col("closed_by", "销号人"),
    Col("when", "时间"),
    Col("actor", "操作人"),
    Col("event", "事项"),
    Col("period", "月份"),
    Col("file_name", "文件"),
    Col("submitted", "报送时间"),
    Col("submitted_by", "报送人"),
    Col("reviewed", "审核时间"),
    Col("reviewed_by", "审核人"),
    Col("unit_kind", "类型"),
    Col("on_time", "是否按时"),
    Col("user", "用户"),
    Col("role", "角色"),
    Col("action", "操作"),
    Col("detail", "内容"),
    # numbers: quantities, counts, months
    Col("target", "年度目标", "number"),
    Col("actual", "累计完成", "number"),
    Col("months_behind", "连续滞后月数", "int"),
    Col("month", "月份", "int"),
    Col("n_red", "红", "int"),
    Col("n_orange", "橙", "int"),
    Col("n_yellow", "黄", "int"),
    Col("n_blue", "蓝", "int"),
    Col("n_indicators", "指标数", "int"),
    Col("n_done", "已完成指标", "int"),
    Col("n_below_city_average", "低于全市平均项数", "int"),
    Col("n_will_miss", "年底完不成项数", "int"),
    Col("n_not_lagging_yet", "其中目前未滞后", "int"),
    Col("n_indicators_will_miss", "全市合计完不成的指标数", "int"),
    Col("n_regions", "县区数", "int"),
    Col("n_regions_will_miss", "完不成的县区数", "int"),
    Col("base_month", "起算月", "int"),
    Col("source_row", "行号", "int"),
    Col("load_id", "导入编号", "int"),
    Col("item_id", "编号", "int"),
    Col("latest_month", "最新月份", "int"),
    Col("days_left", "剩余天数", "int"),
    Col("n_notes", "整改记录", "int"),
    Col("n_open", "未销号", "int"),
    Col("n_closable", "可销号", "int"),
    Col("n_closed", "已销号", "int"),
    Col("returns", "退回次数", "int"),
    Col("rank_last_year", "去年同月名次", "int"),
    Col("previous_rank", "上月排名", "int"),
    Col("n_compared", "比较指标数", "int"),
    # rates (fractions shown ×100) and points
    Col("completion_rate", "完成率（%）", "percent"),
    Col("planned_rate", "序时进度（%）", "percent"),
    Col("city_average_rate", "全市平均完成率（%）", "percent"),
    Col("start_rate", "开工率（%）", "percent"),
    Col("finish_rate", "完工率（%）", "percent"),
    Col("pace", "近期每月进度（%）", "percent"),
    Col("needed_pace", "今后每月需完成（%）", "percent"),
    Col("base_rate", "起算月完成率（%）", "percent"),
    Col("share_reach", "能完成的占比（%）", "percent"),
    Col("worst_projected_rate", "最低预计完成率（%）", "percent"),
    Col("completion_last_year", "去年同月完成率（%）", "percent"),
    Col("gap_points", "落后（个百分点）", "points"),
    Col("worst_gap_points", "最大落后（个百分点）", "points"),
    Col("shortfall_points", "距年度目标（个百分点）", "points"),
    Col("gap_opened_points", "下发时落后（个百分点）", "points"),
    Col("gap_latest_points", "最新落后（个百分点）", "points"),
    Col("gap_change_points", "变化（个百分点）", "points"),
    Col("completion_change", "完成率同比（个百分点）", "points"),
    # money (万元)
    Col("budget", "计划投入（万元）", "money"),
    Col("arrived", "到位资金（万元）", "money"),
    Col("disbursed", "拨付资金（万元）", "money"),
    Col("projected_disbursed", "预计年底拨付（万元）", "money"),
    # chips, flags, changes, links
    Col("severity", "滞后程度", "severity"),
    Col("colour", "三色", "colour"),
    Col("status", "状态", "status"),
    Col("below_city_average", "低于全市平均", "flag"),
    Col("is_lagging", "滞后", "flag"),
    Col("rank_change", "名次变化", "change"),
    Col("adjustment", "加扣分", "adjustment"),
    Col("link", "查看", "link"),
    Col("lineage_link", "溯源", "link"),
)

# The same metrics column headed for one table (or a few): name → column.
WORDED = {
    "county": Col("region", "县区"),
    "unit_name": Col("unit", "单位"),
    "submission_unit": Col("unit", "报送单位"),
    "submission_status": Col("status", "状态"),
    "reporting_status": Col("status", "报送状态"),
    "review_note": Col("note", "审核意见"),
    "history_note": Col("note", "内容"),
    "annual_status": Col("status", "年度目标"),
    "status_after": Col("status", "状态后", "status"),
    "opened_month": Col("month", "下发月份", "int"),
    "compared_month": Col("month", "对照月份", "int"),
    "n_lagging_short": Col("n_lagging", "滞后项", "int"),
    "n_lagging_items": Col("n_lagging", "滞后项数", "int"),
    "n_lagging_indicators": Col("n_lagging", "滞后指标数", "int"),
    "n_indicators_city": Col("n_indicators", "指标数（全市合计）", "int"),
    "n_items": Col("n_items", "指标项数", "int"),
    "n_items_regions": Col("n_items", "县区指标项数", "int"),
    "n_items_supervised": Col("n_items", "督办事项", "int"),
    "rank_this_year": Col("rank", "今年名次", "int"),
    "n_items_counted": Col("n_items", "计入指标数", "int"),
    "adjustment_note": Col("note", "加扣分说明"),
    "completion_this_year": Col("completion_rate", "今年完成率（%）", "percent"),
    "total_rate": Col("completion_rate", "总体完成率（%）", "percent"),
    "projected_rate": Col("projected_rate", "预计年底完成率（%）", "percent"),
    "projected_total_rate": Col("projected_rate", "预计年底总体完成率（%）", "percent"),
    "projected_disbursed_rate": Col("projected_rate", "预计年底拨付占计划（%）", "percent"),
    "arrived_rate": Col("arrived_rate", "到位率（到位÷计划，%）", "percent"),
    "disbursed_rate": Col("disbursed_rate", "拨付率（拨付÷到位，%）", "percent"),
    "disbursed_budget_rate": Col("disbursed_budget_rate", "拨付占计划（拨付÷计划，%）", "percent"),
    "arrived_rate_short": Col("arrived_rate", "到位率（%）", "percent"),
    "disbursed_rate_short": Col("disbursed_rate", "拨付率（%）", "percent"),
    "disbursed_budget_rate_short": Col("disbursed_budget_rate", "拨付占计划（%）", "percent"),
    "gap_or_lead_points": Col("gap_points", "落后（个百分点，负数为领先）", "points"),
    "lagging_now": Col("is_lagging", "目前已滞后", "flag"),
    "below_schedule": Col("is_lagging", "低于序时进度", "flag"),
}

# The clerk's columns first, so a 1366-px laptop shows them without scrolling: where, what, how
# far behind (against the schedule). The 滞后 list and 总览's 最落后的5项 start with them.
LAGGING_LEAD = ("region", "indicator", "severity", "gap_points", "completion_rate", "planned_rate")


def _defined() -> dict[str, Col]:
    """Every column by name; a name given twice is a mistake in this file, not a choice."""
    named = [(c.key, c) for c in _COLUMNS] + list(WORDED.items())
    table = dict(named)
    if len(table) != len(named):
        raise ValueError("dashboard.columns: a column name is declared twice")
    return table


DEFINED = _defined()


def columns(*items: str | Col) -> list[Col]:
    """The declared column of each name, in order; a Col given as is stays as it is."""
    return [item if isinstance(item, Col) else DEFINED[item] for item in items]
