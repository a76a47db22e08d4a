"""Every metrics call the pages make, through dashboard.data.fetch, under a unit's reach: no row
of another region (department) comes back, and the narrowed figures equal the unit's own."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from dashboard import auth, data
from etl.demo import build_demo_database
from etl.writing.supervision import open_lagging
from metrics import reach as reach_rules
from metrics.db import Warehouse
from metrics.filters import Filters
from metrics.reach import OutOfReach, Reach
from tests.app.conftest import private_copy

REGION, OTHER_REGION = "北岭县", "南溪县"
DEPARTMENT = "市人社局"
MONTH = Filters(2025, 6)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reach") / "minsheng.duckdb"
    build_demo_database(path)
    open_lagging(path, 2025, 6, min_severity="黄", by="张三")  # items in every region
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch) -> Path:
    return private_copy(demo_template, tmp_path, monkeypatch)


def calls(item_id: int) -> dict[str, tuple]:
    """Arguments of each FUNCTIONS entry as the pages pass them (全市, every region)."""
    return {
        "available_periods": (),
        "dimensions": (2025,),
        "overview": (MONTH,),
        "city_overview": (MONTH,),
        "most_behind": (MONTH,),
        "indicator_progress": (MONTH,),
        "project_progress": (MONTH,),
        "region_breakdown": (MONTH, "5"),
        "construction_pairs": (MONTH,),
        "monthly_trend": (MONTH,),
        "funding_by_project": (MONTH,),
        "funding_by_region": (MONTH,),
        "funding_matrix": (MONTH,),
        "lagging_items": (Filters(2025, 6, region=OTHER_REGION),),
        "lagging_by_region": (MONTH,),
        "lagging_by_department": (MONTH,),
        "bulletin_lines": (MONTH,),
        "rankings": (2025, 6, "县区"),
        "will_miss_items": (MONTH,),
        "forecast_summary": (MONTH,),
        "forecast_by_region": (MONTH,),
        "forecast_by_department": (MONTH,),
        "indicator_forecast": (MONTH,),
        "indicator_series": (MONTH, "5", "新建", "公里", OTHER_REGION),
        "funding_forecast": (MONTH,),
        "funding_forecast_by_project": (MONTH,),
        "funding_forecast_by_region": (MONTH,),
        "forecast_bulletin_sentence": (MONTH,),
        "supervision_ledger": (MONTH,),
        "supervision_history": (item_id,),
        "supervision_gaps": (item_id,),
        "supervision_owner": (item_id,),
        "lineage_items": (MONTH,),
        "lineage_source": (2025, 6, OTHER_REGION, "5", "危房改造竣工"),
        "lineage_history": (2025, OTHER_REGION, "5", "危房改造竣工"),
        "lineage_funding_source": (2025, 6, OTHER_REGION, "5"),
        "lineage_funding_history": (2025, OTHER_REGION, "5"),
        "yoy_overview": (MONTH,),
        "yoy_ranks": (2025, 6, "县区"),
        "annual_summary": (2025, 6),
    }


def own_item(db: Path, region: str) -> int:
    ledger = data.FUNCTIONS["supervision_ledger"](Warehouse(db), MONTH)
    return int(ledger[ledger["region"] == region]["item_id"].iloc[0])


def test_every_page_call_has_a_case_here(demo_db):
    # A new metrics call must be added above, so that its reach is checked like the others.
    assert set(calls(1)) == set(data.FUNCTIONS)


@pytest.mark.parametrize("reach", [Reach(region=REGION), Reach(department=DEPARTMENT)])
def test_no_row_of_another_unit_comes_back(demo_db, monkeypatch, reach):
    monkeypatch.setattr(auth, "current_reach", lambda *a, **k: reach)
    item = own_item(demo_db, REGION)
    for name, args in calls(item).items():
        if reach.department and name in ("supervision_history", "supervision_gaps"):
            continue  # the item is 北岭县's; whether its department matches is checked below
        if name in reach_rules.OFFICE_CALLS:  # whole-city only: refused, not narrowed
            with pytest.raises(OutOfReach):
                data.fetch(name, *args)
            continue
        result = data.fetch(name, *args)
        frames = [result] if isinstance(result, pd.DataFrame) else []
        if dataclasses.is_dataclass(result):
            frames += [v for v in vars(result).values() if isinstance(v, pd.DataFrame)]
        for frame in frames:
            if reach.region and "region" in frame.columns and name not in ("rankings",):
                assert set(frame["region"]) <= {REGION}, name
            if reach.department and "department" in frame.columns:
                assert set(frame["department"]) <= {DEPARTMENT}, name


def test_the_unit_sees_its_own_figures_and_the_city_totals(demo_db, monkeypatch):
    wh = Warehouse(demo_db)
    own = data.FUNCTIONS["overview"](wh, Filters(2025, 6, region=REGION))
    city = data.FUNCTIONS["overview"](wh, MONTH)
    monkeypatch.setattr(auth, "current_reach", lambda *a, **k: Reach(region=REGION))
    figures = ("n_indicators", "n_lagging", "budget", "disbursed", "completion_rate")

    def seen(ov) -> tuple:
        # sums come back from DuckDB's parallel aggregation: equal to the last few bits
        return tuple(pytest.approx(getattr(ov, name), rel=1e-9) for name in figures)

    assert seen(data.fetch("overview", MONTH)) == seen(own)
    assert seen(data.fetch("city_overview", Filters(2025, 6, region=REGION))) == seen(city)
    assert own.n_lagging < city.n_lagging  # the two differ: the test would see a mix-up
    # the ranking table is published whole: every county with its rank
    ranking = data.fetch("rankings", 2025, 6, "县区")
    assert {REGION, OTHER_REGION} <= set(ranking.frame["unit"])


def test_another_units_item_is_refused(demo_db, monkeypatch):
    foreign = own_item(demo_db, OTHER_REGION)
    monkeypatch.setattr(auth, "current_reach", lambda *a, **k: Reach(region=REGION))
    with pytest.raises(OutOfReach):
        data.fetch("supervision_history", foreign)
    with pytest.raises(OutOfReach):
        data.fetch("supervision_gaps", 99_999)  # no such item
