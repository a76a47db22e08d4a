"""排名: competition ranks at 3 decimals, the seed 004 bulletin, and the progress index."""

import duckdb
import pytest

from metrics.ranking import rankings


def rank_scores(warehouse_factory, scores):
    """The ranks v_scores gives these 得分 (units 单位0, 单位1 … in the order given); a NaN is
    written into the file after it is built (the loader and the factory take numbers only)."""
    wh = warehouse_factory(
        scores=[
            {"unit": f"单位{i}", "base_score": s if s == s else 0.0} for i, s in enumerate(scores)
        ]
    )
    con = duckdb.connect(str(wh.path))
    try:
        for i in (i for i, s in enumerate(scores) if s != s):
            con.execute(
                "UPDATE score_report SET base_score = CAST('NaN' AS DOUBLE) WHERE unit = ?",
                [f"单位{i}"],
            )
    finally:
        con.close()
    view = wh.query("scores", {"year": 2020, "month": 9, "unit_type": "县区"}).set_index("unit")
    return [int(view.loc[f"单位{i}", "rank"]) for i in range(len(scores))]


def index_ranks(warehouse_factory, scores):
    """The ranks the 进度指数 ranking (progress_index.sql) gives these scores. Each unit is a
    市直单位 leading one indicator with 序时进度 100% and 年度目标 1: its index is its 累计完成."""
    wh = warehouse_factory(
        progress=[
            {"department": f"单位{i}", "indicator": f"指标{i}", "target": 1.0, "actual": s}
            for i, s in enumerate(scores)
        ],
        schedules=[{"category": "补助类", "planned_rate": 1.0}],
    )
    params = {"year": 2020, "month": 6, "unit_type": "市直单位", "index_cap": 10.0}
    index = wh.query("progress_index", params).set_index("unit")
    assert [index.loc[f"单位{i}", "score"] for i in range(len(scores))] == scores
    return [int(index.loc[f"单位{i}", "rank"]) for i in range(len(scores))]


def round_score(warehouse_factory, score):
    """A score as the ranks compare it: score_key (views.sql) in the warehouse."""
    con = duckdb.connect(str(warehouse_factory().path), read_only=True)
    try:
        return con.execute("SELECT score_key(?)", [score]).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([1.498, 1.498, 1.495, 1.492, 1.485], [1, 1, 3, 4, 5]),
        ([1.35 + 0.05, 1.4], [1, 1]),  # 1.4000000000000001 ties 1.4
        ([1.398 + 0.1, 1.448 + 0.05, 1.445 + 0.05], [1, 1, 3]),
        ([1.0, 1.0, 1.0], [1, 1, 1]),
        ([3.0, 2.0, 1.0], [1, 2, 3]),
        ([1.0, 2.0, 2.0, 3.0], [4, 2, 2, 1]),
        ([1.4994, 1.4996, 1.5], [3, 1, 1]),  # 1.4996 rounds to 1.500
        ([0.0625, 0.0626, 0.062], [1, 1, 3]),  # half away from zero, as DuckDB: 0.063
        ([-0.05, 0.0], [2, 1]),
        ([1.0, float("nan"), 2.0], [2, 3, 1]),  # a missing score ranks last
        ([], []),
    ],
)
def test_rank_scores(warehouse_factory, scores, expected):
    assert rank_scores(warehouse_factory, scores) == expected


@pytest.mark.parametrize(
    ("score", "expected"),
    [(1.35 + 0.05, 1.4), (0.0625, 0.063), (-0.0625, -0.063), (13.7145, 13.715), (1.4994, 1.499)],
)
def test_round_score_like_duckdb(warehouse_factory, score, expected):
    assert round_score(warehouse_factory, score) == expected


