//! Pure diff and plan engine: expected vs actual, no I/O
