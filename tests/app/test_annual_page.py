"""年度总结 page on the 测试市 data: the cards and the unfinished list are the metrics' own, and
a unit account does not get the page."""

from __future__ import annotations

from metrics.annual import annual_summary
from metrics.db import Warehouse
from tests.app.conftest import open_app, table


def test_the_years_figures_and_unfinished_items(test_db):
    at = open_app("annual", {"year": "2025", "month": "6"})
    assert not at.exception
    summary = annual_summary(Warehouse(test_db), 2025, 6)
    cards = {m.label: m.value for m in at.metric}
    assert cards["民生工程项目"] == str(summary.n_projects) == "3"
    assert int(cards["已完成年度目标"]) + int(cards["仍在推进"]) == summary.n_projects
    unfinished = table(at, "annual_unfinished")
    assert list(unfinished["指标名称"]) == list(summary.unfinished["indicator"])
    assert [d.label for d in at.get("download_button")][0].startswith("下载 Word")