# Seed 004, 9月 county table: base 得分 and the 民生办 加扣分 (score = base + adjustment) and
# the 1–8月 total chosen so that 1–9月 matches the bulletin (义安区 13.715, 枞阳县 13.611 …).
SEED_004_COUNTIES = [
    # unit, base, adjustment, note, 1–9月 total, 9月 rank, 1–9月 rank
    ("义安区", 1.398, 0.1, "省民生网站刊登信息加0.1分", 13.715, 1, 1),
    ("铜官区", 1.448, 0.05, "标识牌扣0.05分；刊登信息加0.1分", 13.441, 1, 4),
    ("枞阳县", 1.445, 0.05, "省民生网站刊登信息加0.05分", 13.611, 3, 2),
    ("郊区", 1.542, -0.05, "部分项目点未使用民生工程标识牌扣0.05分", 13.573, 4, 3),
    ("经开区", 1.535, -0.05, "未按时报送资金报表扣0.05分", 13.405, 5, 5),
]


@pytest.fixture(scope="module")
def seed_004(warehouse_factory):
    rows = []
    for unit, base, adjustment, note, total, _, _ in SEED_004_COUNTIES:
        rows.append({"month": 9, "unit": unit, "base_score": base, "adjustment": adjustment})
        rows[-1]["note"] = note
        rows.append({"month": 8, "unit": unit, "base_score": total - (base + adjustment)})
    departments = [
        ("市交通局", 1.45, -0.05),  # 1.4
        ("市农业农村局", 1.35, 0.05),  # 1.35 + 0.05 ties 1.4
        ("市委组织部", 1.5, 0.05),  # 1.55
        ("市水利局", 1.35, -0.1),  # 1.25
    ]
    rows += [
        {"month": 9, "unit_type": "市直单位", "unit": u, "base_score": b, "adjustment": a}
        for u, b, a in departments
    ]
    return warehouse_factory(scores=rows)


@pytest.mark.parametrize(
    ("unit", "score", "rank", "cumulative", "cumulative_rank"),
    [(u, b + a, r, t, cr) for u, b, a, _, t, r, cr in SEED_004_COUNTIES],
)
def test_seed_004_county_ranking(seed_004, unit, score, rank, cumulative, cumulative_rank):
    ranking = rankings(seed_004, 2020, 9, "县区")
    assert ranking.source == "考评"
    row = ranking.frame.set_index("unit").loc[unit]
    assert round(row["score"], 3) == pytest.approx(score)
    assert (row["rank"], row["cumulative_rank"]) == (rank, cumulative_rank)
    assert round(row["cumulative_score"], 3) == pytest.approx(cumulative)


def test_seed_004_order_notes_and_rank_change(seed_004):
    frame = rankings(seed_004, 2020, 9, "县区").frame
    assert frame["unit"].tolist() == ["义安区", "铜官区", "枞阳县", "郊区", "经开区"]
    yian = frame.set_index("unit").loc["义安区"]
    assert yian["adjustment"] == pytest.approx(0.1)
    assert yian["note"] == "省民生网站刊登信息加0.1分"
    # August scores (1–9月 total − 9月): 义安区 12.217, 枞阳县 12.116, 郊区 12.081,
    # 铜官区 11.943, 经开区 11.920
    assert frame.set_index("unit")["previous_rank"].to_dict() == {
        "义安区": 1, "枞阳县": 2, "郊区": 3, "铜官区": 4, "经开区": 5,
    }  # fmt: skip
    assert frame.set_index("unit")["rank_change"].to_dict() == {
        "义安区": 0, "铜官区": 3, "枞阳县": -1, "郊区": -1, "经开区": 0,
    }  # fmt: skip


def test_departments_tie_at_three_decimals(seed_004):
    frame = rankings(seed_004, 2020, 9, "市直单位").frame.set_index("unit")
    assert frame["rank"].to_dict() == {
        "市委组织部": 1,
        "市交通局": 2,
        "市农业农村局": 2,
        "市水利局": 4,
    }
    assert frame["previous_rank"].isna().all()


def test_rank_scores_agrees_with_v_scores(warehouse_factory):
    """The 进度指数 ranking ranks a score as v_scores ranks the same 得分."""
    scores = [1.35 + 0.05, 1.4, 0.0625, 0.0626, 0.062, 1.4994, 1.4996, 1.5, -0.05, 0.0]
    assert index_ranks(warehouse_factory, scores) == rank_scores(warehouse_factory, scores)


