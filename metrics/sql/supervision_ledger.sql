-- 督办台账 of a year (v_supervision, colours for today), narrowed to a region and/or department
-- ($region / $department NULL = all). Oldest item first. $as_of is today: it puts the day in the
-- query's cache key, so colours and days_left (to the deadline; NULL once 已销号) move together.
SELECT
    *,
    CASE WHEN status <> '已销号' THEN deadline - CAST($as_of AS DATE) END AS days_left
FROM v_supervision
WHERE year = $year
    AND ($region IS NULL OR region = $region)
    AND ($department IS NULL OR department = $department)
ORDER BY item_id;
