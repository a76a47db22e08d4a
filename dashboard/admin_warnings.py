"""数据质量 on the 数据管理 page: the month's warnings (metrics.admin.month_findings) with links
to the page showing the figure each concerns and to its 数据溯源."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from dashboard.lineage_links import lineage_link
from metrics.admin import FINDING_COLUMNS, month_findings
from metrics.filters import Filters

# The dashboard pages showing each kind's figures (st.Page url paths in app.py), and the URL
# parameters their shared filters read (dashboard/filters.py).
FIGURE_PAGES = {"progress": "progress", "funding": "funding"}


def figure_link(kind: str | None, year: int, month: int, region: str | None) -> str | None:
    """Relative link to the page showing the figure a warning concerns, filtered to its region."""
    page = FIGURE_PAGES.get(kind or "")
    if page is None:
        return None
    params = {"year": year, "month": month} | ({"region": region} if region else {})
    return f"{page}?{urlencode(params)}"


def month_warnings(db_path: Path, year: int, month: int) -> pd.DataFrame:
    """数据质量: the loader's warnings of the loads holding the month's current rows, each with
    a link (查看) to the figure it concerns and one (溯源) to its row's lineage."""
    found = month_findings(db_path, year, month)
    if found is None:
        return pd.DataFrame(columns=["导入编号", *FINDING_COLUMNS, "查看", "溯源"])
    parts, frame = found.places, found.concerns
    parts["查看"] = [
        figure_link(kind if isinstance(kind, str) else None, year, month,
                    region if isinstance(region, str) else None)
        for kind, region in zip(frame["kind"], frame["region"], strict=True)
    ]  # fmt: skip
    # 数据溯源 of the warning's row (its file, sheet, row and history); none for a place off a row
    parts["溯源"] = [
        lineage_link(Filters(year, month), region, code, indicator if isinstance(indicator, str) else None)
        if isinstance(region, str) and isinstance(code, str) else None
        for region, code, indicator in zip(frame["region"], frame["project_code"], frame["indicator"],
                                           strict=True)
    ]  # fmt: skip
    return parts
