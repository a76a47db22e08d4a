-- One lagging item's indicator month by month in its year (its region): the gap to 序时进度.
SELECT p.month, p.completion_rate, p.planned_rate, p.gap, p.is_lagging
FROM supervision_item AS i
JOIN v_progress AS p
    ON p.year = i.year AND p.region = i.region
    AND p.project_code = i.project_code AND p.indicator = i.indicator
WHERE i.item_id = $item_id
ORDER BY p.month;
