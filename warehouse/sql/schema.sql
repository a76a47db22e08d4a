-- Warehouse tables. Rows are never deleted on replacement: a load that replaces keys marks the
-- earlier rows with superseded_by = its load_id, so a load can be undone exactly.
-- Current data is WHERE superseded_by IS NULL. Money is 万元; rates are fractions.

CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1;

-- Facts about the file itself; schema_sha256 lets a writer skip re-applying an unchanged schema.
CREATE TABLE IF NOT EXISTS warehouse_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS load_log (
    load_id        BIGINT PRIMARY KEY,
    file_name      VARCHAR NOT NULL,       -- as given, without the folder
    sha256         VARCHAR NOT NULL,       -- of the file's bytes
    loaded_at      TIMESTAMP NOT NULL,
    loaded_by      VARCHAR,                -- 'cli', 'demo', or the signed-in user
    refused        BOOLEAN NOT NULL,
    rows_progress  INTEGER NOT NULL DEFAULT 0,
    rows_funding   INTEGER NOT NULL DEFAULT 0,
    rows_scores    INTEGER NOT NULL DEFAULT 0,
    rows_schedule  INTEGER NOT NULL DEFAULT 0,
    n_warnings     INTEGER NOT NULL DEFAULT 0,
    warnings       VARCHAR[],              -- each as printed: '警告 file:sheet:row:column: …'
    errors         VARCHAR[],              -- each as printed, for a refused file
    replaced       VARCHAR[],              -- notices of keys taken over from other files
    undo_of        BIGINT,                 -- set on the log row that records an undo
    undone_by      BIGINT,                 -- set on a load that was undone
    unchanged_of   BIGINT                  -- set when the file matched that load: nothing changed
);

-- Every finding of a load attempt, one a row, as the loader found it (the load_log arrays hold
-- the same as printed lines, where a ':' in a file or header name makes the place ambiguous).
-- Written in the transaction of its load_log row; seq orders a load's findings (errors first).
CREATE TABLE IF NOT EXISTS load_finding (
    load_id        BIGINT NOT NULL,
    seq            INTEGER NOT NULL,
    is_warning     BOOLEAN NOT NULL,
    file           VARCHAR,
    sheet          VARCHAR,                -- sheet name, or the CSV's kind; NULL when none
    row            INTEGER,                -- the spreadsheet's 1-based row; NULL when none
    col            VARCHAR,                -- the column's header; NULL when none
    message        VARCHAR NOT NULL,
    PRIMARY KEY (load_id, seq)
);

-- Sheet 进度: one current row per year, month, region, project_code, indicator.
CREATE TABLE IF NOT EXISTS progress_report (
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,
    region        VARCHAR NOT NULL,
    project_code  VARCHAR NOT NULL,
    project_name  VARCHAR NOT NULL,
    indicator     VARCHAR NOT NULL,
    target        DOUBLE NOT NULL,         -- 年度目标, in unit
    actual        DOUBLE NOT NULL,         -- 累计完成 to month end, in unit
    unit          VARCHAR,
    department    VARCHAR,
    category      VARCHAR NOT NULL,
    load_id       BIGINT NOT NULL,
    source_sheet  VARCHAR,
    source_row    INTEGER,
    superseded_by BIGINT
);

-- Sheet 资金: one current row per year, month, region, project_code. Money in 万元.
CREATE TABLE IF NOT EXISTS funding_report (
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,
    region        VARCHAR NOT NULL,
    project_code  VARCHAR NOT NULL,
    project_name  VARCHAR NOT NULL,
    budget        DOUBLE NOT NULL,         -- 计划投入, 万元
    arrived       DOUBLE NOT NULL,         -- 到位资金 cumulative, 万元
    disbursed     DOUBLE NOT NULL,         -- 拨付资金 cumulative, 万元
    load_id       BIGINT NOT NULL,
    source_sheet  VARCHAR,
    source_row    INTEGER,
    superseded_by BIGINT
);

-- Sheet 考评: one current row per year, month, unit_type, unit. A month's own score.
CREATE TABLE IF NOT EXISTS score_report (
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,
    unit_type     VARCHAR NOT NULL,        -- 县区 or 市直单位
    unit          VARCHAR NOT NULL,
    base_score    DOUBLE NOT NULL,         -- 得分
    adjustment    DOUBLE NOT NULL DEFAULT 0, -- 加扣分
    note          VARCHAR,                 -- 说明
    load_id       BIGINT NOT NULL,
    source_sheet  VARCHAR,
    source_row    INTEGER,
    superseded_by BIGINT
);

-- Sheet 序时计划, stored long: one row per plan (project or category) and month.
CREATE TABLE IF NOT EXISTS schedule_plan (
    year          INTEGER NOT NULL,
    project_code  VARCHAR,                 -- the plan is for this project …
    category      VARCHAR,                 -- … or, where project_code is NULL, for this 类别
    month         INTEGER NOT NULL,
    planned_rate  DOUBLE NOT NULL,         -- fraction: 0.5 = 50%
    load_id       BIGINT NOT NULL,
    source_sheet  VARCHAR,
    source_row    INTEGER,
    superseded_by BIGINT
);
