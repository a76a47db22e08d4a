"""排名: county (县区) and department (市直单位) rankings — the month's score and rank, the 1–N月
cumulative score and rank, the change since last month, 加扣分 with reasons."""

import streamlit as st

from dashboard import auth, data, layout, submission_page
from dashboard.columns import columns
from dashboard.layout import Col
from dashboard.yoy_sections import ranking_yoy
from metrics.config import INDEX_CAP
from metrics.plain_text import md
from metrics.ranking import SOURCE_SCORES

INDEX_NOTE = (
    "本月未载入{unit_type}考评表，暂按进度指数排名：每个指标计 完成率÷序时进度（最多计{cap:g}），"
    "县区取其各项的平均，市直单位取其牵头指标（全市合计）的平均；1.000 即恰好达到序时进度。"
    "累计指数为1月起各月指数之和。并列者名次相同。"
)


UNIT_KEYS = {"县区": "county", "市直单位": "department"}  # ASCII table keys (also CSS classes)


def ranking_columns(month: int, source_is_index: bool) -> list[Col]:
    span = "1月" if month == 1 else f"1-{month}月"
    what = "进度指数" if source_is_index else "得分"
    shown = columns(
        "unit_name",
        Col("score", f"{month}月{what}", "score"),
        Col("rank", f"{month}月排名", "int"),
        Col("cumulative_score", f"{span}{what}", "score"),
        Col("cumulative_rank", f"{span}排名", "int"),
        "previous_rank",
        "rank_change",
    )
    if source_is_index:
        return [*shown, *columns("n_items_counted")]
    return [*shown, *columns("adjustment", "adjustment_note")]


def show_ranking(unit_type: str, f) -> None:
    ranking = data.fetch("rankings", f.year, f.month, unit_type)
    if ranking.empty:
        layout.empty_state(
            f"{f.year}年{f.month}月没有{unit_type}的考评得分，也没有可计算进度指数的数据。"
        )
        return
    is_index = ranking.source != SOURCE_SCORES
    if is_index:
        st.info(md(INDEX_NOTE, unit_type=unit_type, cap=INDEX_CAP), icon=":material/calculate:")
    else:
        st.caption(
            md("依据{}月考评表：得分含加扣分；并列者名次相同，下一名次顺延（1、1、3）。", f.month)
        )
    chosen = f.region if unit_type == "县区" else f.department
    if chosen:
        own = ranking.frame[ranking.frame["unit"] == chosen]
        if not own.empty:
            st.markdown(
                md(
                    "**{}**：{}月第 {} 名，累计第 {} 名。",
                    chosen,
                    f.month,
                    own["rank"].iloc[0],
                    own["cumulative_rank"].iloc[0],
                )
            )
    layout.data_table(
        ranking.frame,
        ranking_columns(f.month, is_index),
        key=f"ranking_{UNIT_KEYS[unit_type]}",
        file_stem=f"{unit_type}排名_{f.year}年{f.month}月",
    )
    ranking_yoy(f, unit_type, UNIT_KEYS[unit_type])


def main() -> None:
    f = layout.open_page("排名", note="排名按全市范围，不受地区、责任单位、类别筛选影响")
    if auth.current_reach().whole:  # the scorer's view: late and returned reports of every unit
        submission_page.scorer_note(data.db_path(), f.year, f.month)
    layout.tab_sections(
        {
            "县区排名": lambda: show_ranking("县区", f),
            "市直单位排名": lambda: show_ranking("市直单位", f),
        },
        key="ranking_tab",
    )


main()
