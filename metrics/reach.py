"""Who may see which rows (数据范围): the roles and the row filter every read goes through.

Roles (角色):
- 领导 and 民生办 see everything; only 民生办 writes (loads, 督办, 审核报送).
- 县区 sees one region's rows, the city-wide totals and the published ranking table.
- 市直单位 sees one department's rows across all regions, the totals and the ranking table.
- 访客 (not signed in) sees what the deployment sets: everything (the default, as before) or
  nothing but the sign-in form.

The dashboard asks `restrict_call` / `restrict_result` around every metrics call
(dashboard.data.fetch), so a page cannot forget the filter and a forged URL or session value
cannot widen it. No Streamlit import: the rule is table-tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

import pandas as pd

from metrics.config import UNIT_TYPES
from metrics.filters import Filters

LEADER = "领导"
OFFICE = "民生办"
COUNTY, DEPARTMENT = UNIT_TYPES  # 县区, 市直单位
VISITOR = "访客"
ROLES = (LEADER, OFFICE, COUNTY, DEPARTMENT, VISITOR)
UNIT_ROLES = (COUNTY, DEPARTMENT)  # roles bound to one unit (报送单位)
VISITOR_REACHES = ("all", "none")  # [minsheng] visitor_reach


@dataclass(frozen=True)
class Reach:
    """The rows one session may read. `region`/`department` set: only those rows;
    `closed`: nothing at all (a visitor where the deployment requires sign-in)."""

    region: str | None = None
    department: str | None = None
    closed: bool = False

    @property
    def whole(self) -> bool:
        return not (self.region or self.department or self.closed)

    def clamp(self, f: Filters) -> Filters:
        """The filters narrowed to this reach, whatever the URL or the widgets asked for."""
        if self.whole:
            return f
        return replace(
            f,
            region=self.region or f.region,
            department=self.department or f.department,
        )

    def allows(self, region: object = None, department: object = None) -> bool:
        """Whether a row of this region and department is within reach."""
        if self.closed:
            return False
        if self.region and region != self.region:
            return False
        return not (self.department and department != self.department)


EVERYTHING = Reach()
NOTHING = Reach(closed=True)


@dataclass(frozen=True)
class Identity:
    """A signed-in (or anonymous) session: name for the records, role and, for 县区 and
    市直单位, the unit it reports for (报送单位)."""

    user: str
    role: str
    unit: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"未知角色“{self.role}”，应为 {'、'.join(ROLES)} 之一")
        if self.role in UNIT_ROLES and not (self.unit or "").strip():
            raise ValueError(f"{self.role}账号须指定所属单位")

    @property
    def writes(self) -> bool:
        """May load files, open and close 督办, accept or return 报送."""
        return self.role == OFFICE

    @property
    def reports(self) -> bool:
        """Sends its own month's file and answers its own 督办 (县区, 市直单位)."""
        return self.role in UNIT_ROLES

    @property
    def label(self) -> str:
        """How the sidebar names the session: 北岭县（县区）, 民生办, 访客."""
        if self.role == VISITOR:
            return "访客（未登录）"
        if self.unit:
            return f"{self.user}（{self.role} · {self.unit}）"
        return f"{self.user}（{self.role}）"

    def reach(self, visitor_reach: str = "all") -> Reach:
        if self.role == COUNTY:
            return Reach(region=self.unit)
        if self.role == DEPARTMENT:
            return Reach(department=self.unit)
        if self.role == VISITOR and visitor_reach == "none":
            return NOTHING
        return EVERYTHING


ANONYMOUS = Identity("访客", VISITOR)


# --- the policy of each metrics call (dashboard.data.FUNCTIONS) --------------------------------

# Published to every unit as the 通报 publishes them: the city's ranking table and the months
# on record. Everything else is narrowed: its Filters clamped and its rows filtered.
# yoy_ranks is the ranking table beside last year's (its completion column is the index's basis).
PUBLISHED = frozenset({"available_periods", "rankings", "city_overview", "yoy_ranks"})
# Calls about one 督办 item: answered only when the item is within reach.
ITEM_CALLS = frozenset({"supervision_history", "supervision_gaps"})
# Calls for readers of the whole city only (年度总结 names every unit's items): refused otherwise.
OFFICE_CALLS = frozenset({"annual_summary"})
# Calls that name a region as a plain argument (index among the arguments after the warehouse).
REGION_ARGUMENT = {
    "indicator_series": 4,
    # 数据溯源 (metrics.lineage): (year, month, region, …) and (year, region, …)
    "lineage_source": 2,
    "lineage_history": 1,
    "lineage_funding_source": 2,
    "lineage_funding_history": 1,
}


class OutOfReach(PermissionError):
    """A call for rows this session may not read (e.g. a forged item number)."""


def restrict_call(
    name: str, reach: Reach, args: tuple, kwargs: dict[str, Any]
) -> tuple[tuple, dict[str, Any]]:
    """The call's arguments with every Filters clamped and every region/department argument
    pinned to the reach. Raises OutOfReach for a closed reach (a visitor who must sign in)."""
    if reach.whole or name == "available_periods":
        return args, kwargs
    if reach.closed:
        raise OutOfReach("请先登录")
    if name in PUBLISHED:
        return args, kwargs
    if name in OFFICE_CALLS:
        raise OutOfReach("年度总结仅供市级查看")
    args = tuple(reach.clamp(a) if isinstance(a, Filters) else a for a in args)
    kwargs = {k: reach.clamp(v) if isinstance(v, Filters) else v for k, v in kwargs.items()}
    if reach.region and "region" in kwargs:
        kwargs["region"] = reach.region
    position = REGION_ARGUMENT.get(name)
    if reach.region and position is not None and len(args) > position:
        args = (*args[:position], reach.region, *args[position + 1 :])
    return args, kwargs


def restrict_result(name: str, reach: Reach, result: Any) -> Any:
    """The result without a row outside the reach: frames lose other regions' (departments')
    rows; the dimension lists offer only the unit's own region (department)."""
    if reach.whole or name in PUBLISHED:
        return result
    if isinstance(result, pd.DataFrame):
        return rows_within(result, reach)
    if name == "dimensions" and is_dataclass(result):
        return _narrow_dimensions(result, reach)
    return result


def rows_within(frame: pd.DataFrame, reach: Reach) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if reach.region and "region" in frame.columns:
        keep &= frame["region"] == reach.region
    if reach.department and "department" in frame.columns:
        keep &= frame["department"] == reach.department
    return frame if bool(keep.all()) else frame.loc[keep].reset_index(drop=True)


def _narrow_dimensions(dims: Any, reach: Reach) -> Any:
    changes: dict[str, Any] = {}
    names = {f.name for f in fields(dims)}
    if reach.region and "regions" in names:
        changes["regions"] = [r for r in dims.regions if r == reach.region]
    if reach.department and "departments" in names:
        changes["departments"] = [d for d in dims.departments if d == reach.department]
    return replace(dims, **changes)
