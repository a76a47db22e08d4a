-- The activity store (etl/writing/activity.py, etl/writing/submission.py): the audit trail (操作记录) and the
-- units' queued reports (报送), in the SQLite file beside the warehouse. Times are naive local
-- ISO text ('2025-02-03T09:15:00'), so text order is time order. The last blocks (warehouse_*)
-- are DuckDB statements that read the warehouse's contract views and tables.

-- name: schema
CREATE TABLE IF NOT EXISTS audit_event (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    user    TEXT NOT NULL,
    role    TEXT NOT NULL,
    unit    TEXT,                        -- the 县区 or 市直单位 the event concerns, if any
    action  TEXT NOT NULL,               -- 下载, 上传报送, 接收入库, 退回, 销号, 登录 …
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_event_at ON audit_event (at, id);

-- One row per stored 报送; a refused one is never stored. status: 待审核, 已退回, 已入库, or
-- 已撤回 (replaced by a newer file of the same unit and month while it waited).
CREATE TABLE IF NOT EXISTS submission (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_kind     TEXT NOT NULL,
    unit          TEXT NOT NULL,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,
    kinds         TEXT NOT NULL,         -- sheet kinds it holds, e.g. '进度,资金'
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    status        TEXT NOT NULL,
    submitted_by  TEXT NOT NULL,
    submitted_at  TEXT NOT NULL,
    reviewed_by   TEXT,
    reviewed_at   TEXT,
    note          TEXT,
    errors        TEXT NOT NULL DEFAULT '[]',   -- JSON list of located messages (退回)
    warnings      TEXT NOT NULL DEFAULT '[]',   -- JSON list: the check's 警告 when it was sent
    load_id       INTEGER                       -- load_log.load_id once 已入库
);
CREATE INDEX IF NOT EXISTS submission_month ON submission (year, month, unit);

-- The file's bytes, apart from the row so that listing submissions never reads them.
CREATE TABLE IF NOT EXISTS submission_file (
    submission_id INTEGER PRIMARY KEY REFERENCES submission (id),
    content       BLOB NOT NULL
);

-- name: insert_event
INSERT INTO audit_event (at, user, role, unit, action, detail)
VALUES (:at, :user, :role, :unit, :action, :detail);

-- name: events
-- Newest first; a filter left NULL matches every row.
SELECT at, user, role, unit, action, detail
FROM audit_event
WHERE (:user IS NULL OR user = :user) AND (:action IS NULL OR action = :action)
ORDER BY at DESC, id DESC
LIMIT :limit;

-- name: insert_submission
INSERT INTO submission (
    unit_kind, unit, year, month, kinds, file_name, sha256, status, submitted_by, submitted_at,
    warnings
)
VALUES (
    :unit_kind, :unit, :year, :month, :kinds, :file_name, :sha256, '待审核', :submitted_by,
    :submitted_at, :warnings
);

-- name: insert_file
INSERT INTO submission_file (submission_id, content) VALUES (:id, :content);

-- name: waiting_of_unit
-- The unit's files of that month still waiting (a new one may replace them).
SELECT id, kinds FROM submission
WHERE unit_kind = :unit_kind AND unit = :unit AND year = :year AND month = :month
  AND status = '待审核';

-- name: withdraw
UPDATE submission
SET status = '已撤回', reviewed_by = :by, reviewed_at = :at, note = :note
WHERE id = :id AND status = '待审核';

-- name: submissions
-- Newest first; a filter left NULL matches every row.
SELECT id, unit_kind, unit, year, month, file_name, status, submitted_by, submitted_at,
       reviewed_by, reviewed_at, note, errors, warnings, load_id, kinds, sha256
FROM submission
WHERE (:year IS NULL OR year = :year) AND (:month IS NULL OR month = :month)
  AND (:unit IS NULL OR unit = :unit) AND (:status IS NULL OR status = :status)
  AND (:id IS NULL OR id = :id)
ORDER BY submitted_at DESC, id DESC;

-- name: file_of
SELECT s.file_name, f.content
FROM submission AS s JOIN submission_file AS f ON f.submission_id = s.id
WHERE s.id = :id;

-- name: mark_loaded
-- Set once the loader has the file's rows, whatever happened to the row meanwhile (a second
-- review, a newer file): the warehouse holds them, so 已入库 is the truth.
UPDATE submission
SET status = '已入库', reviewed_by = :by, reviewed_at = :at, load_id = :load_id
WHERE id = :id;

-- name: mark_returned
UPDATE submission
SET status = '已退回', reviewed_by = :by, reviewed_at = :at, note = :note, errors = :errors
WHERE id = :id AND status = '待审核';

-- name: warehouse_units
-- DuckDB, on the warehouse: the regions and departments of a year, as (kind, name).
SELECT DISTINCT '县区' AS kind, region AS name FROM v_progress WHERE year = $year
UNION SELECT DISTINCT '县区', region FROM v_funding WHERE year = $year
UNION SELECT DISTINCT '市直单位', department FROM v_progress
    WHERE year = $year AND department IS NOT NULL AND trim(department) <> ''
UNION SELECT DISTINCT unit_type, unit FROM v_scores WHERE year = $year;

-- name: warehouse_region_loads
-- DuckDB: the loads that own a region's current 进度/资金 rows of one month, with their time
-- (a month the 民生办 loaded itself shows as 已入库 on the 报送情况 view).
SELECT r.region, r.load_id, l.loaded_at
FROM (
    SELECT DISTINCT region, load_id FROM progress_report
    WHERE superseded_by IS NULL AND year = $year AND month = $month
    UNION
    SELECT DISTINCT region, load_id FROM funding_report
    WHERE superseded_by IS NULL AND year = $year AND month = $month
) AS r
JOIN load_log AS l USING (load_id);

-- name: warehouse_department_codes
-- DuckDB: the project codes a department leads in a year (a 资金 row has no 责任单位 column).
SELECT DISTINCT project_code FROM v_progress WHERE year = $year AND department = $department;
