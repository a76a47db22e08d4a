"""Links to 数据溯源 (pages/lineage.py) from a figure on any page: a relative URL keyed like the
figure's row, so a table can give every row a 溯源 LinkColumn.

The year and month are the shared filters' URL keys (dashboard/filters.py); `code` and
`indicator` are the page's own (kept in the link by filters.PAGE_PARAMS). Without an indicator the
link traces the project's 资金 row in the region.
"""

from __future__ import annotations

from urllib.parse import urlencode

from metrics.filters import Filters

PAGE = "lineage"  # the st.Page url_path of pages/lineage.py (dashboard/router.py)


def lineage_link(
    f: Filters, region: str | None, project_code: object, indicator: str | None = None
) -> str:
    """`lineage?year=2025&month=6&region=…&code=…&indicator=…`, URL-encoded."""
    params: dict[str, str] = {"year": str(f.year), "month": str(f.month)}
    if region:
        params["region"] = str(region)
    params["code"] = str(project_code)
    if indicator:
        params["indicator"] = str(indicator)
    return f"{PAGE}?{urlencode(params)}"


def with_links(frame, f: Filters, *, column: str = "lineage_link"):
    """A copy of a region × indicator frame with a link column (NaN-safe for funding rows)."""
    out = frame.copy()
    indicators = out["indicator"] if "indicator" in out else [None] * len(out)
    out[column] = [
        lineage_link(f, region, code, indicator if isinstance(indicator, str) else None)
        for region, code, indicator in zip(out["region"], out["project_code"], indicators,
                                           strict=True)
    ]  # fmt: skip
    return out
