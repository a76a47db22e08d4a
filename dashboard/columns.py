"""Table columns shared by the pages, declared once: a metrics column, its Chinese header, its kind.

A page lists its columns by key (`columns("region", "indicator", …)`); a column of its own, or a
header worded for one table, is passed as a `Col` and kept as it is.
"""

from __future__ import annotations

from dashboard.layout import Col

SHARED = {
    col.key: col
    for col in (
        Col("region", "地区"),
        Col("project_code", "项目编号"),
        Col("project_name", "项目名称"),
        Col("indicator", "指标名称"),
        Col("category", "类别"),
        Col("department", "责任单位"),
        Col("unit", "计量单位"),
        Col("target", "年度目标", "number"),
        Col("actual", "累计完成", "number"),
        Col("completion_rate", "完成率（%）", "percent"),
        Col("planned_rate", "序时进度（%）", "percent"),
        Col("gap_points", "落后（个百分点）", "points"),
        Col("severity", "滞后程度", "severity"),
        Col("months_behind", "连续滞后月数", "int"),
        Col("below_city_average", "低于全市平均", "flag"),
        Col("city_average_rate", "全市平均完成率（%）", "percent"),
    )
}


def columns(*items: str | Col) -> list[Col]:
    """The shared column of each key, in order; a Col given as is stays as it is."""
    return [item if isinstance(item, Col) else SHARED[item] for item in items]
