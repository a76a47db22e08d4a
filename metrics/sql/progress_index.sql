-- 进度指数 for rankings without a 考评 sheet, for months 1…$month of $year.
-- An item counts min(完成率 ÷ 序时进度, $index_cap); where nothing was due yet (序时进度 0) it
-- counts $index_cap if work has started, else 1 (on schedule). A unit's month index is the mean
-- over its items; the cumulative index is the sum over the months it was scored, like 1–N月得分.
-- 县区: the region's own indicator rows. 市直单位: each indicator it leads, summed citywide.
-- Ranked as v_scores ranks 得分 (score_key: 3 decimals; ties share 1, 1, 3); no score ranks last.
-- Scores are ratios (1.0 = exactly on schedule).
WITH year_rows AS (
    SELECT * FROM v_progress WHERE year = $year AND month <= $month
),
county_items AS (
    SELECT month, region AS ranked_unit, completion_rate, planned_rate
    FROM year_rows
    WHERE $unit_type = '县区'
),
department_items AS (
    SELECT
        month,
        department AS ranked_unit,
        rate_of(SUM(actual), SUM(target)) AS completion_rate,
        AVG(planned_rate) AS planned_rate
    FROM year_rows
    WHERE $unit_type = '市直单位' AND department IS NOT NULL AND department <> ''
    GROUP BY month, department, project_code, indicator, unit
),
items AS (
    SELECT * FROM county_items
    UNION ALL
    SELECT * FROM department_items
),
scored AS (
    SELECT
        month,
        ranked_unit,
        AVG(
            CASE
                WHEN planned_rate > 0 THEN LEAST(completion_rate / planned_rate, $index_cap)
                WHEN completion_rate > 0 THEN $index_cap
                ELSE 1.0
            END
        ) AS score,
        CAST(COUNT(*) AS INTEGER) AS n_items
    FROM items
    GROUP BY month, ranked_unit
),
with_cumulative AS (
    SELECT
        month,
        ranked_unit AS unit,
        score,
        SUM(score) OVER (
            PARTITION BY ranked_unit ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS cumulative_score,
        n_items
    FROM scored
),
final AS (
    SELECT
        month, unit, score, cumulative_score, n_items,
        CAST(RANK() OVER (
            PARTITION BY month ORDER BY score_key(score) DESC NULLS LAST
        ) AS INTEGER) AS rank,
        CAST(RANK() OVER (
            PARTITION BY month ORDER BY score_key(cumulative_score) DESC NULLS LAST
        ) AS INTEGER) AS cumulative_rank
    FROM with_cumulative
    WHERE month IN ($month, $month - 1)
)
SELECT * FROM final
ORDER BY month, unit;
