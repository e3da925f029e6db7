//! JumpCloud API v1/v2 client, directory snapshot, CSV/JSON import
