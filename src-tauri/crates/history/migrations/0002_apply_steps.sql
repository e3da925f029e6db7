-- History schema v2: the journal of an apply. Every planned operation is written before the
-- first request ('pending'), marked 'running' just before its request and finished after it,
-- so a crash leaves a record of what was done, what was in flight and what never started.
CREATE TABLE apply_steps (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    op_id       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    destructive INTEGER NOT NULL DEFAULT 0,
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
    -- The target id the step wrote or created, once known.
    target_id   TEXT,
    detail      TEXT    NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq)
);
