"""The pages' only door to the metrics layer: cached calls keyed on the database version.

A metrics call is cached on (function name, database path, data version, arguments), so a page's
warm run only reads memory, and a newly loaded file (new version) is picked up on the next run.
Every call is narrowed to the session's reach (数据范围, metrics.reach) here, on the server: a
county account's filters are pinned to its region and rows of other regions are dropped before a
page sees them, whatever the URL, the widgets or the session state say.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from metrics import (
    annual,
    forecast,
    funding,
    lagging,
    lineage,
    overview,
    periods,
    progress,
    ranking,
    reach,
    supervision,
    yoy,
)
from metrics.db import Warehouse, resolve_db_path

CACHE_TTL_SECONDS = (
    600  # a stale figure is at most ten minutes old even if the version check missed
)
CACHE_MAX_ENTRIES = 400  # bounds memory: ~5 pages × a few calls × the filter combinations in use

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "available_periods": periods.available_periods,
    "dimensions": periods.dimensions,
    "overview": overview.overview,
    "city_overview": overview.city_overview,  # 全市 totals beside a unit's own (published)
    "most_behind": overview.most_behind,
    "indicator_progress": progress.indicator_progress,
    "project_progress": progress.project_progress,
    "region_breakdown": progress.region_breakdown,
    "construction_pairs": progress.construction_pairs,
    "monthly_trend": progress.monthly_trend,
    "funding_by_project": funding.funding_by_project,
    "funding_by_region": funding.funding_by_region,
    "funding_matrix": funding.funding_matrix,
    "lagging_items": lagging.lagging_items,
    "lagging_by_region": lagging.lagging_by_region,
    "lagging_by_department": lagging.lagging_by_department,
    "bulletin_lines": lagging.bulletin_lines,
    "rankings": ranking.rankings,
    "will_miss_items": forecast.will_miss_items,
    "forecast_summary": forecast.forecast_summary,
    "forecast_by_region": forecast.forecast_by_region,
    "forecast_by_department": forecast.forecast_by_department,
    "indicator_forecast": forecast.indicator_forecast,
    "indicator_series": forecast.indicator_series,
    "funding_forecast": forecast.funding_forecast,
    "funding_forecast_by_project": forecast.funding_forecast_by_project,
    "funding_forecast_by_region": forecast.funding_forecast_by_region,
    "forecast_bulletin_sentence": forecast.bulletin_sentence,
    "supervision_ledger": supervision.supervision_ledger,
    "supervision_history": supervision.item_history,
    "supervision_gaps": supervision.item_gaps,
    "supervision_owner": supervision.item_owner,
    "lineage_items": lineage.lineage_items,
    "lineage_source": lineage.item_source,
    "lineage_history": lineage.item_history,
    "lineage_funding_source": lineage.funding_source,
    "lineage_funding_history": lineage.funding_history,
    "yoy_overview": yoy.yoy_overview,
    "yoy_ranks": yoy.yoy_ranks,
    "annual_summary": annual.annual_summary,
}


def db_path() -> Path:
    """The configured database: MINSHENG_DB, else data/minsheng.duckdb under the repo root."""
    return Path(resolve_db_path())


@st.cache_resource(show_spinner=False)
def _warehouse(path: str) -> Warehouse:
    return Warehouse(Path(path))


def warehouse() -> Warehouse:
    return _warehouse(str(db_path()))


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_call(name: str, path: str, version: Any, args: tuple, kwargs: tuple) -> Any:
    # `version` is unused in the body on purpose: it is part of the cache key.
    return FUNCTIONS[name](_warehouse(path), *args, **dict(kwargs))


def fetch(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call metrics function `name` with the current warehouse, cached on its data version,
    within the session's reach (worked out once a run: dashboard.auth.once_per_run). Raises
    reach.OutOfReach for a call the session may not make."""
    from dashboard.auth import current_reach  # auth imports the pages' helpers

    return _fetch_within(current_reach(), name, args, kwargs)


def later(name: str, *args: Any, **kwargs: Any) -> Callable[[], Any]:
    """`fetch` for a download made when clicked: the reach is taken now, while the page runs
    for this session, not when Streamlit builds the file outside the page run."""
    from dashboard.auth import current_reach

    scope = current_reach()
    return lambda: _fetch_within(scope, name, args, kwargs)


def _fetch_within(scope: reach.Reach, name: str, args: tuple, kwargs: dict[str, Any]) -> Any:
    args, kwargs = reach.restrict_call(name, scope, args, kwargs)
    if name in reach.ITEM_CALLS and not scope.whole:
        owner = _call("supervision_owner", args[:1], {})
        if owner is None or not scope.allows(*owner):
            raise reach.OutOfReach("该督办事项不在本账号的数据范围内")
    return reach.restrict_result(name, scope, _call(name, args, kwargs))


def _call(name: str, args: tuple, kwargs: dict[str, Any]) -> Any:
    wh = warehouse()
    return _cached_call(name, str(db_path()), wh.version(), args, tuple(sorted(kwargs.items())))
