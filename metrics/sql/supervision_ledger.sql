-- 督办台账 of a year (v_supervision, colours for today), narrowed to a region and/or department
-- ($region / $department NULL = all). Oldest item first.
SELECT *
FROM v_supervision
WHERE year = $year
    AND ($region IS NULL OR region = $region)
    AND ($department IS NULL OR department = $department)
ORDER BY item_id;
