"""年底能完成吗: the city-wide forecast sentence on 总览, on meeting screen 1 and in the 通报.

The 测试市 data (tests/app/testdata.py), end of June, worked out by hand per indicator over the
counties (Σ累计完成 ÷ Σ年度目标; base month April, the earliest loaded of March–May):
- 公益性岗位开发: April 60/250 = 24%, June 97/250 = 38.8%; pace 7.4%/month → 38.8 + 6 × 7.4 = 83.2%;
- 开工 13/30 → 26/30, 完工 4/30 → 12.5/30, 参保 2100/3000 → 2700/3000: each projects past 100%.
So 3 of 4 indicators reach their target; mean of the capped projections (83.2 + 300) / 4 = 95.8%.
"""

from __future__ import annotations

import datetime as dt

from bulletin.render import render_bulletin
from metrics.db import Warehouse
from tests.app.conftest import open_app_py, texts
from tests.shown import shown

SENTENCE = "按近三个月进度，全市4个指标中3个年底能完成、1个完不成，预计总体完成率95.8%。"


def test_overview_says_how_many_indicators_will_make_the_year(test_db):
    at = open_app_py({"year": "2025", "month": "6"})
    assert not at.exception
    assert f"预警：{SENTENCE}详见“预警”页。" in shown(texts(at))


def test_first_meeting_screen_answers_the_year_end_question(test_db):
    at = open_app_py({"mode": "present", "screen": "1", "year": "2025", "month": "6"})
    assert not at.exception
    assert SENTENCE in shown(texts(at))


def test_bulletin_names_the_items_that_will_miss(test_db):
    rendered = render_bulletin(Warehouse(test_db), 2025, 6, dt.date(2025, 7, 10))
    paragraph = rendered.content.summary[-1]
    assert paragraph.startswith("按近三个月的进度推算，以下")
    # 铜官区 公益性岗位开发: 15% now, +5 points a month since April → 45% at year end.
    assert "铜官区公益性岗位开发（现完成15.0%，预计年底45.0%，今后每月需完成14.2%）" in paragraph
    assert paragraph.endswith("请相关县区和责任单位加快进度，确保完成全年目标任务。")
