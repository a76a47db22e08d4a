-- bench/make_warehouse.py national: every month of $first_year..$last_year from the month the
-- loader wrote ($first_year, January). Same targets and budgets, completion from the pace
-- formula of make_warehouse.pace (keep the two together). Rows share the first load's load_id.
INSERT INTO progress_report
SELECT y AS year, m AS month, p.region, p.project_code, p.project_name, p.indicator, p.target,
       LEAST(p.target, ROUND(p.target * (1.41 - 1.2 * power(((CAST(substr(p.region, 3) AS INTEGER) * 31
             + CAST(substr(p.indicator, 3) AS INTEGER) * 17 + y * 7) % 100) / 100.0, 2)) * m / 12, 2)),
       p.unit, p.department, p.category, p.load_id, p.source_sheet, p.source_row, NULL
FROM progress_report AS p,
     range($first_year, $last_year + 1) AS ys(y),
     range(1, 13) AS ms(m)
WHERE p.year = $first_year AND p.month = 1 AND NOT (y = $first_year AND m = 1);

INSERT INTO funding_report
SELECT y, m, f.region, f.project_code, f.project_name, f.budget,
       ROUND(f.budget * LEAST(1.0, (1.41 - 1.2 * power(((CAST(substr(f.region, 3) AS INTEGER) * 31
             + CAST(substr(f.project_code, 2) AS INTEGER) * 17 + y * 7) % 100) / 100.0, 2)) * m / 12), 2),
       ROUND(f.budget * 0.8 * LEAST(1.0, (1.41 - 1.2 * power(((CAST(substr(f.region, 3) AS INTEGER) * 31
             + CAST(substr(f.project_code, 2) AS INTEGER) * 17 + y * 7) % 100) / 100.0, 2)) * m / 12), 2),
       f.load_id, f.source_sheet, f.source_row, NULL
FROM funding_report AS f,
     range($first_year, $last_year + 1) AS ys(y),
     range(1, 13) AS ms(m)
WHERE f.year = $first_year AND f.month = 1 AND NOT (y = $first_year AND m = 1);

INSERT INTO score_report
SELECT y, m, s.unit_type, s.unit, 80 + (hash(s.unit, y, m) % 20), 0, NULL,
       s.load_id, s.source_sheet, s.source_row, NULL
FROM score_report AS s,
     range($first_year, $last_year + 1) AS ys(y),
     range(1, 13) AS ms(m)
WHERE s.year = $first_year AND s.month = 1 AND NOT (y = $first_year AND m = 1);
