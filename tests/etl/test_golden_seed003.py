"""Golden case: seed 003 (芜湖 2020年6月). At 序时进度 50% (June, no plan loaded) the lagging
list is exactly the indicators whose 完成率 is below 50%."""

from __future__ import annotations

import duckdb

from etl.writing.warehouse import load_paths
from tests.etl.fixtures import SEED003_INDICATORS, build_seed003_workbook


def test_lagging_at_half_year_is_completion_below_half(tmp_path):
    book = build_seed003_workbook(tmp_path / "芜湖6月.xlsx")
    db = tmp_path / "wh.duckdb"
    [result] = load_paths([book], db)
    assert not result.refused, [str(e) for e in result.errors]
    assert result.rows["progress"] == len(SEED003_INDICATORS)

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT indicator, completion_rate, planned_rate, is_lagging FROM v_progress"
    ).fetchall()
    con.close()
    assert {round(planned, 9) for _, _, planned, _ in rows} == {0.5}
    lagging = {indicator for indicator, _, _, is_lagging in rows if is_lagging}
    # seed 003's indicators below 50%, read off the sheet (every other one is at 57% or more)
    below_half = {
        "就业见习",  # 569 / 1171 = 48.59%
        "新技工系统培养",  # 1057 / 2400 = 44.04%
    }
    assert lagging == below_half
    assert "就业见习" in lagging  # 569 / 1171 = 48.59%
    assert "免费婚前健康检查" not in lagging  # 18252 / 32000 = 57%
    rates = {indicator: rate for indicator, rate, _, _ in rows}
    assert round(rates["就业见习"], 4) == 0.4859
