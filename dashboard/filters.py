"""Sidebar filters shared by every page (年份, 月份, 地区, 责任单位, 类别), kept in the URL.

The first run of a session seeds the widgets from `st.query_params`, so a copied link opens the
same view; a bad or stale parameter falls back to its default with a notice. Every run writes the
current choice back to the URL. Widget keys equal the URL keys and stay stable (AppTest finds
widgets by key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard import data
from dashboard.paging import LINK_PREFIXES
from metrics.filters import Filters
from metrics.plain_text import md

ALL_CITY = "全市"
ALL = "全部"
# link parameters a page keeps for itself (督办: status, item; 数据溯源: code, indicator)
PAGE_PARAMS = ("status", "item", "code", "indicator")
TAB_SUFFIX = "_tab"  # link parameters of the pages' tabs (dashboard.layout.tabs)
QUOTE_CHARS = 30  # a bad URL value is named in a notice up to this length
SEEDED = "_filters_seeded"  # session flag: the URL was read once for this session


@dataclass(frozen=True)
class Choices:
    """What the sidebar can offer for one year."""

    years: list[int]
    months: list[int]
    regions: list[str]
    departments: list[str]
    categories: list[str]


def period_list(periods: object) -> list[tuple[int, int]]:
    """(year, month) pairs, ascending, from whatever available_periods returned."""
    if hasattr(periods, "itertuples"):  # a DataFrame with year, month columns
        pairs = zip(periods["year"], periods["month"], strict=True)
    else:
        pairs = (
            (p.year, p.month) if hasattr(p, "year") else (p[0], p[1])
            for p in periods  # type: ignore[attr-defined]
        )
    return sorted({(int(y), int(m)) for y, m in pairs})


def months_of(periods: Sequence[tuple[int, int]], year: int) -> list[int]:
    return [m for y, m in periods if y == year]


def quoted(raw: object, limit: int = QUOTE_CHARS) -> str:
    """A URL value to name in a notice: cut to `limit` characters. The notice is plain text
    (the caller escapes it), so a crafted link can show its words but never a link or image."""
    text = str(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse_int(raw: str | None) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def seed_from_url(
    params: dict[str, str], periods: Sequence[tuple[int, int]]
) -> tuple[dict[str, object], list[str]]:
    """Widget values for the year and month from URL parameters, and the notices to show.

    Pure (no streamlit) so the fallback rules are table-tested.
    """
    notices: list[str] = []
    years = sorted({y for y, _ in periods})
    latest_year = years[-1]
    year = _parse_int(params.get("year"))
    if "year" in params and year not in years:
        notices.append(f"链接中的年份“{quoted(params['year'])}”无效，已改为最新年份")
        year = None
    year = year if year in years else latest_year
    months = months_of(periods, year)
    month = _parse_int(params.get("month"))
    if "month" in params and month not in months:
        notices.append(f"链接中的月份“{quoted(params['month'])}”无效，已改为最新月份")
        month = None
    month = month if month in months else months[-1]
    return {"year": year, "month": month}, notices


def check_choice(
    params: dict[str, str], key: str, options: Sequence[str], default: str, what: str
) -> tuple[str, str | None]:
    """The URL's value for a name filter if it is offered, else the default and a notice."""
    raw = params.get(key)
    if raw is None or raw in options:
        return (raw or default), None
    return default, f"链接中的{what}“{quoted(raw)}”不在当前数据中，已改为{default}"


def _choices(periods: list[tuple[int, int]], year: int) -> Choices:
    """The options of one year; a unit account gets only its own region (department), with no
    全市 / 全部 before it (its figures are narrowed on the server anyway: dashboard.data)."""
    from dashboard.auth import current_reach  # auth imports the pages' helpers

    dims = data.fetch("dimensions", year)
    scope = current_reach()
    return Choices(
        years=sorted({y for y, _ in periods}, reverse=True),
        months=months_of(periods, year),
        regions=[scope.region] if scope.region else [ALL_CITY, *dims.regions],
        departments=[scope.department] if scope.department else [ALL, *dims.departments],
        categories=[ALL, *dims.categories],
    )


def url_choices(periods: list[tuple[int, int]]) -> tuple[dict[str, object], list[str]]:
    """The view the URL names, validated (bad values → defaults, with notices): widget values
    by key (year, month, region, dept, cat)."""
    params = {k: st.query_params[k] for k in st.query_params}
    values, notices = seed_from_url(params, periods)
    choices = _choices(periods, int(values["year"]))  # type: ignore[arg-type]
    for key, options, default, what in (
        ("region", choices.regions, choices.regions[0], "地区"),
        ("dept", choices.departments, choices.departments[0], "责任单位"),
        ("cat", choices.categories, ALL, "类别"),
    ):
        values[key], notice = check_choice(params, key, options, default, what)
        if notice:
            notices.append(notice)
    return values, notices


