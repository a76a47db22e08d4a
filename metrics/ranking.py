"""排名: county (县区) and department (市直单位) rankings for a month.

Where a 考评 sheet was loaded for the month and unit type, the ranking is v_scores' (score =
得分 + 加扣分; 1–N月 cumulative score; ranks from the view). Otherwise it is a progress index
(进度指数), documented in `rankings`. Either way the ranks come from SQL with one rule (views.sql
score_key): ties share the smallest rank and the next rank skips (1, 1, 3), comparing scores
rounded to 3 decimals, the 考评 sheets' precision.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.config import INDEX_CAP, UNIT_TYPES
from metrics.db import Warehouse

SOURCE_SCORES = "考评"
SOURCE_INDEX = "进度指数"
RANKING_COLUMNS = [
    "unit", "score", "rank", "cumulative_score", "cumulative_rank", "previous_rank",
    "rank_change", "previous_cumulative_rank", "cumulative_rank_change", "adjustment", "note",
    "base_score", "n_items",
]  # fmt: skip


@dataclass(frozen=True, eq=False)
class Ranking:
    """A month's ranking of one unit type; `source` is '考评' or '进度指数'.

    frame columns: unit, score, rank, cumulative_score, cumulative_rank, previous_rank,
    rank_change (positive = moved up), previous_cumulative_rank, cumulative_rank_change,
    adjustment (加扣分), note (说明), base_score (得分 before 加扣分), n_items (index only).
    """

    year: int
    month: int
    unit_type: str
    source: str
    frame: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.frame.empty


def _with_changes(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Add last month's ranks and the places moved (previous − current: positive = up)."""
    before = previous.set_index("unit")
    out = current.copy()
    out["previous_rank"] = out["unit"].map(before["rank"]).astype("Int64")
    out["previous_cumulative_rank"] = out["unit"].map(before["cumulative_rank"]).astype("Int64")
    out["rank_change"] = out["previous_rank"] - out["rank"]
    out["cumulative_rank_change"] = out["previous_cumulative_rank"] - out["cumulative_rank"]
    for column in RANKING_COLUMNS:
        if column not in out:
            out[column] = pd.NA
    out = out.sort_values(["rank", "cumulative_rank", "unit"], kind="stable")
    return out[RANKING_COLUMNS].reset_index(drop=True)


def index_ranking(wh: Warehouse, year: int, month: int, unit_type: str) -> pd.DataFrame:
    """The progress-index ranking frame (see rankings); empty without progress figures."""
    params = {"year": year, "month": month, "unit_type": unit_type, "index_cap": INDEX_CAP}
    rows = wh.query("progress_index", params)
    current = rows[rows["month"] == month]
    previous = rows[rows["month"] == month - 1]
    out = _with_changes(current.drop(columns="month"), previous)
    out["adjustment"] = 0.0
    return _int_ranks(out)


def _int_ranks(frame: pd.DataFrame) -> pd.DataFrame:
    """rank and cumulative_rank as nullable integers, as the pages and the bulletin read them."""
    return frame.astype({"rank": "Int64", "cumulative_rank": "Int64"})


def rankings(wh: Warehouse, year: int, month: int, unit_type: str) -> Ranking:
    """The month's ranking of 县区 or 市直单位.

    考评 source: when the month has 考评 rows for this unit type, straight from v_scores.
    进度指数 source otherwise: each item counts min(完成率 ÷ 序时进度, 1.2) (INDEX_CAP; an item
    with nothing due yet counts 1.2 if started, else 1.0); a county's index is the mean over its
    own region × indicator rows, a department's the mean over the indicators it leads, each summed
    citywide (Σ累计完成 ÷ Σ年度目标). 1.0 means exactly on schedule. The cumulative index is the
    sum of the monthly indices over the months the unit reported, like the 1–N月 score.
    previous_rank is last month's rank from the same source (NA in January or when absent).
    """
    if unit_type not in UNIT_TYPES:
        raise ValueError(f"unit_type must be one of {UNIT_TYPES}, got {unit_type!r}")
    params = {"year": int(year), "month": int(month), "unit_type": unit_type}
    sheet = wh.query("scores", params)
    current = sheet[sheet["month"] == month]
    if not current.empty:
        previous = sheet[sheet["month"] == month - 1]
        frame = _int_ranks(_with_changes(current.drop(columns="month"), previous))
        return Ranking(int(year), int(month), unit_type, SOURCE_SCORES, frame)
    frame = index_ranking(wh, int(year), int(month), unit_type)
    return Ranking(int(year), int(month), unit_type, SOURCE_INDEX, frame)
