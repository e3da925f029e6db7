//! Errors of the drift crate. The diff itself cannot fail; only parsing the
//! attribute paths of a [`crate::CompareSpec`] can.

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// An attribute path such as `emails[primary].value` could not be parsed.
    #[error("invalid attribute path {path:?}: {why}")]
    InvalidPath { path: String, why: &'static str },
}

pub type Result<T> = std::result::Result<T, Error>;
