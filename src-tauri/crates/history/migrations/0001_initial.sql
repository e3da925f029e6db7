-- History schema v1. Migrations are append-only: never edit a released file,
-- add a new numbered one instead (checksums of applied migrations are verified).

-- Times are INTEGER milliseconds since the Unix epoch (UTC): compact, and range
-- filters compare integers.
CREATE TABLE runs (
    -- AUTOINCREMENT so ids are never reused after retention deletes: keyset
    -- cursors and "previous snapshot" lookups rely on ids only growing.
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL CHECK (kind IN ('test_connection', 'diff', 'apply', 'provision_one')),
    target_id       TEXT    NOT NULL,
    target_name     TEXT    NOT NULL,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'cancelled', 'partial')),
    counts          TEXT    NOT NULL DEFAULT '{}',
    summary         TEXT    NOT NULL DEFAULT '',
    app_version     TEXT    NOT NULL,
    actor           TEXT    NOT NULL DEFAULT '',
    -- Kept up to date by record_operations so run lists need no COUNT(*).
    operation_count INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX runs_by_target ON runs (target_id, id);
CREATE INDEX runs_by_kind_target ON runs (kind, target_id, id);
CREATE INDEX runs_by_started ON runs (started_at);
-- Tiny partial index: start-up recovery looks for runs a crash left running.
CREATE INDEX runs_running ON runs (outcome) WHERE outcome = 'running';

CREATE TABLE operations (
    id                  INTEGER PRIMARY KEY,
    run_id              INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq                 INTEGER NOT NULL,
    started_at          INTEGER NOT NULL,
    method              TEXT    NOT NULL,
    path                TEXT    NOT NULL,
    resource_kind       TEXT    NOT NULL,
    resource_label      TEXT    NOT NULL,
    status              INTEGER,
    latency_ms          INTEGER,
    outcome             TEXT    NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'skipped')),
    scim_type           TEXT,
    error_detail        TEXT,
    request_excerpt     TEXT,
    response_excerpt    TEXT,
    modified_attributes TEXT    NOT NULL DEFAULT '[]'
);

-- Keyset pages (run_id = ? AND seq > ? ORDER BY seq) and the cascade delete.
CREATE UNIQUE INDEX operations_by_run_seq ON operations (run_id, seq);

CREATE TABLE diff_snapshots (
    run_id       INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    target_id    TEXT    NOT NULL,
    object_count INTEGER NOT NULL,
    -- Versioned binary encoding, see snapshot/codec.rs.
    entries      BLOB    NOT NULL
);

CREATE INDEX diff_snapshots_by_target ON diff_snapshots (target_id, run_id);
