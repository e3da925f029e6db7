//! The SCIM targets we know.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A SCIM service provider with its own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "TargetKind")]
pub enum Kind {
    Aws,
    Unity,
    StrongDm,
    Axis,
    Generic,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Aws,
        Kind::Unity,
        Kind::StrongDm,
        Kind::Axis,
        Kind::Generic,
    ];

    /// Stable id used in settings files and the CLI.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Aws => "aws",
            Kind::Unity => "unity",
            Kind::StrongDm => "strong_dm",
            Kind::Axis => "axis",
            Kind::Generic => "generic",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Kind::Aws => "AWS IAM Identity Center",
            Kind::Unity => "Unity Cloud",
            Kind::StrongDm => "StrongDM",
            Kind::Axis => "Axis Security (HPE Aruba SSE)",
            Kind::Generic => "Generic SCIM 2.0",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}
