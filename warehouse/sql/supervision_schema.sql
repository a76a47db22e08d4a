-- 督办台账 (data contract §5): an item per problem followed from the month it is raised until a
-- person closes it (销号), and an append-only log of everything that happened to it. Nothing here
-- is ever updated or deleted: an item's status is the status after its latest event, so the
-- events are the whole history (who, when, what) and part of the backup story.

CREATE SEQUENCE IF NOT EXISTS supervision_item_seq START 1;
CREATE SEQUENCE IF NOT EXISTS supervision_event_seq START 1;

-- One row per 督办事项, as it was opened. A lagging item names its region, project and indicator;
-- a manual finding (督查发现) has project_code and indicator NULL and names a region and/or a
-- department. At most one item that is not 已销号 per (region, project_code, indicator) for
-- lagging items: the writer (etl/writing/supervision.py) checks it under the warehouse's write lock.
CREATE TABLE IF NOT EXISTS supervision_item (
    item_id       BIGINT PRIMARY KEY,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,        -- the month it was opened for
    region        VARCHAR,
    department    VARCHAR,
    project_code  VARCHAR,                 -- NULL for a manual finding
    project_name  VARCHAR,
    indicator     VARCHAR,                 -- NULL for a manual finding
    reason        VARCHAR NOT NULL,
    gap_opened    DOUBLE,                  -- v_progress.gap of (year, month) when opened
    deadline      DATE NOT NULL,
    opened_at     TIMESTAMP NOT NULL,
    opened_by     VARCHAR NOT NULL
);

-- Every change of an item, appended: opened, note (整改 recorded), recheck (a load or an undo
-- moved it between 待整改/整改中 and 可销号), closed (销号), reopened. `status` is the item's status
-- after the event; `month` and `gap` the latest loaded month compared and its gap (opened,
-- recheck); `load_id` the load or undo (load_log) that caused a recheck.
CREATE TABLE IF NOT EXISTS supervision_event (
    event_id      BIGINT PRIMARY KEY,
    item_id       BIGINT NOT NULL,
    happened_at   TIMESTAMP NOT NULL,
    actor         VARCHAR NOT NULL,        -- the person, or the loader's loaded_by
    kind          VARCHAR NOT NULL,        -- opened | note | recheck | closed | reopened
    status        VARCHAR NOT NULL,        -- 待整改 | 整改中 | 可销号 | 已销号
    note          VARCHAR,
    month         INTEGER,
    gap           DOUBLE,
    load_id       BIGINT
);
