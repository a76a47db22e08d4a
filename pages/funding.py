"""资金: 计划投入, 到位 and 拨付 by project and by county, with 到位率 and both 拨付率 (each
denominator named) against 序时进度, and a county × project table."""

import streamlit as st

from dashboard import charts, data, filters, layout, paging
from dashboard.columns import columns
from dashboard.layout import Col
from dashboard.yoy_sections import funding_yoy
from metrics.filters import Filters
from metrics.plain_text import md

AMOUNT_COLUMNS = columns("budget", "arrived", "disbursed", "arrived_rate", "disbursed_rate",
                         "disbursed_budget_rate", "planned_rate")  # fmt: skip
PROJECT_COLUMNS = columns("project_code", "project_name", "department", *AMOUNT_COLUMNS)
REGION_COLUMNS = columns("region", *AMOUNT_COLUMNS)
RATE_SERIES = [
    ("arrived_rate", "到位率（到位÷计划）"),
    ("disbursed_rate", "拨付率（拨付÷到位）"),
    ("disbursed_budget_rate", "拨付占计划（拨付÷计划）"),
]
# Matrix figures the user can pick, in this order; headers and formats as in the tables.
AMOUNTS = {col.key: col for col in AMOUNT_COLUMNS}
MATRIX_CHOICES = ("disbursed_budget_rate", "arrived_rate", "disbursed_rate", "budget", "arrived",
                  "disbursed")  # fmt: skip
RATE_NOTE = (
    "到位率 = 到位资金 ÷ 计划投入；拨付率 = 拨付资金 ÷ 到位资金；拨付占计划 = 拨付资金 ÷ 计划投入。"
    "竖线为序时进度（多个项目时按计划投入加权）。"
)


def charts_and_table(frame, *, label: str, columns, key: str, stem: str, noun: str) -> None:
    """Rates against schedule first (the question asked), then the amounts, then the table.
    A long list (a province's or nation's counties) is drawn for its slowest rows only."""
    drawn = paging.chart_rows(frame, by="disbursed_budget_rate", ascending=True,
                              what="拨付占计划最低", noun=noun)  # fmt: skip
    rates = charts.rates_vs_schedule(drawn, label=label, series=RATE_SERIES, title="到位与拨付进度")
    layout.chart(rates, key=f"{key}_rates")
    layout.chart(charts.funding_bars(drawn, label=label, title="资金规模"), key=f"{key}_amounts")
    layout.data_table(frame, columns, key=key, file_stem=stem)


def by_project_section(by_project, stem: str) -> None:
    charts_and_table(
        by_project, label="project_label", columns=PROJECT_COLUMNS, key="funding_projects",
        stem=f"资金_按项目_{stem}", noun="个项目",
    )  # fmt: skip


def by_region_section(f: Filters, stem: str) -> None:
    by_region = data.fetch("funding_by_region", f)
    charts_and_table(
        by_region, label="region", columns=REGION_COLUMNS, key="funding_regions",
        stem=f"资金_按县区_{stem}", noun="个县区",
    )  # fmt: skip


def matrix_section(f: Filters, stem: str) -> None:
    value = st.selectbox(
        "表中数值",
        MATRIX_CHOICES,
        format_func=lambda v: AMOUNTS[v].header,
        key="matrix_value",
        placeholder="请选择",
    )
    header, kind = AMOUNTS[value].header, AMOUNTS[value].kind
    matrix = data.fetch("funding_matrix", f, value=value)
    unit = "%" if kind == "percent" else "万元"  # the file and its sheet say it too
    st.caption(
        md("每格为该县区该项目的{}，单位：{}；最后一行“全市”为各县区合计。空格表示该县区无此项目。",
           header, unit)
    )  # fmt: skip
    shown = [*columns("region"), *(Col(c, c, kind) for c in matrix.columns if c != "region")]
    layout.data_table(matrix, shown, key="funding_matrix",
                      file_stem=f"资金_县区×项目_{stem}_{unit}")  # fmt: skip


def main() -> None:
    f = layout.open_page("资金")
    by_project = data.fetch("funding_by_project", f)
    if by_project.empty:
        layout.empty_state(
            filters.nothing_under(f, "资金数据。")
            + "资金表不分责任单位和指标，若选了责任单位或类别，请试着放宽筛选。"
        )
        return
    st.caption(RATE_NOTE)
    stem = f"{f.year}年{f.month}月"
    layout.tab_sections(
        {
            "按项目": lambda: by_project_section(by_project, stem),
            "按县区": lambda: by_region_section(f, stem),
            "县区×项目": lambda: matrix_section(f, stem),
            "同比": lambda: funding_yoy(f),
        },
        key="funding_tab",
    )


main()
