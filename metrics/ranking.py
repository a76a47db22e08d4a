"""排名: county (县区) and department (市直单位) rankings for a month.

Where a 考评 sheet was loaded for the month and unit type, the ranking is v_scores' (score =
得分 + 加扣分; 1–N月 cumulative score; ranks from the view). Otherwise it is a progress index
(进度指数), documented in `rankings`. Either way ties share the smallest rank and the next rank
skips (1, 1, 3), comparing scores rounded to 3 decimals as v_scores does.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from metrics.config import INDEX_CAP, SCORE_DECIMALS, UNIT_TYPES
from metrics.db import Warehouse

SOURCE_SCORES = "考评"
SOURCE_INDEX = "进度指数"
RANKING_COLUMNS = [
    "unit", "score", "rank", "cumulative_score", "cumulative_rank", "previous_rank",
    "rank_change", "previous_cumulative_rank", "cumulative_rank_change", "adjustment", "note",
    "base_score", "n_items",
]  # fmt: skip


def round_score(score: float, decimals: int = SCORE_DECIMALS) -> float:
    """Round like DuckDB's ROUND(DOUBLE, n) — half away from zero on score × 10ⁿ — so Python
    ranks agree with v_scores: 1.35 + 0.05 rounds to 1.4, 0.0625 to 0.063."""
    scaled = float(score) * 10**decimals
    whole = math.floor(abs(scaled))
    if abs(scaled) - whole >= 0.5:
        whole += 1
    return math.copysign(whole, scaled) / 10**decimals


def rank_scores(scores: Sequence[float]) -> list[int]:
    """Competition ranks, highest first: equal scores (at 3 decimals) share the smallest rank
    and the next rank skips — [1.498, 1.498, 1.495] → [1, 1, 3]. Missing scores rank last."""
    keys = [None if pd.isna(s) else round_score(s) for s in scores]
    ascending = sorted(k for k in keys if k is not None)
    n_valid = len(ascending)
    # rank = 1 + number of scores strictly greater
    return [
        n_valid + 1 if k is None else n_valid - bisect.bisect_right(ascending, k) + 1 for k in keys
    ]


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


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["rank"] = pd.array(rank_scores(list(out["score"])), dtype="Int64")
    out["cumulative_rank"] = pd.array(rank_scores(list(out["cumulative_score"])), dtype="Int64")
    return out


def index_ranking(wh: Warehouse, year: int, month: int, unit_type: str) -> pd.DataFrame:
    """The progress-index ranking frame (see rankings); empty without progress figures."""
    params = {"year": year, "month": month, "unit_type": unit_type, "index_cap": INDEX_CAP}
    rows = wh.query("progress_index", params)
    current = _ranked(rows[rows["month"] == month])
    previous = _ranked(rows[rows["month"] == month - 1])
    out = _with_changes(current.drop(columns="month"), previous)
    out["adjustment"] = 0.0
    return out


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
        frame = _with_changes(current.drop(columns="month"), previous)
        frame["rank"] = frame["rank"].astype("Int64")
        frame["cumulative_rank"] = frame["cumulative_rank"].astype("Int64")
        return Ranking(int(year), int(month), unit_type, SOURCE_SCORES, frame)
    frame = index_ranking(wh, int(year), int(month), unit_type)
    return Ranking(int(year), int(month), unit_type, SOURCE_INDEX, frame)
