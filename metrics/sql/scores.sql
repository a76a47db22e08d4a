-- 考评: the month and the month before for one unit type, from v_scores (score = 得分 + 加扣分,
-- ranks 1, 1, 3 on scores rounded to 3 decimals), with the 加扣分 and its reason from the sheet.
WITH current_sheet AS (
    SELECT year, month, unit_type, unit, base_score, adjustment, note
    FROM score_report
    WHERE superseded_by IS NULL
),
final AS (
    SELECT
        s.month, s.unit, s.score, s.rank, s.cumulative_score, s.cumulative_rank,
        c.base_score, COALESCE(c.adjustment, 0) AS adjustment, c.note
    FROM v_scores AS s
    LEFT JOIN current_sheet AS c
        ON c.year = s.year AND c.month = s.month AND c.unit_type = s.unit_type AND c.unit = s.unit
    WHERE s.year = $year AND s.unit_type = $unit_type AND s.month IN ($month, $month - 1)
)
SELECT * FROM final
ORDER BY month, rank, unit;