def filters_of(values: dict[str, object]) -> Filters:
    """Filters from widget values by key (全市 / 全部 mean no filter)."""
    return Filters(
        year=int(values["year"]),  # type: ignore[call-overload]
        month=int(values["month"]),  # type: ignore[call-overload]
        region=None if values["region"] == ALL_CITY else str(values["region"]),
        department=None if values["dept"] == ALL else str(values["dept"]),
        category=None if values["cat"] == ALL else str(values["cat"]),
    )


def _seed(periods: list[tuple[int, int]]) -> list[str]:
    """First run of a session: put the URL's choice (validated) into the widget state."""
    values, notices = url_choices(periods)
    for key, value in values.items():
        st.session_state[key] = value
    return notices


def _keep_valid(key: str, options: Sequence[object], default: object) -> None:
    """A value no longer offered (new year chosen, data reloaded) falls back to the default."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def url_params(f: Filters) -> dict[str, str]:
    """The filter part of a link: year and month always, the others when chosen."""
    params = {"year": str(f.year), "month": str(f.month)}
    for key, value in (("region", f.region), ("dept", f.department), ("cat", f.category)):
        if value:
            params[key] = value
    return params


def _page_view(param: str) -> bool:
    """A link parameter the page owns: 督办's status and item, a tab, a table's search, order
    and page."""
    return param in PAGE_PARAMS or param.endswith(TAB_SUFFIX) or param.startswith(LINK_PREFIXES)


def _write_url(f: Filters) -> None:
    current = {k: st.query_params[k] for k in st.query_params}
    # A page's own view (督办: status, item; the chosen tab, *_tab) stays in the link; the page
    # validates it.
    wanted = url_params(f) | {k: v for k, v in current.items() if _page_view(k)}
    if current != wanted:
        st.query_params.from_dict(wanted)


def sidebar_filters() -> tuple[Filters, list[str]]:
    """Draw the sidebar filters; return the chosen Filters and any notices about the link."""
    periods = period_list(data.fetch("available_periods"))
    notices: list[str] = []
    if not st.session_state.get(SEEDED):
        notices = _seed(periods)
        st.session_state[SEEDED] = True
    years = sorted({y for y, _ in periods}, reverse=True)
    _keep_valid("year", years, years[0])
    choices = _choices(periods, int(st.session_state["year"]))
    _keep_valid("month", choices.months, choices.months[-1])
    _keep_valid("region", choices.regions, choices.regions[0])
    _keep_valid("dept", choices.departments, choices.departments[0])
    _keep_valid("cat", choices.categories, ALL)

    side = st.sidebar
    side.markdown("**筛选**")
    year = side.selectbox(
        "年份", choices.years, key="year", format_func=lambda y: f"{y}年", placeholder="请选择"
    )
    month = side.selectbox(
        "月份", choices.months, key="month", format_func=lambda m: f"{m}月", placeholder="请选择"
    )
    region = side.selectbox("地区", choices.regions, key="region", placeholder="请选择")
    department = side.selectbox("责任单位", choices.departments, key="dept", placeholder="请选择")
    category = side.selectbox("类别", choices.categories, key="cat", placeholder="请选择")
    f = filters_of({"year": year, "month": month, "region": region, "dept": department,
                    "cat": category})  # fmt: skip
    _write_url(f)
    first, last = periods[0], periods[-1]
    side.caption(
        md(
            "已载入 {}年{}月 至 {}年{}月。筛选条件保存在网址中，复制浏览器地址即可分享当前视图。",
            *first,
            *last,
        )
    )
    return f, notices


def current() -> Filters:
    """The Filters app.py chose for this run (pages read it here)."""
    from dashboard.router import ensure_routed  # the router imports this module

    ensure_routed()
    return st.session_state["_filters"]


def describe(f: Filters) -> str:
    """One line naming the view: 2025年6月 · 全市 · 市人社局 · 补助类."""
    parts = [f"{f.year}年{f.month}月", f.region or ALL_CITY]
    parts += [p for p in (f.department, f.category) if p]
    return " · ".join(parts)


def nothing_under(f: Filters, what: str) -> str:
    """A page's sentence when the view holds none of its figures: 2025年6月没有符合当前筛选
    （2025年6月 · 全市）的{what} (the caller ends it)."""
    return f"{f.year}年{f.month}月没有符合当前筛选（{describe(f)}）的{what}"