def _progress(region, indicator, actual, month=6, **extra):
    return {"region": region, "indicator": indicator, "actual": actual, "month": month, **extra}


@pytest.fixture(scope="module")
def no_sheet(warehouse_factory):
    """June and May figures without a 考评 sheet (序时进度 6/12 and 5/12)."""
    return warehouse_factory(
        progress=[
            # 铜官区: 25/50 = 0.5 and 90/50 → capped 1.2: index 0.85
            _progress("铜官区", "公益性岗位开发", 25),
            _progress("铜官区", "就业见习", 90),
            # 义安区: 50/50 = 1.0
            _progress("义安区", "公益性岗位开发", 50),
            # 郊区: 60/50 = 1.2 and 35/50 = 0.7: 0.95
            _progress("郊区", "公益性岗位开发", 60, department="市民政局"),
            _progress("郊区", "就业见习", 35),
            # May: 铜官区 1.2 (ahead), 义安区 0.48, 郊区 absent
            _progress("铜官区", "公益性岗位开发", 50, month=5),
            _progress("义安区", "公益性岗位开发", 20, month=5),
            # April: 义安区 10 / 33.3 = 0.3, counted in June's cumulative index
            _progress("义安区", "公益性岗位开发", 10, month=4),
        ]
    )


def test_progress_index_ranks_counties_without_a_sheet(no_sheet):
    ranking = rankings(no_sheet, 2020, 6, "县区")
    assert ranking.source == "进度指数"
    frame = ranking.frame.set_index("unit")
    assert frame.index.tolist() == ["义安区", "郊区", "铜官区"]
    assert frame["score"].tolist() == pytest.approx([1.0, 0.95, 0.85])
    assert frame["rank"].tolist() == [1, 2, 3]
    # cumulative = April + May + June: 义安区 0.3 + 0.48 + 1.0, 郊区 0.95, 铜官区 1.2 + 0.85
    assert frame["cumulative_score"].tolist() == pytest.approx([1.78, 0.95, 2.05])
    assert frame["cumulative_rank"].tolist() == [2, 3, 1]
    assert frame["previous_rank"].tolist()[:1] == [2]
    assert frame.loc["铜官区", "rank_change"] == -2
    assert frame.loc["郊区"].isna()["previous_rank"]


def test_progress_index_for_departments_sums_citywide(no_sheet):
    frame = rankings(no_sheet, 2020, 6, "市直单位").frame.set_index("unit")
    # 市人社局: 公益性岗位开发 Σ 75/200 → 0.75, 就业见习 Σ 125/200 → 1.25 capped 1.2: 0.975
    # 市民政局: 公益性岗位开发 in 郊区 only, 60/100 → 1.2
    assert frame["score"].to_dict() == pytest.approx({"市民政局": 1.2, "市人社局": 0.975})
    assert frame["rank"].to_dict() == {"市民政局": 1, "市人社局": 2}


def test_nothing_due_yet_counts_on_schedule(warehouse_factory):
    wh = warehouse_factory(
        progress=[
            _progress("铜官区", "桥梁", 0, category="工程类"),
            _progress("义安区", "桥梁", 5, category="工程类"),
        ],
        schedules=[{"category": "工程类", "month": 6, "planned_rate": 0.0}],
    )
    frame = rankings(wh, 2020, 6, "县区").frame.set_index("unit")
    assert frame["score"].to_dict() == pytest.approx({"义安区": 1.2, "铜官区": 1.0})


def test_unknown_unit_type_is_refused(no_sheet):
    with pytest.raises(ValueError):
        rankings(no_sheet, 2020, 6, "乡镇")


def test_empty_month_gives_empty_ranking(no_sheet):
    ranking = rankings(no_sheet, 2020, 11, "县区")
    assert ranking.empty
    assert "rank" in ranking.frame.columns
