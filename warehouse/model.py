"""The warehouse's shared vocabulary: words both the loader (etl.model) and the figures
(metrics.config) use, kept here so that neither package needs the other for them."""

from __future__ import annotations

CATEGORIES = ("工程类", "补助类", "参保服务类", "培训类", "其他")
UNIT_TYPES = ("县区", "市直单位")
# load_log.loaded_by of the demo city's loads (etl.demo); the 数据管理 page looks for it
DEMO_LOADED_BY = "demo"
