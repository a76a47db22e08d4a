"""年度总结 page on the 测试市 data: the cards and the unfinished list are the metrics' own, and
a unit account does not get the page."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document
from streamlit.runtime.media_file_manager import MediaFileManager

from metrics.annual import annual_summary
from metrics.db import Warehouse
from tests.app.conftest import open_app, table, texts


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


def test_the_word_file_is_signed_by_the_configured_issuer(test_db, monkeypatch):
    """[minsheng.bulletin] issuer (here MINSHENG_BULLETIN_ISSUER) signs the 年度总结 as it signs
    the 月度通报: on the page and in the .docx made when the button is clicked."""
    issuer = "测试市民生工程工作领导小组办公室"
    monkeypatch.setenv("MINSHENG_BULLETIN_ISSUER", issuer)
    made: dict[str, Callable[[], bytes]] = {}
    register = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    at = open_app("annual", {"year": "2025", "month": "6"})
    assert not at.exception
    assert f"落款：{issuer}" in texts(at)
    [build] = [v for k, v in made.items() if k.endswith(".docx")]
    document = Document(io.BytesIO(build()))
    signature = [p.text for p in document.paragraphs if p.text.strip()][-1]
    assert (signature, document.core_properties.author) == (issuer, issuer)
