//! Orchestration shared by app and CLI: fetch, diff, plan, apply, record
