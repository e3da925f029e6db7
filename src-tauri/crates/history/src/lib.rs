//! Local sync history in SQLite (sqlx): runs, operations, diff snapshots
